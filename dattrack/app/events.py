"""Every write a user can ask for, validated before it touches the database.

Each function runs inside the caller's `store.write()` transaction: an error raised anywhere
rolls the whole command back, so a command writes everything or nothing.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from dattrack.dates import parse_date, today
from dattrack.errors import BadInput
from dattrack.ledger import KINDS, Event, replay
from dattrack.ledger.replay import Shortfall
from dattrack.numbers import parse_decimal, to_text
from dattrack.app.prices import is_fx_pair
from dattrack.store import Store
from dattrack.store import companies as company_rows
from dattrack.store import events as event_rows
from dattrack.store import facts as fact_rows
from dattrack.store import prices as price_rows
from dattrack.freshness import CRYPTO_STALE_DAYS, is_stale

TICKER = re.compile(r"^[A-Z0-9][A-Z0-9.\-_]{0,19}$")
SYMBOL = re.compile(r"^[A-Z0-9][A-Z0-9.\-_=^]{0,19}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
COMPANY_KINDS = ("treasury", "miner", "other")
FACT_NAMES = ("shares_basic", "shares_diluted", "debt", "preferred", "cash", "mining_cost", "split")
IMPORT_HEADER = ["ticker", "date", "kind", "asset", "quantity", "price", "total", "fee", "source", "note"]


# ---------------------------------------------------------------- companies

def add_company(store: Store, ticker: str, name: str, *, asset: str = "BTC", currency: str = "USD",
                quote_symbol: str | None = None, exchange: str | None = None, kind: str = "treasury",
                cik: str | int | None = None, note: str | None = None, source: str | None = None) -> dict:
    ticker = check_ticker(ticker)
    if company_rows.get(store, ticker):
        raise BadInput(f"company {ticker} already exists")
    if not name or not str(name).strip():
        raise BadInput("a company needs a --name")
    if kind not in COMPANY_KINDS:
        raise BadInput(f"unknown company kind {kind!r}: use one of {', '.join(COMPANY_KINDS)}")
    company = {
        "ticker": ticker, "name": str(name).strip(), "asset": check_symbol(asset, "asset"),
        "currency": check_currency(currency), "quote_symbol": check_symbol(quote_symbol or ticker, "quote symbol"),
        "exchange": exchange or None, "kind": kind, "cik": check_cik(cik), "note": note or None,
        "source": source or None,
    }
    company_rows.insert(store, company)
    return company


def remove_company(store: Store, ticker: str, *, force: bool = False) -> None:
    company = require_company(store, ticker)
    count = company_rows.event_count(store, company["ticker"])
    if count and not force:
        raise BadInput(f"{company['ticker']} has {count} events; use --force to remove it with them")
    company_rows.delete(store, company["ticker"])


def require_company(store: Store, ticker: str) -> dict:
    company = company_rows.get(store, str(ticker))
    if company is None:
        raise BadInput(f"unknown ticker {str(ticker).upper()!r}")
    return company


# ---------------------------------------------------------------- events

class EventInput(NamedTuple):
    """One event as a user typed it (CLI options or a CSV row): text, not yet validated.
    A NamedTuple with the fields in the import header's order: an import builds a million."""

    ticker: str
    date: str | None = None
    kind: str = ""
    asset: str | None = None
    quantity: str = ""
    price: str | None = None
    total: str | None = None
    fee: str | None = None
    source: str | None = None
    note: str | None = None


def add_event(store: Store, entry: EventInput) -> int:
    row = _validated(store, entry, {})
    ticker, date, asset, kind, quantity, amount = row[:6]
    saved = event_rows.saved_position(store, ticker, asset)
    event_id = event_rows.insert(store, row)
    if saved is not None and _comes_last(store, row, saved[1]):
        # The common case, a new disclosure: continue the saved position instead of replaying the book.
        result = replay([Event(event_id, date, kind, quantity, amount)], start=saved[0])
        if result.shortfall is not None:
            raise BadInput(_shortfall_message(result.shortfall, asset))
        event_rows.save_position(store, ticker, asset, result.position, date)
    else:
        rebook(store, ticker, asset, lambda shortfall: _shortfall_message(shortfall, asset))
    return event_id


def _comes_last(store: Store, row: tuple, last_date: str) -> bool:
    """Whether a new event sorts after every recorded event of its book."""
    ticker, date, asset, kind = row[:4]
    if date != last_date:
        return date > last_date
    return kind == "balance" or not event_rows.closes_day(store, ticker, asset, date)


def remove_event(store: Store, event_id: int) -> dict:
    event = event_rows.get(store, event_id)
    if event is None:
        raise BadInput(f"no event with id {event_id}")
    event_rows.delete(store, event_id)
    rebook(store, event["ticker"], event["asset"],
            lambda s: f"removing event {event_id} would make the position negative: "
                      + _shortfall_message(s, event["asset"]))
    return event


def import_events(store: Store, path: Path, *, skip_existing: bool = False) -> int:
    """A CSV of events: every row validated, then all written (by company and date), or none."""
    entries = read_event_csv(path)
    return record_events(store, entries, skip_existing=skip_existing)


def read_event_csv(path: Path) -> Iterator[tuple[int, EventInput]]:
    """Numbered rows of an event CSV, read lazily; a bad header or row shape raises BadInput."""
    try:
        handle = open(path, newline="", encoding="utf-8-sig")
    except FileNotFoundError:
        raise BadInput(f"import file {path} does not exist") from None
    except OSError as exc:
        raise BadInput(f"cannot read import file {path}: {exc.strerror}") from None
    with handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise BadInput(f"{path} is empty: expected the header {','.join(IMPORT_HEADER)}")
        header = [h.strip().lower() for h in header]
        missing = [h for h in ("ticker", "date", "kind", "quantity") if h not in header]
        unknown = [h for h in header if h not in IMPORT_HEADER]
        if missing or unknown:
            raise BadInput(f"{path}: header must be {','.join(IMPORT_HEADER)}"
                           + (f" (missing {', '.join(missing)})" if missing else "")
                           + (f" (unknown {', '.join(unknown)})" if unknown else ""))
        positions = {h: header.index(h) for h in IMPORT_HEADER if h in header}
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                raise BadInput(f"{path} row {number}: expected {len(header)} fields, found {len(values)}")
            yield number, EventInput(*(_field(values, positions.get(h)) for h in IMPORT_HEADER))


def _field(values: list[str], index: int | None) -> str | None:
    return (values[index].strip() or None) if index is not None else None


def record_events(store: Store, entries: Iterable[tuple[int, EventInput]], *, skip_existing: bool = False) -> int:
    """Validate numbered entries, replay every touched book with them, then insert them all."""
    lookups: dict = {"today": today()}  # today, companies, asset symbols and prices, each read once per import
    rows = []
    for number, entry in entries:
        try:
            rows.append((number, _validated(store, entry, lookups)))
        except BadInput as exc:
            raise BadInput(f"row {number}: {exc}") from None
    # By book, then date; the sort is stable, so file order holds within a day. Book order makes
    # the inserts sequential in the events_book index.
    rows.sort(key=lambda item: (item[1][0], item[1][2], item[1][1]))
    if skip_existing:
        rows = [(n, r) for n, r in rows if not _already_recorded(store, r)]
    if not rows:
        return 0
    next_id = (store.query("SELECT coalesce(max(id), 0) FROM events")[0][0]) + 1
    new_by_book: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for offset, (number, row) in enumerate(rows):  # ids are given in this order by insert_many
        ticker, date, asset, kind, quantity, amount = row[:6]
        new_by_book[(ticker, asset)].append(Event(next_id + offset, date, kind, quantity, amount))
    results = {}
    for (ticker, asset), new in new_by_book.items():
        result = replay(event_rows.book(store, ticker, asset) + new)  # sorting nearly-sorted rows is cheap
        if result.shortfall is not None:
            offset = result.shortfall.event_id - next_id
            prefix = f"row {rows[offset][0]}: " if offset >= 0 else f"{ticker}: "
            raise BadInput(prefix + _shortfall_message(result.shortfall, asset))
        results[(ticker, asset)] = result
    event_rows.insert_many(store, [row for _, row in rows])
    for (ticker, asset), result in results.items():
        event_rows.save_position(store, ticker, asset, result.position, result.last_date)
    return len(rows)


def _already_recorded(store: Store, row: tuple) -> bool:
    ticker, date, asset, kind, quantity, amount, source, _ = row
    return bool(store.query(
        "SELECT 1 FROM events WHERE ticker = ? AND date = ? AND asset = ? AND kind = ? AND quantity = ?"
        " AND amount IS ? AND source IS ? LIMIT 1",
        (ticker, date, asset, kind, to_text(quantity), None if amount is None else to_text(amount), source)))


def _validated(store: Store, entry: EventInput, lookups: dict) -> tuple:
    company = _company_cached(store, entry.ticker, lookups)
    kind = check_kind(entry.kind)
    quantity = parse_decimal(entry.quantity, "quantity", positive=kind != "balance")
    if entry.date is None or not str(entry.date).strip():
        raise BadInput("an event needs a date (--date YYYY-MM-DD)")
    date = parse_date(entry.date, current=lookups.get("today")).isoformat()
    asset = _symbol_cached(entry.asset or company["asset"], lookups)
    amount = _amount(store, company, kind, quantity, date, asset, entry, lookups)
    return (company["ticker"], date, asset, kind, quantity, amount, entry.source or None, entry.note or None)


def _symbol_cached(text: str, cache: dict) -> str:
    key = ("symbol", text)
    if key not in cache:
        cache[key] = check_symbol(text, "asset")
    return cache[key]


def _company_cached(store: Store, ticker: str, cache: dict) -> dict:
    key = ("company", (ticker or "").upper())
    if key not in cache:
        cache[key] = require_company(store, ticker or "")
    return cache[key]


def _amount(store: Store, company: dict, kind: str, quantity: Decimal, date: str, asset: str,
            entry: EventInput, cache: dict) -> Decimal | None:
    """Money in the company's currency: total as given, or price x quantity +/- fee, or a fallback."""
    if entry.price is not None and entry.total is not None:
        raise BadInput("give either --price or --total, not both")
    if entry.fee is not None and entry.price is None:
        raise BadInput("--fee goes with --price (a --total already includes fees)")
    fee = parse_decimal(entry.fee, "fee") if entry.fee is not None else Decimal(0)
    if entry.total is not None:
        return parse_decimal(entry.total, "total")
    if entry.price is not None:
        gross = parse_decimal(entry.price, "price") * quantity
        if kind == "sell":
            if fee > gross:
                raise BadInput(f"the fee {fee} is more than the sale's gross proceeds {gross}")
            return gross - fee
        return gross + fee
    if kind == "balance":
        return None
    if kind in ("buy", "sell"):
        raise BadInput(f"a {kind} needs --price or --total")
    return _booked_value(store, company, quantity, date, asset, cache)


def _booked_value(store: Store, company: dict, quantity: Decimal, date: str, asset: str, cache: dict) -> Decimal:
    """mine/receive with no disclosed cost: the asset's close on that day (not stale) x quantity."""
    price = _lookupsd(store, asset, date, cache)
    if price is None or is_stale(price.date, date, CRYPTO_STALE_DAYS):
        raise BadInput(f"no {asset} price on or within {CRYPTO_STALE_DAYS} days before {date} to value "
                       f"this event: give --price or --total")
    value = price.price * quantity
    if company["currency"] != price.currency:
        pair = f"{price.currency}{company['currency']}"
        fx = _lookupsd(store, pair, date, cache)
        if fx is None or is_stale(fx.date, date, CRYPTO_STALE_DAYS):
            raise BadInput(f"no {pair} rate near {date} to value this event in {company['currency']}: "
                           f"give --price or --total")
        value *= fx.price
    return value


def _lookupsd(store: Store, symbol: str, date: str, cache: dict):
    key = ("price", symbol, date)
    if key not in cache:
        cache[key] = price_rows.on_or_before(store, symbol, date)
    return cache[key]


def rebook(store: Store, ticker: str, asset: str, message) -> None:
    """Replay a book after a change; a negative position anywhere refuses the change."""
    book = event_rows.book(store, ticker, asset)
    result = replay(book)
    if result.shortfall is not None:
        raise BadInput(message(result.shortfall))
    event_rows.save_position(store, ticker, asset, result.position if book else None, result.last_date)


def _shortfall_message(shortfall: Shortfall, asset: str = "") -> str:
    unit = f" {asset}" if asset else ""
    if shortfall.held == 0:
        return (f"a sell of {shortfall.wanted}{unit} on {shortfall.date} comes before any holding "
                f"(position then: 0)")
    return (f"a sell of {shortfall.wanted}{unit} on {shortfall.date} is more than the position then: "
            f"{shortfall.held}{unit}")


# ---------------------------------------------------------------- facts and prices

def set_fact(store: Store, ticker: str, name: str, value: str, date: str | None, source: str | None) -> tuple[str, str]:
    company = require_company(store, ticker)
    name = (name or "").strip().lower()
    if name not in FACT_NAMES:
        raise BadInput(f"unknown fact {name!r}: use one of {', '.join(FACT_NAMES)}")
    if name == "split":
        from dattrack.valuation import parse_split

        new, old = parse_split(value)
        text = f"{to_text(new)}:{to_text(old)}"
    else:
        text = to_text(parse_decimal(value, name, positive=name.startswith("shares") or name == "mining_cost"))
    day = parse_date(date).isoformat() if date else today().isoformat()
    fact_rows.upsert(store, company["ticker"], name, day, text, source or None)
    return day, text


def set_price(store: Store, symbol: str, value: str, date: str | None, currency: str | None,
              source: str | None = "manual") -> dict:
    symbol = check_symbol(symbol, "symbol")
    price = parse_decimal(value, "price", positive=True)
    day = parse_date(date).isoformat() if date else today().isoformat()
    if currency is None:  # the quoting company's currency; for an FX pair its second currency; else USD
        rows = store.query("SELECT currency FROM companies WHERE quote_symbol = ? LIMIT 1", (symbol,))
        currency = rows[0][0] if rows else (symbol[3:] if is_fx_pair(symbol) else "USD")
    currency = check_currency(currency)
    # A hand-typed close is the price as traded on its day: its split basis is that day.
    price_rows.upsert(store, symbol, day, price, currency, source, basis_date=day)
    return {"symbol": symbol, "date": day, "price": price, "currency": currency}


# ---------------------------------------------------------------- small validators

def check_kind(kind: str | None) -> str:
    value = (kind or "").strip().lower()
    if value not in KINDS:
        raise BadInput(f"unknown event kind {kind!r}: use one of {', '.join(KINDS)}")
    return value


def check_ticker(ticker: str) -> str:
    value = (ticker or "").strip().upper()
    if not TICKER.match(value):
        raise BadInput(f"invalid ticker {ticker!r}: letters, digits, '.', '-' or '_', at most 20")
    return value


def check_symbol(symbol: str, what: str) -> str:
    value = (symbol or "").strip().upper()
    if not SYMBOL.match(value):
        raise BadInput(f"invalid {what} {symbol!r}")
    return value


def check_currency(currency: str) -> str:
    value = (currency or "").strip().upper()
    if not CURRENCY.match(value):
        raise BadInput(f"invalid currency {currency!r}: a three-letter code such as USD or JPY")
    return value


def check_cik(cik) -> int | None:
    if cik is None or str(cik).strip() == "":
        return None
    text = str(cik).strip()
    if not text.isdigit() or int(text) == 0 or len(text) > 10:
        raise BadInput(f"invalid CIK {cik!r}: a positive number of at most 10 digits")
    return int(text)
