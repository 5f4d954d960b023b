"""Checked claims: an ``assert`` that also records the number it tested, for the seed sweep.

A lecture states a claim and a cell checks it. When the quantity is random (it depends on a
training run, a sample, a seed), the threshold must hold for any seed, not for the one run the book
shows. :func:`check` asserts ``value <op> bound`` exactly like a plain ``assert``; in addition, when
``$GANCOURSE_CLAIMS_LOG`` names a file, it appends one JSON line per call (name, value, operator,
bound, seed shift, budget). ``make seeds`` (``scripts/seed_sweep.py``) runs every notebook at several
values of ``$GANCOURSE_SEED`` with that log set and reports, per claim, the spread over seeds and the
margin to the threshold. The sweep also sets ``$GANCOURSE_CLAIMS_CONTINUE=1``: a claim that fails is
recorded and the notebook goes on, so that every later claim is measured too (the report counts the
failures; nowhere else does a failing claim pass silently).

Used by every lecture for its stochastic asserts; deterministic facts (closed forms, identities)
stay plain ``assert`` statements.
"""

from __future__ import annotations

import json
import math
import operator
import os
from typing import Callable

from .config import budget_name, seed_offset

__all__ = ["ClaimError", "check"]

_OPS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


class ClaimError(AssertionError):
    """A checked claim does not hold (an ``AssertionError``, so notebooks fail as with ``assert``)."""


def check(name: str, value: float, op: str, bound: float) -> None:
    """Assert ``value <op> bound`` and record it for the seed sweep.

    Returns nothing, so a notebook cell that ends with a check shows no stray number.

    Args:
        name: what is claimed, in words a reader recognises from the text
            (e.g. ``"hinge critic: mean |d - sign x| on |x| > 0.5"``); unique within a notebook.
        value: the measured number.
        op: one of ``"<"``, ``"<="``, ``">"``, ``">="``.
        bound: the threshold, set from the claim's spread over seeds with a margin.

    Raises:
        ClaimError: if the claim does not hold (or ``value`` is NaN).
        ValueError: if ``op`` is not one of the four comparisons.
    """
    if op not in _OPS:
        raise ValueError(f"op must be one of {sorted(_OPS)}, got {op!r}.")
    for arg, v in (("value", value), ("bound", bound)):
        if isinstance(v, (str, bytes, bool)) or not hasattr(v, "__float__"):
            raise TypeError(f"{arg} must be a number (a float, or a one-element tensor), got {v!r}.")
    value, bound = float(value), float(bound)
    holds = not math.isnan(value) and _OPS[op](value, bound)
    log = os.environ.get("GANCOURSE_CLAIMS_LOG", "").strip()
    if log:
        record = {"name": name, "value": value, "op": op, "bound": bound, "holds": holds,
                  "seed": seed_offset(), "budget": budget_name()}
        with open(log, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
    if not holds and os.environ.get("GANCOURSE_CLAIMS_CONTINUE", "").strip() != "1":
        why = " (the value is NaN: the computation behind it failed)" if math.isnan(value) else ""
        raise ClaimError(f"{name}: {value:.6g} {op} {bound:.6g} does not hold{why}")
