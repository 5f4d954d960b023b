"""The executed notebooks that the book shows (nbval's outputs, in the book's cache) hold figures.

A kernel started with a non-inline Matplotlib backend (``MPLBACKEND=Agg`` in the environment) executes
every cell without error but renders no figure: the book would show none. ``make notebooks`` runs the
kernels without ``MPLBACKEND``; this test checks the result. It needs the executed notebooks, so it runs
after ``make notebooks`` (``make test`` and ``make book`` both run it first).
"""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "_build" / ".jupyter_cache"


def executed_notebooks():
    """The cached executions of the notebooks *as they are now* (older records are ignored)."""
    if not CACHE.exists():
        pytest.skip("no executed notebooks yet: run `make notebooks` (make test does) first")
    import nbformat
    from jupyter_cache import get_cache

    cache = get_cache(str(CACHE))
    out = {}
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        try:
            record = cache.match_cache_notebook(nbformat.read(path, as_version=4))
        except KeyError:
            continue
        out[path.name] = cache.get_cache_bundle(record.pk).nb
    return out


def test_every_executed_notebook_shows_its_figures():
    notebooks = executed_notebooks()
    sources = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    missing = sorted(set(sources) - set(notebooks))
    if missing and os.environ.get("CI"):
        pytest.fail(f"not executed in their current form: {missing}")
    if missing:
        pytest.skip(f"not executed in their current form (run `make notebooks`): {missing}")
    for name in sources:
        nb = notebooks[name]
        plotting_cells = [c for c in nb.cells if c.cell_type == "code" and ("plot" in c.source or "plt." in c.source)]
        with_images = [c for c in plotting_cells if any("image/png" in o.get("data", {}) for o in c.outputs)]
        assert plotting_cells and len(with_images) >= len(plotting_cells) // 2, (
            f"{name}: {len(with_images)} of {len(plotting_cells)} plotting cells have a figure — was the kernel "
            "run with MPLBACKEND set?")
