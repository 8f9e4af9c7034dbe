"""The bundled data set in data/ is well-formed, sourced and keeps its known gaps visible.

Standard library only: the loader that reads these files into the database is
tested elsewhere; this file checks the files themselves.
"""
import csv
import datetime as dt
import importlib.util
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"
SHARED_PRICES = DATA.parent.parent / "shared" / "prices"

HEADERS = {
    "companies.csv": ["ticker", "name", "currency", "quote_symbol", "exchange", "kind", "asset", "cik", "note", "source"],
    "events.csv": ["ticker", "date", "kind", "asset", "quantity", "price", "total", "fee", "source", "note"],
    "facts.csv": ["ticker", "name", "value", "date", "source"],
    "prices.csv": ["symbol", "date", "price", "currency", "source", "basis_date"],
}
EVENT_KINDS = {"buy", "sell", "mine", "receive", "balance"}
FACT_NAMES = {"shares_basic", "shares_diluted", "debt", "preferred", "cash", "mining_cost", "split"}
COMPANY_KINDS = {"treasury", "miner", "other"}
LATEST_ALLOWED = dt.date(2026, 11, 21)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PLAIN_DECIMAL = re.compile(r"^\d+(\.\d+)?$")


def rows(name):
    with open(DATA / name, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        assert header == HEADERS[name], f"{name}: unexpected header {header}"
        body = list(reader)
    for line, row in enumerate(body, start=2):
        assert len(row) == len(header), f"{name}:{line}: {len(row)} fields, expected {len(header)}"
    return [dict(zip(header, row)) for row in body]


def as_date(text, where):
    assert ISO_DATE.match(text), f"{where}: {text!r} is not an ISO date"
    day = dt.date.fromisoformat(text)
    assert day <= min(dt.date.today(), LATEST_ALLOWED), f"{where}: {text} is in the future"
    return day


def as_decimal(text, where):
    assert PLAIN_DECIMAL.match(text), f"{where}: {text!r} is not a plain non-negative decimal"
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the regex already guards this
        pytest.fail(f"{where}: {text!r} is not a number")
    assert value <= Decimal(10) ** 15, f"{where}: {text} exceeds 10^15"
    fraction = text.split(".", 1)[1] if "." in text else ""
    assert len(fraction) <= 18, f"{where}: {text} has more than 18 fractional digits"
    return value


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_every_file_parses_and_every_row_has_a_source(name):
    body = rows(name)
    assert body, f"{name} is empty"
    for line, row in enumerate(body, start=2):
        assert row["source"].strip(), f"{name}:{line} has no source"


def test_companies():
    companies = rows("companies.csv")
    tickers = [c["ticker"] for c in companies]
    assert len(tickers) == len(set(tickers))
    assert set(tickers) == {"CANG", "EMPD", "SQNS", "ETHZ", "BTDR", "BMNR", "SBET", "MSTR", "MARA", "METAPLANET"}
    for c in companies:
        assert c["ticker"] == c["ticker"].upper()
        assert c["name"] and c["currency"] and c["quote_symbol"] and c["asset"]
        assert c["kind"] in COMPANY_KINDS, c
        assert c["cik"] == "" or c["cik"].isdigit(), c
    by_ticker = {c["ticker"]: c for c in companies}
    assert by_ticker["METAPLANET"]["currency"] == "JPY"
    assert by_ticker["METAPLANET"]["quote_symbol"] == "3350.T"
    assert by_ticker["METAPLANET"]["cik"] == ""
    assert by_ticker["ETHZ"]["asset"] == "ETH"


def test_events_are_valid():
    tickers = {c["ticker"] for c in rows("companies.csv")}
    for line, e in enumerate(rows("events.csv"), start=2):
        where = f"events.csv:{line}"
        assert e["ticker"] in tickers, f"{where}: unknown ticker {e['ticker']}"
        assert e["kind"] in EVENT_KINDS, f"{where}: unknown kind {e['kind']}"
        assert e["asset"], where
        as_date(e["date"], where)
        quantity = as_decimal(e["quantity"], where)
        if e["kind"] == "balance":
            assert quantity >= 0, where
            assert not e["price"] and not e["fee"], f"{where}: a balance carries no price or fee"
        else:
            assert quantity > 0, f"{where}: quantity must be > 0"
        for field in ("price", "total", "fee"):
            if e[field]:
                value = as_decimal(e[field], f"{where} {field}")
                if field != "fee":
                    assert value > 0, f"{where}: {field} must be > 0"
        if e["kind"] in ("buy", "sell"):
            assert e["price"] or e["total"], f"{where}: a {e['kind']} needs a price or a total"
            assert not (e["price"] and e["total"]), f"{where}: give a price or a total, not both"


def test_facts_are_valid():
    tickers = {c["ticker"] for c in rows("companies.csv")}
    for line, f in enumerate(rows("facts.csv"), start=2):
        where = f"facts.csv:{line}"
        assert f["ticker"] in tickers, where
        assert f["name"] in FACT_NAMES, where
        as_date(f["date"], where)
        if f["name"] == "split":
            assert re.match(r"^\d+:\d+$", f["value"]), f"{where}: split {f['value']!r}"
            new, old = (int(x) for x in f["value"].split(":"))
            assert new > 0 and old > 0 and new != old, where
        else:
            assert as_decimal(f["value"], where) > 0, where


def test_prices_are_valid_and_cover_every_company():
    prices = rows("prices.csv")
    seen = set()
    for line, p in enumerate(prices, start=2):
        where = f"prices.csv:{line}"
        as_date(p["date"], where)
        assert as_decimal(p["price"], where) > 0, where
        assert p["source"].startswith("bundled snapshot: "), where
        assert (p["symbol"], p["date"]) not in seen, f"{where}: duplicate"
        seen.add((p["symbol"], p["date"]))
        expected_currency = "JPY" if p["symbol"] in ("3350.T", "USDJPY") else "USD"
        assert p["currency"] == expected_currency, where
        if p["symbol"] in ("BTC", "ETH", "USDJPY"):
            assert p["basis_date"] == "", where
        else:
            as_date(p["basis_date"], where)
    symbols = {p["symbol"] for p in prices}
    for c in rows("companies.csv"):
        assert c["quote_symbol"] in symbols, f"no price for {c['quote_symbol']}"
        assert c["asset"] in symbols, f"no price for {c['asset']}"
        if c["currency"] != "USD":
            assert "USD" + c["currency"] in symbols, f"no FX price for {c['currency']}"
    for e in rows("events.csv"):
        assert e["asset"] in symbols, f"no price for {e['asset']}"


def replay(events):
    """Position per (ticker, asset) just before each balance, in ledger order.

    A balance is the position at the end of its date, after every other event of
    that date; other events of one date keep their file order.
    """
    order = sorted(range(len(events)), key=lambda i: (events[i]["date"], events[i]["kind"] == "balance", i))
    position, before_balance = {}, []
    for i in order:
        e = events[i]
        key = (e["ticker"], e["asset"])
        qty = Decimal(e["quantity"])
        held = position.get(key, Decimal(0))
        if e["kind"] == "balance":
            before_balance.append((e, held))
            position[key] = qty
        else:
            held = held - qty if e["kind"] == "sell" else held + qty
            assert held >= 0, f"{key} would be negative on {e['date']}"
            position[key] = held
    return before_balance


def test_no_position_goes_negative():
    replay(rows("events.csv"))


def test_cango_february_gap_stays_visible():
    events = [e for e in rows("events.csv") if e["ticker"] == "CANG"]
    checked = {e["date"]: held for e, held in replay(events)}
    assert checked["2026-02-28"] == Decimal("3478.45")
    disclosed = next(Decimal(e["quantity"]) for e in events if e["kind"] == "balance" and e["date"] == "2026-02-28")
    assert disclosed - checked["2026-02-28"] == Decimal("-165.05")
    # the monthly balances before February agree with their production figures
    for date in ("2025-08-31", "2025-09-30", "2025-10-31", "2025-12-31"):
        disclosed = next(Decimal(e["quantity"]) for e in events if e["kind"] == "balance" and e["date"] == date)
        assert checked[date] == disclosed, date


def test_exact_costs_as_disclosed():
    by_key = {(e["ticker"], e["date"], e["kind"], e["asset"]): e for e in rows("events.csv")}
    ethz = by_key[("ETHZ", "2025-08-31", "balance", "ETH")]
    assert Decimal(ethz["total"]) == Decimal(102237) * Decimal("3948.72")
    metaplanet = by_key[("METAPLANET", "2025-12-30", "balance", "BTC")]
    assert Decimal(metaplanet["total"]) == Decimal(35102) * Decimal(15945691)
    assert by_key[("MARA", "2025-09-30", "balance", "BTC")]["total"] == "4637673000"
    assert by_key[("SBET", "2025-09-30", "balance", "ETH")]["total"] == "3022327258"


@pytest.mark.skipif(not SHARED_PRICES.is_dir(), reason="shared price closes not available")
def test_prices_csv_is_what_build_prices_writes():
    spec = importlib.util.spec_from_file_location("build_prices", DATA / "build_prices.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = [[str(x) for x in row] for row in module.build(SHARED_PRICES)]
    with open(DATA / "prices.csv", newline="", encoding="utf-8") as fh:
        on_disk = list(csv.reader(fh))[1:]
    assert built == on_disk
