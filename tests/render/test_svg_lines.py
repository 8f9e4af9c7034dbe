"""The report's SVG lines: a step chart holds each value until the next date, a stretch of unknown
values is a gap, and dense dates cost no more than the chart's width without losing a spike."""

from __future__ import annotations

import re
from decimal import Decimal

from dattrack.render.svg import _columns, line_chart


def polylines(svg: str) -> list[list[tuple[int, int]]]:
    return [[tuple(map(int, pair.split(","))) for pair in points.split()]
            for points in re.findall(r'points="([^"]+)"', svg)]


def test_a_step_line_holds_each_value_until_the_next_date():
    svg = line_chart({"BTC": [("2026-01-01", Decimal(10)), ("2026-01-11", Decimal(20)), ("2026-01-21", Decimal(10))]},
                     title="holdings", step=True)
    ((first, *rest),) = polylines(svg)
    assert [p[1] for p in [first, *rest]] == [first[1], first[1], rest[1][1], rest[1][1], first[1]]
    assert rest[0][0] == rest[1][0]                                  # up at the second date, not before


def test_unknown_values_break_the_line():
    svg = line_chart({"BTC": [("2026-01-01", Decimal(1)), ("2026-01-02", None), ("2026-01-03", Decimal(2)),
                              ("2026-01-04", Decimal(3))]}, title="value")
    assert '<circle' in svg and len(polylines(svg)) == 1             # one lone point, then a line


def test_dense_dates_keep_at_most_four_points_a_column_and_every_spike():
    # 1,000 points in 10 columns, one of them spiking to 0
    points = [(100 + n // 100, 50 + (n % 3)) for n in range(1000)]
    points[555] = (105, 0)
    drawn = _columns(points, step=True)
    assert len(drawn) <= 40
    assert (105, 0) in drawn and max(y for _, y in drawn) == 52
