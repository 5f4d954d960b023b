"""Configuration shared by the whole course: device, seeding, data root and the budget switch.

Five environment variables steer every notebook and script:

``GANCOURSE_DATA``
    Folder that holds the datasets (torchvision layout, e.g. ``$GANCOURSE_DATA/MNIST/raw``).
    Default: ``~/.cache/gancourse/data``.
``GANCOURSE_BUDGET``
    ``book`` (the default) is the budget the published book is built at and the one CI executes and
    checks: the whole book builds in about 20 minutes on a 2-core CPU. ``large`` runs longer
    training and larger samples, meant for a GPU (Colab, a workstation); its claims are meant to hold
    too, but CI (CPU only) does not execute it.
``GANCOURSE_SEED``
    Shifts every seed a notebook draws through :func:`seed` / :func:`rng` (default 0). The seed
    sweep (``make seeds``) runs the notebooks at several values to check that each stochastic
    claim holds for any seed, not only for the one the book shows.
``GANCOURSE_DEVICE``
    Force a device (``cuda``, ``mps`` or ``cpu``); by default the fastest available one is used.
``GANCOURSE_PROGRESS``
    ``0`` hides the training loops' progress bars (:func:`progress_bar`). The book's build sets it: a
    bar saved into a page is a widget with no kernel behind it, an empty box.
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any, Iterable, TypeVar

import numpy as np
import torch

from . import checks

T = TypeVar("T")

BUDGETS = ("book", "large")


def budget_name() -> str:
    """The budget in force: ``$GANCOURSE_BUDGET``, ``"book"`` (default) or ``"large"``.

    Raises:
        ValueError: for any other value, naming the valid ones.
    """
    name = os.environ.get("GANCOURSE_BUDGET", "").strip().lower() or "book"
    if name not in BUDGETS:
        raise ValueError(
            f"GANCOURSE_BUDGET={name!r} is not a budget: expected one of {BUDGETS} "
            "('book' is the default the book is built and tested at; 'large' is meant for a GPU)."
        )
    return name


def budget(book: T, large: T) -> T:
    """Return ``book`` at the default budget and ``large`` under ``GANCOURSE_BUDGET=large``.

    Notebooks write every step count and sample size as ``budget(book, large)`` so that one switch
    enlarges them all, e.g. ``steps = budget(2000, 20_000)``.
    """
    return large if budget_name() == "large" else book


def seed_offset() -> int:
    """``$GANCOURSE_SEED`` (default 0): the seed-sweep shift applied by :func:`seed`."""
    raw = os.environ.get("GANCOURSE_SEED", "").strip() or "0"
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"GANCOURSE_SEED={raw!r} must be a non-negative integer (e.g. 0, 1, 2).") from None
    if value < 0:
        raise ValueError(f"GANCOURSE_SEED={raw!r} must be a non-negative integer (e.g. 0, 1, 2).")
    return value


def seed(k: int = 0) -> int:
    """The ``k``-th seed of a notebook: ``k`` itself, shifted by ``10_000 × $GANCOURSE_SEED``.

    Notebooks take every seed from here (``seed_everything(gc.seed(0))``, ``zoo.sample(n, seed=gc.seed(3))``),
    so that the seed sweep can rerun them on other random streams.
    """
    return checks.positive_int("k", k, minimum=0) + 10_000 * seed_offset()


def rng(k: int = 0) -> torch.Generator:
    """A CPU ``torch.Generator`` seeded with :func:`seed` ``(k)``: the notebooks' random streams."""
    return torch.Generator().manual_seed(seed(k))


def progress_bar(iterable: Iterable[T], enabled: bool = True, **options: Any) -> Any:
    """``iterable`` wrapped in a tqdm bar (``tqdm.auto``: a widget in a notebook, text elsewhere), which the
    training loops iterate over. The bar is drawn when ``enabled`` and ``$GANCOURSE_PROGRESS`` is not ``0``;
    ``options`` go to tqdm."""
    from tqdm.auto import tqdm

    hidden = os.environ.get("GANCOURSE_PROGRESS", "").strip() == "0"
    return tqdm(iterable, disable=not enabled or hidden, **options)


def data_root() -> Path:
    """Folder holding the datasets: ``$GANCOURSE_DATA`` or ``~/.cache/gancourse/data``."""
    env = os.environ.get("GANCOURSE_DATA", "").strip()
    if env:
        return Path(env).expanduser().resolve()
    return Path.home() / ".cache" / "gancourse" / "data"


def get_device(prefer: str | None = None) -> torch.device:
    """Pick the compute device: ``prefer``, else ``$GANCOURSE_DEVICE``, else cuda > mps > cpu.

    Raises:
        ValueError: if the requested device is unknown or not available on this machine.
    """
    name = (prefer or os.environ.get("GANCOURSE_DEVICE", "")).strip().lower()
    if not name:
        if torch.cuda.is_available():
            return torch.device("cuda")
        if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    available = {
        "cpu": True,
        "cuda": torch.cuda.is_available(),
        "mps": getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available(),
    }
    base = name.split(":")[0]
    if base not in available:
        raise ValueError(f"Unknown device {name!r}: expected one of 'cuda', 'mps' or 'cpu'.")
    if not available[base]:
        raise ValueError(
            f"Device {name!r} was requested but is not available here; "
            "unset GANCOURSE_DEVICE or choose 'cpu'."
        )
    return torch.device(name)


def seed_everything(seed: int = 0) -> None:
    """Seed Python, NumPy and PyTorch (all devices) so that a rerun prints the same numbers.

    Returns nothing (a notebook cell ending with it shows no stray output); code that wants a stream of
    its own takes ``torch.Generator().manual_seed(seed)`` or :func:`rng`.
    """
    seed = checks.positive_int("seed", seed, minimum=0)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)  # also seeds every CUDA device


def setup_notebook() -> torch.device:
    """The first lines of every lecture: seed everything with :func:`seed` (0), print the device, the
    budget and the seed offset the page is built with, and return the device to compute on."""
    device = get_device()
    seed_everything(seed(0))
    print(f"device: {device}; budget: {budget_name()}; seeds shifted by GANCOURSE_SEED = {seed_offset()}")
    return device
