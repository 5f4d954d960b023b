"""Two executions of a notebook on the same machine print the same numbers (the course's promise that
every run is seeded). Lecture 1 is executed twice in fresh kernels and every text output compared."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "01_maximum_likelihood.ipynb"


def text_outputs(nb) -> list[str]:
    texts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                texts.append(out.text)
            elif "data" in out and "text/plain" in out.data:
                texts.append(out.data["text/plain"])
    return texts


def execute() -> list[str]:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    return text_outputs(nb)


def test_a_notebook_prints_the_same_numbers_twice(mnist_test, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    # a BLAS that picks its thread count by the machine's load (MKL's default) may sum in another order
    monkeypatch.setenv("MKL_DYNAMIC", "FALSE")
    monkeypatch.setenv("OMP_DYNAMIC", "FALSE")
    first, second = execute(), execute()
    assert any(any(ch.isdigit() for ch in t) for t in first), "the notebook printed no numbers"
    differing = [(a, b) for a, b in zip(first, second) if a != b]
    assert len(first) == len(second) and not differing, f"outputs differ between the runs: {differing[:3]}"
