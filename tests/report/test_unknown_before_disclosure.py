"""Unknown is not zero, before the first disclosure too (SPEC 10): Strategy's bundled ledger opens with
its balance of 2025-12-28, so before that day what it held is unknown — in holdings, mNAV and explain,
flows, the stored snapshots and history, and the report's charts — while a book that starts with a buy
held 0 before it."""

from __future__ import annotations

import re
import sqlite3

import pytest

from tests.cli.conftest import built_once, start_from

OPENING = "2025-12-28"


@pytest.fixture(scope="session")
def seeded_with_snapshots(tmp_path_factory):
    def build(cli):
        cli.ok("init", "--seed")
        cli.ok("snapshot", "--offline", "--quiet", "--since", "2025-12-24", "--date", "2026-01-02")

    return built_once(tmp_path_factory, "seed-snapshots", build)


@pytest.fixture
def seeded(cli, db_path, seeded_with_snapshots):
    start_from(seeded_with_snapshots, db_path)
    return cli


def test_holdings_before_the_opening_balance_has_a_row_with_an_unknown_quantity(seeded):
    rows = {r["ticker"]: r for r in seeded.json("holdings", "MSTR", "CANG", "--as-of", "2025-10-01")}
    assert set(rows) == {"MSTR", "CANG"}                         # not silently left out
    mstr = rows["MSTR"]
    assert (mstr["quantity"], mstr["value_usd"], mstr["cost_basis"], mstr["unknown_until"]) == (None, None, None,
                                                                                             OPENING)
    assert rows["CANG"]["quantity"] > 0 and rows["CANG"]["unknown_until"] is None
    table = seeded.ok("holdings", "MSTR", "CANG", "--as-of", "2025-10-01")
    assert f"MSTR BTC: no disclosure before {OPENING} (quantity unknown, not 0)" in table
    mstr_line = next(line for line in table.splitlines() if line.startswith("MSTR"))
    assert " 0 " not in mstr_line and "—" in mstr_line


def test_mnav_is_unknown_and_explain_says_why(seeded):
    (row,) = seeded.json("mnav", "MSTR", "--as-of", "2025-10-01")
    assert row["share_price"] is not None                         # the price is known, the holdings are not
    assert (row["nav"], row["mnav"], row["ev_mnav"], row["per_share"]) == (None, None, None, None)
    nav = next(line for line in seeded.json("explain", "MSTR", "--as-of", "2025-10-01") if line["figure"] == "nav")
    assert any(f"no BTC disclosure before {OPENING}" in note["text"] for note in nav["notes"] if note["kind"] == "missing")
    assert f"no BTC disclosure before {OPENING}" in seeded.ok("explain", "MSTR", "--as-of", "2025-10-01")


def test_flows_from_before_the_opening_have_no_change(seeded):
    (row,) = seeded.json("flows", "MSTR", "--as-of", "2026-01-02", "--since", "2025-12-01")
    assert (row["change_since"], row["change_30d"], row["change_since_usd"]) == (None, None, None)
    assert row["change_1d"] is not None


def test_snapshots_and_history_store_null_not_zero_before_the_opening(seeded, db_path):
    with sqlite3.connect(db_path) as conn:
        stored = dict(conn.execute("SELECT date, quantity FROM snapshots WHERE ticker = 'MSTR'").fetchall())
    assert {day: q for day, q in stored.items() if day < OPENING} == {
        "2025-12-24": None, "2025-12-25": None, "2025-12-26": None, "2025-12-27": None}
    assert stored[OPENING] == "672497"
    history = seeded.json("history", "MSTR")
    before = [row for row in history if row["date"] < OPENING]
    assert before and all(row["quantity"] is None and row["nav"] is None and row["mnav"] is None for row in before)
    assert all(row["quantity"] for row in history if row["date"] >= OPENING)
    chart = seeded.ok("history", "MSTR")
    assert "first 672,497 on 2025-12-28" in chart                # the chart's line starts at the opening


def _points(svg: str) -> list[tuple[float, float]]:
    coords = " ".join(re.findall(r'points="([^"]+)"', svg))
    return [tuple(map(float, pair.split(","))) for pair in coords.split()]


def test_the_reports_charts_leave_a_gap_before_the_opening(seeded, tmp_path):
    target = tmp_path / "r.html"
    seeded.ok("report", "--as-of", "2026-01-02", "--out", str(target))
    card = target.read_text().split('id="c-MSTR"')[1].split("</article>")[0]
    holdings_svg, mnav_svg, value_svg = re.findall(r"<svg.*?</svg>", card)
    # The bundled shares_basic starts on 2025-12-31: mNAV is drawn for 12-31, 01-01 and 01-02 only.
    assert len(_points(mnav_svg)) == 3
    for svg in (holdings_svg, value_svg):
        assert "2025-12-24" in svg                                # every chart spans the same dates
        assert f"no disclosure before {OPENING}" in svg           # and shades the unknown stretch
        (band,) = re.findall(r'<rect class="unknown" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg)
        start = float(band[0]) + float(band[1])
        assert all(x >= start for x, _ in _points(svg)), "a line drawn before the first disclosure"
    low_label = re.findall(r'text-anchor="end">([^<]+)</text>', holdings_svg)[1]
    assert low_label != "0"                                       # no line at 0 pulls the axis down


def test_a_book_that_starts_with_a_buy_held_zero_before_it(cli):
    cli.ok("company", "add", "NEW", "--name", "New Treasury")
    cli.ok("event", "add", "NEW", "buy", "5", "--date", "2026-03-01", "--total", "400000")
    cli.ok("price", "set", "BTC", "90000", "--date", "2026-02-01")
    cli.ok("price", "set", "NEW", "2", "--date", "2026-02-01")
    cli.ok("fact", "set", "NEW", "shares_basic", "100", "--date", "2026-01-01")
    (held,) = cli.json("holdings", "--as-of", "2026-02-01")
    assert (held["quantity"], held["value_usd"], held["unknown_until"]) == (0, 0, None)
    (valued,) = cli.json("mnav", "--as-of", "2026-02-01")
    assert valued["nav"] == 0 and valued["mnav"] is None          # nav 0: mNAV undefined, not unknown holdings
    cli.ok("snapshot", "--offline", "--quiet", "--date", "2026-02-01")
    (row,) = cli.json("history", "NEW")
    assert row["quantity"] == 0 and row["nav"] == 0
