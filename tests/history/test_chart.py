"""The terminal line chart on its own: dots where the values are, nothing where they are unknown."""

from __future__ import annotations

from decimal import Decimal

from dattrack.render.chart import line_chart

BRAILLE = range(0x2801, 0x2900)


def plot_rows(text: str) -> list[str]:
    return [line.split("┤" if "┤" in line else "│", 1)[1] for line in text.splitlines() if "┤" in line or "│" in line]


def dots(rows: list[str]) -> int:
    return sum(ord(ch) in BRAILLE for row in rows for ch in row)


def test_a_rising_line_starts_bottom_left_and_ends_top_right():
    chart = line_chart([("2026-11-01", Decimal(1)), ("2026-11-11", Decimal(2))], width=40, title="t").plain
    rows = plot_rows(chart)
    assert len(rows) == 10
    assert ord(rows[-1][0]) in BRAILLE and ord(rows[0][-1]) in BRAILLE
    assert rows[0][0] == " " and rows[-1][-1] == " "


def test_an_unknown_value_breaks_the_line_instead_of_dropping_to_zero():
    joined = [("2026-11-01", Decimal(5)), ("2026-11-02", Decimal(5)), ("2026-11-03", Decimal(5))]
    broken = [("2026-11-01", Decimal(5)), ("2026-11-02", None), ("2026-11-03", Decimal(5))]
    full, gap = plot_rows(line_chart(joined, width=40, title="t").plain), plot_rows(line_chart(broken, width=40, title="t").plain)
    assert dots(gap) < dots(full)
    assert "min 5 · max 5" in line_chart(broken, width=40, title="t").plain


def test_values_either_side_of_zero_get_a_labelled_zero_line():
    points = [("2026-11-01", Decimal(-100)), ("2026-11-02", Decimal(100))]
    chart = line_chart(points, width=40, title="pnl", kind="money").plain
    zero = next(line for line in chart.splitlines() if line.lstrip().startswith("0 ┤"))
    assert "┈" in zero
    assert "-100.00 ┤" in chart and "100.00 ┤" in chart
    assert "change +200.00" in chart


def test_nothing_known_draws_nothing():
    chart = line_chart([("2026-11-01", None)], width=40, title="t").plain
    assert "no values to chart" in chart and "┤" not in chart


def test_a_narrow_terminal_still_gets_a_minimal_plot():
    chart = line_chart([("2026-11-01", Decimal(1)), ("2026-11-02", Decimal(3))], width=5, title="t").plain
    assert all(len(row) == 10 for row in plot_rows(chart))
