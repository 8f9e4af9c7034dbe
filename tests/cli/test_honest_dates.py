"""Honest dates (SPEC 10): on 2026-12-04 with closes of 2026-10-06, every report's header names the
dates its figures rest on and says they are stale — never "as of today" over old prices; JSON keeps the
dates in its keys; `status` says what the newest snapshot was valued on; an alert on stale inputs says so."""

from __future__ import annotations

import pytest

OLD = "Prices of 2026-10-06, 59 days old (stale)"


@pytest.fixture
def stale(cli, monkeypatch, tmp_path):
    monkeypatch.setenv("DATTRACK_TODAY", "2026-12-04")
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("company", "add", "METAPLANET", "--name", "Metaplanet", "--currency", "JPY", "--quote-symbol", "3350.T")
    cli.ok("event", "add", "MSTR", "buy", "100", "--total", "9000000", "--date", "2026-02-01")
    cli.ok("event", "add", "METAPLANET", "buy", "10", "--total", "150000000", "--date", "2026-02-01")
    for symbol, price in (("BTC", "90000"), ("MSTR", "80"), ("3350.T", "400"), ("USDJPY", "150")):
        cli.ok("price", "set", symbol, price, "--date", "2026-10-06")
    cli.ok("fact", "set", "MSTR", "shares_basic", "1000", "--date", "2026-09-30")
    cli.ok("fact", "set", "METAPLANET", "shares_basic", "1000000", "--date", "2026-03-31")
    return cli


@pytest.mark.parametrize("command", [["holdings"], ["mnav"], ["risk"], ["flows"], ["pnl"]])
def test_every_report_header_names_the_old_prices_and_says_they_are_stale(stale, command):
    out = stale.ok(*command)
    title, header = out.splitlines()[:2]
    assert "today" not in title and "2026-12-04" in title
    assert header.startswith(OLD)


def test_the_header_names_each_kind_of_input_where_their_dates_differ(stale):
    stale.ok("price", "set", "BTC", "91000", "--date", "2026-12-03")
    header = stale.ok("mnav").splitlines()[1]
    assert header.startswith("Crypto prices of 2026-12-03, 1 day old · share closes of 2026-10-06, 59 days old "
                             "(stale) · USDJPY of 2026-10-06, 59 days old (stale)")
    assert "facts of 2026-03-31 to 2026-09-30, 1 stale" in header     # Metaplanet's share count: 248 days
    fresh = stale.ok("holdings", "MSTR").splitlines()[1]
    assert fresh == "Prices of 2026-12-03, 1 day old"


def test_explain_yield_and_the_report_say_it_too(stale, tmp_path):
    explained = stale.ok("explain", "MSTR").splitlines()
    assert explained[0].startswith("MSTR as of 2026-12-04") and explained[1].startswith(OLD)
    assert OLD in stale.ok("yield", "MSTR", "--since", "2026-06-30").splitlines()[1]
    target = tmp_path / "r.html"
    stale.ok("report", "--out", str(target))
    header = target.read_text().split("</header>")[0]
    assert "As of 2026-12-04" in header and f'<span class="stale">{OLD}' in header


def test_json_keeps_the_dates_in_its_keys_and_no_header(stale):
    rows = {row["ticker"]: row for row in stale.json("mnav")}
    mstr = rows["MSTR"]
    assert (mstr["as_of"], mstr["price_date"], mstr["share_price_date"], mstr["shares_basic_date"]) == (
        "2026-12-04", "2026-10-06", "2026-10-06", "2026-09-30")
    assert mstr["stale"] is True and rows["METAPLANET"]["fx_date"] == "2026-10-06"
    (held,) = stale.json("holdings", "MSTR")
    assert (held["price_date"], held["price_age_days"], held["price_stale"]) == ("2026-10-06", 59, True)
    assert stale.ok("mnav", "--format", "csv").splitlines()[0].startswith("ticker,")


def test_status_names_what_the_newest_snapshot_was_valued_on(stale):
    stale.ok("snapshot", "--offline", "--quiet")
    (report,) = stale.json("status")
    assert (report["latest_snapshot_date"], report["latest_snapshot_age_days"]) == ("2026-12-04", 0)
    assert (report["latest_snapshot_inputs_date"], report["latest_snapshot_inputs_age_days"],
            report["latest_snapshot_inputs_stale"]) == ("2026-10-06", 59, True)
    out = stale.ok("status")
    assert "latest snapshot: 2026-12-04 (0 days old)" in out
    assert "valued on prices of 2026-10-06, 59 days old (stale)" in out


def test_an_alert_on_stale_inputs_says_so_after_its_date(stale):
    stale.ok("alert", "add", "MSTR", "mnav", "<", "1")
    stale.ok("alert", "add", "MSTR", "holdings", ">", "50")   # the ledger's own figure: no price behind it
    out = stale.ok("snapshot", "--offline", "--quiet")
    assert out.splitlines() == ["ALERT MSTR mnav 0.009 < 1 2026-12-04 stale: prices of 2026-10-06",
                                "ALERT MSTR holdings 100 > 50 2026-12-04"]
