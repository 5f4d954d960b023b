"""Text tables for the lectures' comparisons: samplers (lecture 5), zoo entries (lectures 3 and 7), f-GANs (4).

A table is a mapping ``row label → {column: value}``; columns appear in the order they are first met,
and a row without a column leaves its cell blank.
"""

from __future__ import annotations

from typing import Any, Mapping


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:d}"
    return f"{value:.3f}" if abs(float(value)) < 100 else f"{value:.1f}"


def format_table(rows: Mapping[str, Mapping[str, Any]]) -> str:
    """Rows as aligned text: integers as they are, other numbers to 3 decimals (1 from 100 up), strings as
    they are; each column as wide as its widest entry."""
    if not isinstance(rows, Mapping) or not all(isinstance(r, Mapping) for r in rows.values()):
        raise TypeError("rows must map each row label to a mapping {column: value}, e.g. "
                        "{'generator': {'FID': 12.3}}.")
    if not rows:
        raise ValueError("format_table needs at least one row (a mapping of row label to {column: value}).")
    columns = list(dict.fromkeys(k for r in rows.values() for k in r))
    width = max(len(label) for label in rows) + 2
    widths = [max(len(c), 8, *(len(_cell(r.get(c))) for r in rows.values())) for c in columns]
    lines = [" " * width + "  ".join(f"{c:>{w}s}" for c, w in zip(columns, widths))]
    for label, r in rows.items():
        lines.append(f"{label:<{width}s}" + "  ".join(f"{_cell(r.get(c)):>{w}s}" for c, w in zip(columns, widths)))
    return "\n".join(lines)


__all__ = ["format_table"]
