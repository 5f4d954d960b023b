"""Configuration shared by the whole course: device, seeding, data root and the CI budget switch.

Three environment variables steer every notebook and script:

``GANCOURSE_DATA``
    Folder that holds the datasets (torchvision layout, e.g. ``$GANCOURSE_DATA/MNIST/raw``).
    Default: ``~/.cache/gancourse/data``.
``GANCOURSE_FAST``
    ``1`` shrinks training steps and sample counts (used by CI) while running the same code paths.
``GANCOURSE_DEVICE``
    Force a device (``cuda``, ``mps`` or ``cpu``); by default the fastest available one is used.
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import TypeVar

import numpy as np
import torch

T = TypeVar("T")

_TRUE = {"1", "true", "yes", "on"}


def is_fast() -> bool:
    """Whether the small CI budget is in force (``GANCOURSE_FAST=1``)."""
    return os.environ.get("GANCOURSE_FAST", "0").strip().lower() in _TRUE


def budget(full: T, fast: T) -> T:
    """Return ``fast`` under ``GANCOURSE_FAST=1`` and ``full`` otherwise.

    Notebooks write every step count and sample size as ``budget(full, fast)`` so that one switch
    shrinks them all, e.g. ``steps = budget(5000, 300)``.
    """
    return fast if is_fast() else full


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


def seed_everything(seed: int = 0) -> torch.Generator:
    """Seed Python, NumPy and PyTorch (all devices) so that a rerun prints the same numbers.

    Returns a fresh ``torch.Generator`` seeded with ``seed`` for code that wants its own stream.
    """
    if not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}.")
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)  # also seeds every CUDA device
    return torch.Generator().manual_seed(seed)
