"""Issuance and dilution through the product: the bundled ATM rows are the 8-Ks' own, `dilution` per month
and `yield` with share counts that say where they came from."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from tests.reader.corpus import fixtures

D = Decimal
ISSUANCE_KEYS = ["ticker", "date", "period_start", "security", "shares", "notional", "net_proceeds", "capacity_left",
                 "source"]
DILUTION_KEYS = ["ticker", "since", "until", "shares_issued", "net_proceeds", "units_bought", "per_share_start",
                 "per_share_end", "accretion"]
DATA = Path(__file__).resolve().parents[2] / "data"


def test_every_bundled_issuance_row_is_what_its_8k_states(seeded):
    """data/issuance.csv holds the ATM rows of Strategy's weekly 8-Ks exactly as the reader reads them from
    the documents (tests/fixtures/filings/mstr): security, period, shares, notional, net proceeds and
    capacity left, each citing its accession and known on its filing date."""
    from dattrack.reader import read_document

    expected = set()
    for fixture in fixtures("MSTR"):
        for row in read_document(fixture.data(), name=fixture.document, date=fixture.filed, form=fixture.form).issuance:
            security = "MSTR" if row.security == "common" else row.security
            notional = None if security == "MSTR" and row.notional == 0 else row.notional
            expected.add((row.date.isoformat(), row.period_start and row.period_start.isoformat(), security,
                          row.shares, notional, row.net_proceeds, row.capacity_left, fixture.accession,
                          fixture.filed.isoformat()))
    # Exact numbers compare equal whatever their exponent (a dash under "(in millions)" is 0).
    rows = seeded.json("issuance", "MSTR")
    assert list(rows[0])[:len(ISSUANCE_KEYS)] == ISSUANCE_KEYS
    stored = {(r["date"], r["period_start"], r["security"], r["shares"], r["notional"], r["net_proceeds"],
               r["capacity_left"], r["source"].split()[1], r["known_on"]) for r in rows}
    assert len(rows) == len(stored) == len(expected) == 192
    assert stored == expected
    with open(DATA / "issuance.csv", newline="", encoding="utf-8") as handle:
        assert sum(1 for _ in csv.DictReader(handle)) == 192


def test_issuance_of_one_week_and_its_window(seeded):
    week = seeded.json("issuance", "MSTR", "--since", "2026-01-11", "--until", "2026-01-11")
    assert {r["security"]: (r["period_start"], r["shares"], r["notional"], r["net_proceeds"], r["capacity_left"])
            for r in week} == {
        "MSTR": ("2026-01-05", 6827695, None, D("1128500000"), D("10256700000")),
        "STRC": ("2026-01-05", 1192262, D("119200000"), D("119100000"), D("3923100000")),
        "STRD": ("2026-01-05", 0, 0, 0, D("4014800000")),
        "STRF": ("2026-01-05", 0, 0, 0, D("1619300000")),
        "STRK": ("2026-01-05", 0, 0, 0, D("20335000000"))}
    assert all(r["source"].startswith("8-K 0001193125-26-009811 https://www.sec.gov/") for r in week)
    table = seeded.ok("issuance", "MSTR", "--since", "2026-01-11", "--until", "2026-01-11")
    assert "6,827,695" in table and "STRC" in table


def test_reading_the_seed_again_adds_no_issuance(seeded):
    assert "0 issuance rows" in seeded.ok("init", "--seed")
    assert len(seeded.json("issuance", "MSTR")) == 192


def test_dilution_by_month_over_the_bundled_2026_weeks(seeded):
    rows = {r["since"]: r for r in seeded.json("dilution", "MSTR", "--since", "2026-01-01", "--until",
                                               "2026-02-28", "--by", "month")}
    assert list(rows["2026-01-01"])[:len(DILUTION_KEYS)] == DILUTION_KEYS
    january, february = rows["2026-01-01"], rows["2026-02-01"]
    # The weeks that end in January: Jan 1-4, 5-11, 12-19, 20-25 (the 8-K ATM tables).
    assert january["shares_issued"] == 735000 + 6827695 + 10399650 + 1569770
    # Net proceeds of every program: Jan 1-4 116.3M; Jan 5-11 1,128.5M + 119.1M; Jan 12-19 1,827.3M + 294.3M
    # + 3.4M; Jan 20-25 257.0M + 7.0M.
    assert january["net_proceeds"] == D("116.3E6") + D("1247.6E6") + D("2125.0E6") + D("264.0E6")
    assert january["preferred_proceeds"] == D("119100000") + D("294300000") + D("3400000") + D("7000000")
    assert january["units_bought"] == 1283 + 13627 + 22305 + 2932
    assert february["shares_issued"] == 673527 and february["units_bought"] == 855 + 1142 + 2486 + 592
    # BTC per diluted share at each end, from the holdings and the share counts the rows state.
    assert (january["holdings_start"], january["holdings_end"]) == (672500, 712647)
    assert january["per_share_start"] == (D(672500) / january["shares_start"]).quantize(D("1e-18"))
    assert january["per_share_end"] == (D(712647) / january["shares_end"]).quantize(D("1e-18"))
    # 2025-12-31's count is a fact; January's end count adds the common shares sold through the week of
    # Jan 20-25 (the week of Jan 26 - Feb 1 ends after January: not in it, and the row says so).
    assert january["shares_end"] - january["shares_start"] == 735000 + 6827695 + 10399650 + 1569770
    assert (january["shares_start_date"], january["shares_end_date"]) == ("2025-12-31", "2026-01-25")
    assert january["count_behind"] is True
    expected = january["per_share_end"] / january["per_share_start"] - 1
    assert abs(january["accretion"] - expected) < D("1e-15")
    assert february["shares_start"] == january["shares_end"]


def test_dilution_by_week_follows_the_8k_periods(seeded):
    rows = seeded.json("dilution", "MSTR", "--since", "2026-01-05", "--until", "2026-01-25", "--by", "week")
    assert [(r["since"], r["until"], r["shares_issued"]) for r in rows] == [
        ("2026-01-05", "2026-01-11", 6827695), ("2026-01-12", "2026-01-18", None),
        ("2026-01-19", "2026-01-25", 10399650 + 1569770)]
    # Calendar weeks: the 8-K period of Jan 12-19 ends on a Monday, so it falls in the week of Jan 19; no
    # row ends in the week of Jan 12-18: nothing recorded, not 0.


def test_yield_states_both_share_counts_their_dates_and_sources(seeded):
    (row,) = seeded.json("yield", "MSTR", "--since", "2025-12-31", "--until", "2026-01-25")
    assert (row["shares_start_source"], row["shares_start_date"]) == ("fact", "2025-12-31")
    assert (row["shares_end_source"], row["shares_end_date"]) == ("issuance", "2026-01-25")
    assert row["shares_end"] - row["shares_start"] == 735000 + 6827695 + 10399650 + 1569770
    assert row["btc_yield"] == ((D(712647) / row["shares_end"]) / (D(672500) / row["shares_start"]) - 1).quantize(
        D("1e-18"))
    later = seeded.json("yield", "MSTR", "--since", "2026-02-19", "--until", "2026-07-24")[0]
    assert (later["shares_start_source"], later["shares_end_source"]) == ("cover page", "cover page")
    assert (later["shares_start_date"], later["shares_end_date"]) == ("2026-02-19", "2026-07-24")
    text = seeded.ok("yield", "MSTR", "--since", "2025-12-31", "--until", "2026-01-25")
    assert "Shares on 2025-12-31: fact of 2025-12-31: 312,062,250" in " ".join(text.split())
    assert "MSTR shares sold 2026-01-01..2026-01-25 (issuance, 4 row(s))" in " ".join(text.split())


@pytest.mark.parametrize("args, words", [
    (["dilution", "MSTR", "--by", "day"], "--by"),
    (["dilution", "MSTR", "--since", "2026-03-01", "--until", "2026-02-01"], "after"),
    (["dilution", "NOPE"], "unknown ticker"),
    (["issuance", "NOPE"], "unknown ticker"),
])
def test_bad_dilution_and_issuance_requests_are_refused(seeded, refused, args, words):
    assert words in refused(*args)


def test_export_and_import_carry_issuance_and_the_dated_rates(seeded, tmp_path):
    document = seeded.ok("export")
    path = tmp_path / "export.json"
    path.write_text(document, encoding="utf-8")
    other = tmp_path / "other.db"
    assert "192 issuance" in seeded.ok("--db", str(other), "import", str(path))
    assert seeded.ok("--db", str(other), "export") == document
    (strc,) = [r for r in seeded.json("--db", str(other), "instrument", "list", "MSTR", "--as-of", "2026-09-30")
               if r["name"].startswith("STRC")]
    assert strc["rate"] == D("0.12")


def test_company_show_lists_instruments_and_issuance(seeded):
    (profile,) = seeded.json("company", "show", "MSTR")
    names = [i["name"] for i in profile["instruments"]]
    assert "STRC Variable Rate Series A Perpetual Stretch Preferred" in names and len(names) == 14
    assert len(profile["issuance"]) == 192
    text = seeded.ok("company", "show", "MSTR")
    assert "Instruments (amounts in force today)" in text and "Share issuance (the newest 20 of 192" in text
    (bare,) = seeded.json("company", "show", "BMNR")
    assert bare["instruments"] == [] and bare["issuance"] == []
    assert "Share issuance" not in seeded.ok("company", "show", "BMNR")
