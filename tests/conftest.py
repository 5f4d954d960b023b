"""Shared test fixtures. Unit tests run on the CPU, with the small budget, and need MNIST only where
marked (they are skipped with a clear reason when ``$GANCOURSE_DATA`` does not hold it)."""

import os
import re
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
os.environ.setdefault("GANCOURSE_DEVICE", "cpu")


@pytest.fixture(scope="session")
def book_config():
    """``book_config(key)``: the value of ``key`` in _config.yml (the repository's url, its branch …)."""
    text = (Path(__file__).resolve().parents[1] / "_config.yml").read_text()

    def value(key: str) -> str:
        match = re.search(rf"^\s+{key}:\s*(\S+)", text, re.M)
        assert match, f"_config.yml has no {key}"
        return match.group(1)

    return value


@pytest.fixture(scope="session")
def unavailable():
    """``unavailable(reason)``: skip a test whose tool or input is missing here, with the reason; under CI
    (``CI`` set) fail instead, since CI installs everything."""
    def stop(reason: str) -> None:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)

    return stop


@pytest.fixture(scope="session")
def mnist_test():
    from gancourse.data import DataNotFoundError, mnist

    try:
        return mnist(train=False, download=False)
    except DataNotFoundError as err:
        if os.environ.get("CI"):
            raise  # CI must have the data
        pytest.skip(f"MNIST not available: {err}")
