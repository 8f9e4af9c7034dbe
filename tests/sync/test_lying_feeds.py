"""`sync` against feeds that lie: what cannot be true is refused or reported with a clear line,
never stored; the rest of the run is kept; a second run changes nothing (ledger/plausible.py
holds the rules, the providers' parsing refuses wrong answers).

Today is 2026-11-21 (DATTRACK_TODAY of every test)."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal

import pytest

from tests.fakes.disclosures import companyfacts, transaction, units_row
from tests.fakes.provider_server import _dumps as dumps

D = Decimal


def rows_of(result):
    return json.loads(result.stdout, parse_float=D, parse_int=D)


def events(db_path, ticker=None):
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT ticker, date, kind, quantity, amount, source FROM events"
                            + (" WHERE ticker = ?" if ticker else "") + " ORDER BY ticker, date, closes_day, id",
                            (ticker,) if ticker else ()).fetchall()


def facts(db_path):
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT ticker, name, date, value FROM facts ORDER BY ticker, name, date").fetchall()


def sync(cli, *args):
    return cli("sync", *args, "--format", "json")


def round_trips(cli, tmp_path) -> None:
    """What sync stored can be exported and imported back (no figure beyond the ledger's limits)."""
    (tmp_path / "export.json").write_text(cli.ok("export"))
    cli.ok("--db", str(tmp_path / "copy.db"), "import", str(tmp_path / "export.json"))


# -- CoinGecko ---------------------------------------------------------------------------------

@pytest.mark.parametrize("day", ["2030-01-02", "2099-06-30", "2199-12-31"])
def test_purchases_dated_in_the_future_are_refused_and_the_rest_recorded(cli, fake, db_path, tmp_path, day):
    fake.treasury["future"] = [transaction("2025-10-01", "buy", 5, 500000, 105),
                               transaction(day, "buy", 7, 700000, 112)]
    cli.ok("company", "add", "FUT", "--name", "Future", "--coingecko-id", "future")
    result = sync(cli, "--source", "coingecko")
    assert result.exit_code == 0, result.stderr
    refused = [r for r in rows_of(result) if r["date"] == day]
    assert [(r["kind"], r["status"]) for r in refused] == [("buy", "skipped")]
    assert refused[0]["reason"] == f"refused: dated {day}, in the future"
    assert [e[1] for e in events(db_path, "FUT")] == ["2025-09-30", "2025-10-01", "2025-10-01"]  # opening, buy, balance
    assert {r["status"] for r in rows_of(sync(cli, "--source", "coingecko"))} <= {"known", "skipped"}  # idempotent
    round_trips(cli, tmp_path)


@pytest.mark.parametrize("row, reason", [
    (transaction("2008-06-01", "buy", 5, 500000, 5), "refused: dated 2008-06-01, before BTC existed (2009-01-03)"),
    (transaction("2025-10-01", "buy", 5, 500000, 30_000_000),
     "refused: its running balance: 30,000,000 BTC is more than BTC will ever have (21,000,000)"),
    (transaction("2025-10-01", "buy", 25_000_000, 500000, 25_000_005),
     "refused: 25,000,000 BTC is more than BTC will ever have (21,000,000)"),
])
def test_impossible_quantities_and_dates_are_refused(cli, fake, db_path, row, reason):
    fake.treasury["liar"] = [transaction("2025-09-01", "buy", 5, 500000, 5), row]
    cli.ok("company", "add", "LIAR", "--name", "Liar", "--coingecko-id", "liar")
    rows = rows_of(sync(cli, "--source", "coingecko"))
    (skipped,) = [r for r in rows if r["status"] == "skipped"]
    assert skipped["reason"] == reason
    assert [(e[1], e[2], e[3]) for e in events(db_path, "LIAR")] == [("2025-09-01", "buy", "5"),
                                                                       ("2025-09-01", "balance", "5")]


def test_a_conversion_beyond_the_ledgers_limit_is_refused(cli, fake, db_path, tmp_path):
    """USD to JPY at 150: 9 x 10^14 USD is 1.35 x 10^17 JPY, beyond 10^15."""
    fake.treasury["metaplanet"] = [transaction("2025-10-01", "buy", 5, 500000, 30005),
                                   transaction("2025-10-20", "buy", 10, D("9e14"), 30015)]
    cli.ok("company", "add", "METAPLANET", "--name", "Metaplanet", "--currency", "JPY", "--quote-symbol", "3350.T",
           "--coingecko-id", "metaplanet")
    rows = rows_of(sync(cli, "--source", "coingecko"))
    (refused,) = [r for r in rows if r["status"] == "skipped"]
    assert refused["date"] == "2025-10-20" and "beyond the limit of 10^15" in refused["reason"]
    assert max(D(e[4]) for e in events(db_path) if e[4] is not None) <= D(10) ** 15
    round_trips(cli, tmp_path)


def test_a_history_whose_pages_repeat_for_ever_is_read_once(cli, fake, db_path):
    page = [transaction(f"2025-{1 + n // 28:02d}-{1 + n % 28:02d}", "buy", n + 1, 100000, 1000 + n * (n + 1) // 2)
            for n in range(100)]                               # a full page: there might be more...
    fake.fail("coingecko:treasury:loop", 200, times=None, content_type="application/json",
              body=dumps({"transactions": list(reversed(page))}))   # ...and every page is this one
    cli.ok("company", "add", "LOOP", "--name", "Loop", "--coingecko-id", "loop")
    result = sync(cli, "--source", "coingecko")
    assert result.exit_code == 0, result.stderr
    assert fake.hits["coingecko"] == 2                         # page 1, then page 2 that repeats it: stop
    assert "LOOP: CoinGecko's page 2 repeats page 1: older transactions not read" in result.stderr
    assert sum(1 for e in events(db_path, "LOOP") if e[2] == "buy") == 100


def test_a_null_body_is_a_failure_not_a_paid_plan(cli, fake, db_path):
    fake.treasury["good"] = [transaction("2025-10-01", "buy", 5, 500000, 5)]
    fake.fail("coingecko:treasury:void", 200, times=None, content_type="application/json", body="null")
    cli.ok("company", "add", "GOOD", "--name", "Good", "--coingecko-id", "good")
    cli.ok("company", "add", "VOID", "--name", "Void", "--coingecko-id", "void")
    result = sync(cli, "--source", "coingecko")
    assert result.exit_code == 1
    assert "paid plan" not in result.stderr
    assert "failed VOID: coingecko: transaction_history of 'void' answered None instead of a transactions list" \
        in result.stderr
    assert {e[0] for e in events(db_path)} == {"GOOD"}


def test_an_entity_id_that_is_a_path_is_never_requested(cli, fake, db_path):
    fake.entities = [{"id": "..", "symbol": "EVIL.US", "name": "Evil"},
                     {"id": "../../simple/price", "symbol": "EVIL2.US", "name": "Evil 2"}]
    cli.ok("company", "add", "EVIL", "--name", "Evil")
    cli.ok("company", "add", "EVIL2", "--name", "Evil 2")
    result = sync(cli, "--source", "coingecko")
    assert result.exit_code == 0, result.stderr
    assert "EVIL: not on CoinGecko's treasury list" in result.stderr
    assert [entry.path for entry in fake.log if entry.provider == "coingecko"] == ["/coingecko/entities/list"]
    assert cli.json("company", "list")[0].get("coingecko_id") is None


# -- SEC EDGAR ---------------------------------------------------------------------------------

ROW = {"accn": "0001050446-25-000123", "form": "10-Q", "filed": "2025-11-03"}


def test_an_answer_for_another_company_is_refused(cli, fake, db_path):
    document = companyfacts(999, units={"BTC": [units_row("2025-09-30", 640031, "0000000999-25-000001", "2025-11-03")]})
    document["entityName"] = "Other Corp"
    fake.companyfacts["0001050446"] = document                  # asked for Strategy, answered for CIK 999
    cli.ok("company", "add", "MSTR", "--name", "Strategy", "--cik", "1050446")
    result = sync(cli, "--source", "sec")
    assert result.exit_code == 1
    assert ("/api/xbrl/companyfacts/CIK0001050446.json answered for CIK 999 (Other Corp), not CIK 1050446: refused"
            in result.stderr and "failed MSTR: SEC EDGAR: " in result.stderr)
    assert events(db_path) == [] and facts(db_path) == []


def test_filings_of_another_company_are_not_listed(cli, fake, db_path):
    from tests.fakes.disclosures import submissions

    fake.submissions["0001050446"] = submissions(999, [("0000000999-25-000001", "2025-11-03", "8-K", "8.01", "a.htm")])
    cli.ok("company", "add", "MSTR", "--name", "Strategy", "--cik", "1050446")
    result = cli("filings", "--format", "json")
    assert result.exit_code == 1 and rows_of(result) == []
    assert "answered for CIK 999" in result.stderr


def test_units_that_are_not_the_concepts_are_not_read(cli, fake, db_path):
    """Crypto counted in USD is no balance of 5 billion BTC; debt in shares is no money."""
    document = companyfacts(1050446, units={"USD": [units_row("2025-09-30", 5_000_000_000, **_row())]},
                            cash=[units_row("2025-09-30", 54_300_000, **_row())])
    document["facts"]["us-gaap"]["LongTermDebt"] = {"units": {"shares": [units_row("2025-09-30", 8_200_000, **_row())]}}
    fake.companyfacts["0001050446"] = document
    cli.ok("company", "add", "MSTR", "--name", "Strategy", "--cik", "1050446")
    result = sync(cli, "--source", "sec")
    assert result.exit_code == 0, result.stderr
    assert rows_of(result) == [] and events(db_path) == []
    assert "MSTR: SEC EDGAR: CryptoAssetNumberOfUnits in 'USD' is no number of coins: not read" in result.stderr
    assert facts(db_path) == [("MSTR", "cash", "2025-09-30", "54300000")]   # the debt in shares is not money


def _row():
    return {"accn": ROW["accn"], "filed": ROW["filed"]}


def test_absurd_sec_figures_are_refused_with_their_reason_and_the_export_imports_back(cli, fake, db_path, tmp_path):
    """The issue's cases: 10^30 BTC, a period ending in 2099, 10^20 shares, negative cash, 1.5e300 of debt."""
    document = companyfacts(
        1050446,
        units={"BTC": [units_row("2025-06-30", 628791, **_row()), units_row("2025-09-30", D("1e30"), **_row()),
                       units_row("2099-09-30", 700000, **_row())]},
        shares=[units_row("2025-10-27", D("1e20"), **_row())],
        cash=[units_row("2025-09-30", -54_300_000, **_row())])
    document["facts"]["us-gaap"]["LongTermDebt"] = {"units": {"USD": [units_row("2025-09-30", D("1.5e300"), **_row())]}}
    fake.companyfacts["0001050446"] = document
    cli.ok("company", "add", "MSTR", "--name", "Strategy", "--cik", "1050446")
    result = sync(cli, "--source", "sec")
    assert result.exit_code == 0, result.stderr
    rows = {r["date"]: r for r in rows_of(result)}
    assert rows["2025-06-30"]["status"] == "added"
    assert rows["2025-09-30"]["status"] == "skipped" and "beyond the limit of 10^15" in rows["2025-09-30"]["reason"]
    assert rows["2099-09-30"]["reason"] == "refused: dated 2099-09-30, in the future"
    assert [e[3] for e in events(db_path)] == ["628791"]
    assert facts(db_path) == []
    for refused in ("shares_basic of 2025-10-27 refused: shares_basic 1.000e+20 is larger than 10^15",
                    "cash of 2025-09-30 refused: cash -54300000 is negative or not a number",
                    "debt of 2025-09-30 refused: debt 1.500e+300 is larger than 10^15"):
        assert f"MSTR: {refused}" in result.stderr
    round_trips(cli, tmp_path)


# -- a source that changes its story --------------------------------------------------------

def test_a_transaction_that_changes_on_resync_is_reported_never_rewritten(cli, fake, db_path):
    fake.treasury["shifty"] = [transaction("2025-10-01", "buy", 10, 1000000, 110)]
    cli.ok("company", "add", "SHIFT", "--name", "Shifty", "--coingecko-id", "shifty")
    cli.ok("sync", "--source", "coingecko")
    before = events(db_path, "SHIFT")
    fake.treasury["shifty"] = [transaction("2025-10-01", "buy", 12, 1200000, 112)]   # the same filing, new figures
    for args in ((), ("--since", "2025-01-01")):
        rows = rows_of(sync(cli, "--source", "coingecko", *args))
        (buy,) = [r for r in rows if r["kind"] == "buy"]
        assert buy["status"] == "skipped"
        assert buy["reason"].startswith("changed since recorded as event 2 (quantity 10 -> 12; amount 1000000 -> "
                                        "1200000): not rewritten")
        assert events(db_path, "SHIFT") == before


def test_a_running_balance_that_contradicts_the_transactions_is_said(cli, fake, db_path):
    cli.ok("company", "add", "RUN", "--name", "Runner", "--coingecko-id", "runner")
    cli.ok("event", "add", "RUN", "buy", "100", "--date", "2025-09-01", "--total", "9000000")
    fake.treasury["runner"] = [transaction("2025-10-01", "buy", 5, 500000, 200)]     # 100 + 5 is not 200
    rows = rows_of(sync(cli, "--source", "coingecko"))
    balance = next(r for r in rows if r["kind"] == "balance")
    assert balance["status"] == "added"
    assert balance["reason"] == ("the running balance contradicts the events: they add up to 105 "
                                 "(+95 unexplained; dattrack check shows it)")
    consistent = rows_of(sync(cli, "--source", "coingecko"))
    assert {r["status"] for r in consistent} == {"known"}
