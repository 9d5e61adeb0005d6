"""The small results table: values shown with their column's format, never a signed zero."""

import pytest

from digitlab.plumbing.table import Table
from digitlab.plumbing.text import unsigned_zero


def comparison(points):
    return Table([{"set": "MNIST test", "points": p} for p in points], ["set", "points"], {"points": "{:+.1f}"})


def test_a_change_that_rounds_to_zero_is_shown_without_a_sign():
    table = comparison([-0.04, 0.04, -0.0, 0.0, -0.06, 2.0])
    shown = [table.cell(row, "points") for row in table.rows]
    assert shown == ["0.0", "0.0", "0.0", "0.0", "-0.1", "+2.0"]
    assert "-0.0" not in str(table) and "-0.0" not in table._repr_html_()
    assert "+0.0" not in str(table)


@pytest.mark.parametrize("text, expected", [
    ("-0.0", "0.0"), ("+0", "0"), ("\u22120.00%", "0.00%"), ("-0.0 points", "0.0 points"),
    ("-0.01", "-0.01"), ("+10.0", "+10.0"), ("-0.5%", "-0.5%"), ("0.0", "0.0"), ("-", "-"), ("n/a", "n/a"),
])
def test_unsigned_zero_drops_only_the_sign_of_a_zero(text, expected):
    assert unsigned_zero(text) == expected
