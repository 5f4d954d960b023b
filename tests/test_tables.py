"""Text tables of the lectures' comparisons."""

import pytest

from gancourse.tables import format_table


def test_columns_in_first_seen_order_blank_where_missing():
    text = format_table({"generator": {"FID": 12.3456, "cost": 1}, "DRS": {"FID": 250.0, "acceptance": 0.25},
                         "data": {"FID": None}})
    header, *rows = text.splitlines()
    assert header.split() == ["FID", "cost", "acceptance"]
    assert rows[0].split() == ["generator", "12.346", "1"]         # integers as they are, 3 decimals
    assert rows[1].split() == ["DRS", "250.0", "0.250"]             # one decimal from 100 up
    assert rows[2].split() == ["data"]
    assert len({len(line.rstrip()) for line in (header, rows[1])}) == 1   # aligned columns


def test_empty_table_is_refused():
    with pytest.raises(ValueError, match="at least one row"):
        format_table({})
