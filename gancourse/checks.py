"""Argument checks shared by the public entry points.

Each check says which argument was wrong, what was expected and how to fix it, and returns the value
in the form the caller computes with (a Python int, a float tensor …).  NumPy scalars are accepted
wherever a Python number is.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch


def positive_int(name: str, value: Any, minimum: int = 1, what: str = "") -> int:
    """``value`` as an int if it is an integer ≥ ``minimum`` (NumPy integers accepted), else a ValueError.

    ``what`` says what the number counts, for the message (e.g. "the number of chains drawn").
    """
    kind = {0: " non-negative integer", 1: " positive integer"}.get(minimum, f"n integer ≥ {minimum}")
    kind += f" ({what})" if what else ""
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise ValueError(f"{name} must be a{kind}, got {value!r}.")
    value = int(value)
    if value < minimum:
        raise ValueError(f"{name} must be a{kind}, got {value}.")
    return value


def positive_float(name: str, value: Any, what: str = "", allow_zero: bool = False) -> float:
    """``value`` as a float if it is a finite real number > 0 (≥ 0 with ``allow_zero``), else a ValueError."""
    kind = "non-negative" if allow_zero else "positive"
    kind += f" number ({what})" if what else " number"
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a {kind}, got {value!r}.")
    value = float(value)
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{name} must be a {kind}, got {value}.")
    return value


def unit_interval(name: str, value: Any, what: str = "") -> float:
    """``value`` as a float strictly between 0 and 1 (a level, a share), else a ValueError."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not 0 < float(value) < 1:
        raise ValueError(f"{name} must be a number strictly between 0 and 1{f' ({what})' if what else ''}, "
                         f"got {value!r}.")
    return float(value)


def random_generator(name: str, value: Any) -> torch.Generator | None:
    """A ``torch.Generator`` or ``None``; an int seed gets a message saying how to make a generator."""
    if value is None or isinstance(value, torch.Generator):
        return value
    hint = (f" (for a seed, pass torch.Generator().manual_seed({value}) or gancourse.rng(k))"
            if isinstance(value, (int, np.integer)) else "")
    raise TypeError(f"{name} must be a torch.Generator or None, got {type(value).__name__}{hint}.")


def samples(name: str, x: Any, dim: int | None = None, min_n: int = 1) -> torch.Tensor:
    """Points as a float tensor of shape n × d (a 1-D tensor is n points in 1-D), finite, with n ≥ ``min_n``.

    Lists and NumPy arrays of numbers are converted; images (n × C × H × W) are flattened to n × CHW
    only when ``dim`` is ``None``.
    """
    try:
        t = torch.as_tensor(x)
    except (TypeError, ValueError, RuntimeError):
        raise TypeError(f"{name} must be a tensor (or array) of numbers, one row per sample; got "
                        f"{type(x).__name__}.") from None
    if t.dtype == torch.bool or not (t.is_floating_point() or t.dtype in (torch.uint8, torch.int8, torch.int16,
                                                                         torch.int32, torch.int64)):
        raise TypeError(f"{name} must hold real numbers, got dtype {t.dtype}.")
    t = t.float() if not t.is_floating_point() else t
    if t.ndim == 1:
        t = t[:, None]
    if t.ndim == 0:
        raise ValueError(f"{name} must hold samples, one per row; got a single number.")
    if dim is None:
        t = t.reshape(len(t), -1)
    elif t.ndim != 2 or t.shape[1] != dim:
        raise ValueError(f"{name} must have shape n×{dim} (one {dim}-D point per row), got {tuple(t.shape)}.")
    if len(t) < min_n:
        raise ValueError(f"{name} must hold at least {min_n} sample{'s' * (min_n > 1)}, got {len(t)}.")
    bad = ~torch.isfinite(t).all(1)
    if bool(bad.any()):
        raise ValueError(f"{name} holds NaN or inf in {int(bad.sum())} of its {len(t)} rows; remove them first, "
                         f"e.g. {name}[torch.isfinite({name}).all(1)].")
    return t


def images(name: str, x: Any, tolerance: float = 0.05) -> torch.Tensor:
    """Images as a non-empty float tensor n × C × H × W with finite values in [-1, 1] (the course's range),
    up to ``tolerance`` outside it.  Used by the models, the training loop, the metrics and the plots."""
    if isinstance(x, np.ndarray):
        x = torch.from_numpy(x)
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} must be a tensor of images n×C×H×W, got {type(x).__name__}.")
    if x.ndim != 4 or len(x) == 0:
        raise ValueError(f"{name} must have shape n×C×H×W with n ≥ 1, got {tuple(x.shape)}.")
    if not x.is_floating_point():
        raise TypeError(f"{name} must be float images in [-1, 1], got dtype {x.dtype}; convert 0…255 pixels with "
                        "x.float() / 127.5 - 1.")
    if not bool(torch.isfinite(x).all()):
        raise ValueError(f"{name} holds NaN or inf values.")
    lo, hi = float(x.min()), float(x.max())
    if lo < -1 - tolerance or hi > 1 + tolerance:
        raise ValueError(f"{name} must lie in [-1, 1] (the generators' tanh range), got [{lo:.3g}, {hi:.3g}]; "
                         "rescale 0…255 pixels with x / 127.5 - 1, 0…1 pixels with 2x - 1.")
    return x


def interval(name: str, value: Any) -> tuple[float, float]:
    """A pair (lo, hi) of finite numbers with lo < hi."""
    try:
        lo, hi = (float(v) for v in value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a pair (lo, hi) of numbers, got {value!r}.") from None
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ValueError(f"{name} must be a pair (lo, hi) of finite numbers with lo < hi, got ({lo}, {hi}).")
    return lo, hi


def function(name: str, value: Any, what: str) -> Any:
    """``value`` if it is callable, else a TypeError saying what it should compute."""
    if not callable(value):
        raise TypeError(f"{name} must be a function ({what}), got {type(value).__name__}.")
    return value


__all__ = ["positive_int", "positive_float", "unit_interval", "random_generator", "samples", "images", "interval",
           "function"]
