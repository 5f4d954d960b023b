"""nbval → book: the notebooks are executed once, by nbval, and the book shows exactly those outputs.

``make book`` and ``make test`` both run ``pytest notebooks`` (nbval, one kernel per notebook). When
every cell of a notebook has passed, this plugin writes the executed notebook — the outputs nbval
collected cell by cell — into the book's execution cache (``_build/.jupyter_cache``, the
jupyter-cache database Jupyter Book's ``execute_notebooks: cache`` reads). The book build then finds
every notebook in the cache and executes none of them again. A notebook with a failing cell is not
cached (and the Makefile stops before the book is built).

At the end of the run it prints, and writes to ``_build/notebook_times.json``, the wall time of each
notebook, which ``make book`` repeats as its closing table.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
CACHE = ROOT / "_build" / ".jupyter_cache"
TIMES = ROOT / "_build" / "notebook_times.json"

_cells: dict[Path, list] = defaultdict(list)  # notebook → [(cell item, passed, seconds)]
_expected: dict[Path, int] = {}


def _is_nbval_cell(item) -> bool:
    return type(item).__name__ == "IPyNbCell"


def pytest_collection_modifyitems(session, config, items):
    for item in items:
        if _is_nbval_cell(item):
            path = Path(str(item.fspath)).resolve()
            _expected[path] = _expected.get(path, 0) + 1


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    start = time.perf_counter()
    outcome = yield
    if _is_nbval_cell(item):
        path = Path(str(item.fspath)).resolve()
        _cells[path].append((item, outcome.excinfo is None, time.perf_counter() - start))


def _executed_notebook(path: Path, cells: list):
    import nbformat

    nb = nbformat.read(path, as_version=4)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    for count, (cell, (item, _, _)) in enumerate(zip(code_cells, cells), start=1):
        outputs = []
        for out in item.test_outputs or []:
            out = nbformat.from_dict(dict(out))
            if out.output_type == "execute_result":
                out.execution_count = count
            outputs.append(out)
        cell.outputs = outputs
        cell.execution_count = count
    nbformat.validate(nb)
    return nb


def _cache_notebook(path: Path, cells: list, seconds: float) -> None:
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    nb = _executed_notebook(path, cells)
    cache = get_cache(str(CACHE))
    cache.cache_notebook_bundle(
        CacheBundleIn(nb, str(path), data={"execution_seconds": seconds, "executed_by": "nbval"}),
        check_validity=False,
        overwrite=True,
    )


def pytest_sessionfinish(session, exitstatus):
    times = json.loads(TIMES.read_text()) if TIMES.exists() else {}
    for path, cells in _cells.items():
        seconds = sum(s for _, _, s in cells)
        complete = len(cells) == _expected.get(path, -1) and all(ok for _, ok, _ in cells)
        rel = str(path.relative_to(ROOT))
        times[rel] = {"seconds": round(seconds, 1), "passed": complete, "cells": len(cells)}
        if complete:
            _cache_notebook(path, cells, seconds)
    if _cells:
        TIMES.parent.mkdir(parents=True, exist_ok=True)
        TIMES.write_text(json.dumps(times, indent=1, sort_keys=True))


def pytest_terminal_summary(terminalreporter):
    if not _cells:
        return
    tr = terminalreporter
    tr.section("notebook execution times (nbval; the book shows these outputs)")
    total = 0.0
    for path, cells in sorted(_cells.items()):
        seconds = sum(s for _, _, s in cells)
        total += seconds
        status = "passed" if all(ok for _, ok, _ in cells) else "FAILED"
        tr.write_line(f"{path.name:<40} {seconds:8.1f} s   {len(cells):3d} cells  {status}")
    tr.write_line(f"{'total':<40} {total:8.1f} s")
