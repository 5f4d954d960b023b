"""Every notebook is committed without outputs, opens with a title, a Colab badge and the setup cell,
has an id on every cell, uses the repository URL of ``_config.yml``, and is listed in ``_toc.yml``."""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_header_and_no_outputs(path, book_config):
    nb = json.loads(path.read_text())
    cells = nb["cells"]
    for cell in cells:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, f"{path.name} has outputs"
    if (nb["nbformat"], nb["nbformat_minor"]) >= (4, 5):       # nbformat will refuse cells without ids
        assert all("id" in cell for cell in cells), f"{path.name}: a cell has no id (nbformat.validator.normalize adds them)"
    assert "".join(cells[0]["source"]).startswith("# "), "the first cell is the title"
    url = book_config("url")
    owner_repo = url.removeprefix("https://github.com/")
    badge = "".join(cells[1]["source"])
    branch = book_config("branch")
    assert f"colab.research.google.com/github/{owner_repo}/blob/{branch}/notebooks/{path.name}" in badge
    setup = "".join(cells[2]["source"])
    assert f'REPO = "{url}"' in setup and '"google.colab" in sys.modules' in setup
    imports = "".join(next(c for c in cells[3:] if c["cell_type"] == "code")["source"])   # the first after setup
    assert "device = gc.setup_notebook()" in imports, f"{path.name}: the imports cell calls gc.setup_notebook()"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_in_table_of_contents(path):
    assert f"notebooks/{path.stem}" in (ROOT / "_toc.yml").read_text()


@pytest.mark.parametrize("path", NOTEBOOKS + sorted((ROOT / "assignments" / "source").glob("*.ipynb")),
                         ids=lambda p: p.name)
def test_display_math_starts_a_paragraph(path):
    """A ``$$`` block directly under a line of text is not typeset by MyST (it shows as raw dollar signs, which
    the browser test of the built site reports); a blank line must come before it. Checked here without a browser."""
    for i, cell in enumerate(json.loads(path.read_text())["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        lines = "".join(cell["source"]).split("\n")
        in_block = False
        for above, line in zip([""] + lines, lines):
            stripped = line.strip()
            if in_block:                                   # inside a multi-line $$ … $$ block: wait for its end
                in_block = not stripped.endswith("$$")
            elif stripped.startswith("$$"):                # an opening $$
                assert not above.strip(), f"{path.name}, cell {i}: put a blank line before {line[:40]!r}"
                in_block = stripped == "$$" or not stripped[2:].endswith("$$")
