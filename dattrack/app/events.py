"""Events: recording one, importing a CSV of them, removing one, listing them. Every event is
validated (and its book replayed) before anything is written.

Each writing function runs inside the caller's `store.write()` transaction: an error raised
anywhere rolls the whole command back, so a command writes everything or nothing.
"""

from __future__ import annotations

import csv
from array import array
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from dattrack.app import books
from dattrack.app.books import rebook
from dattrack.app.companies import require_company
from dattrack.app.inputs import check_estimate, check_kind, check_known_on, check_origin, check_symbol, row_id, ticker_key
from dattrack.currency import convert, usd_pair
from dattrack.dates import parse_date, today
from dattrack.errors import BadInput
from dattrack.freshness import CRYPTO_STALE_DAYS, is_stale
from dattrack.ledger import Event
from dattrack.ledger.replay import Shortfall
from dattrack.numbers import parse_decimal
from dattrack.store import Store
from dattrack.store import events as event_rows
from dattrack.store import prices as price_rows

IMPORT_HEADER = ["ticker", "date", "kind", "asset", "quantity", "price", "total", "fee", "source", "note", "known_on",
                 "estimate"]
REQUIRED_COLUMNS = ("ticker", "date", "kind", "quantity")


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
    known_on: str | None = None     # the day it became public (default: today; a seed row: its date)
    estimate: str | None = None     # why the figure is rounded, derived or estimated


def add_event(store: Store, entry: EventInput, *, allow_duplicate: bool = False) -> int:
    row = _validated(store, entry, {})
    ticker, date, asset, kind, quantity, amount = row[:6]
    if not allow_duplicate:
        known = event_rows.known_id(store, ticker, asset, kind, date, quantity, amount)
        if known is not None:
            raise BadInput(f"{ticker} already has this {kind} of {quantity} {asset} on {date} as event {known} "
                           f"(use --allow-duplicate to record it again)")
    saved = books.saved_position(store, ticker, asset)
    event_id = event_rows.insert(store, row, origin="manual")
    message = lambda shortfall: shortfall.text(asset)  # noqa: E731
    if saved is not None and _comes_last(store, row, saved[1]):
        # The common case, a new disclosure: continue the saved state instead of replaying.
        books.append(store, ticker, asset, Event(event_id, date, kind, quantity, counted(row)), saved[0], message)
    else:
        rebook(store, ticker, asset, message)
    return event_id


def counted(row: tuple) -> Decimal | None:
    """A validated row's amount as the ledger counts it: an estimated amount is not a known cost."""
    return None if row[9] else row[5]


def _comes_last(store: Store, row: tuple, last_date: str) -> bool:
    """Whether a new event sorts after every recorded event of its book."""
    ticker, date, asset, kind = row[:4]
    if date != last_date:
        return date > last_date
    return kind == "balance" or not event_rows.closes_day(store, ticker, asset, date)


def event_listing(store: Store, ticker: str | None = None, kind: str | None = None, since: str | None = None,
                  until: str | None = None, *, newest: int | None = None) -> tuple[Iterable[dict], int | None]:
    """Recorded events, by company, asset and ledger order (with `newest`: only the newest N, by
    date), read as they are consumed; and, with `newest`, how many there are in all (else None).
    An unknown ticker is BadInput."""
    if ticker:
        ticker = require_company(store, ticker)["ticker"]
    kind = None if kind is None else check_kind(kind)
    rows = event_rows.listing(store, ticker, kind, since, until, newest=newest)
    total = None if newest is None else event_rows.listing_count(store, ticker, kind, since, until)
    return rows, total


def remove_event(store: Store, event_id: int) -> dict:
    if row_id(event_id) is None:
        raise BadInput(f"no event with id {str(event_id)[:30]}")
    event = event_rows.get(store, event_id)
    if event is None:
        raise BadInput(f"no event with id {event_id}")
    event_rows.delete(store, event_id)
    rebook(store, event["ticker"], event["asset"],
            lambda s: f"removing event {event_id} would make the position negative: "
                      + s.text(event["asset"]))
    return event


class Recorded(NamedTuple):
    added: int
    known: int      # rows skipped because their book already has that event


def import_events(store: Store, path: Path, *, origin: str = "import") -> Recorded:
    """A CSV of events: every row validated, then all new ones written (by company and date), or
    none; rows already recorded are skipped (rows of the file are not compared with each other)."""
    entries = read_event_csv(path)
    store.bulk()
    return record_events(store, entries, skip_known=True, origin=origin)


def read_event_csv(path: Path) -> Iterator[tuple[int, EventInput]]:
    """Numbered rows of an event CSV, read lazily; a bad header, row shape or encoding raises
    BadInput naming the row."""
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        raise BadInput(f"import file {path} does not exist") from None
    except OSError as exc:
        raise BadInput(f"cannot read import file {path}: {exc.strerror}") from None
    with handle:
        if handle.peek(2)[:2] in (b"\xff\xfe", b"\xfe\xff"):
            raise BadInput(f"{path} row 1: the file is UTF-16; save it as UTF-8")
        reader = csv.reader(_utf8_lines(handle, path))
        header = _next_row(reader, path)
        if header is None:
            raise BadInput(f"{path} is empty: expected the header {','.join(IMPORT_HEADER)}")
        header = [h.strip().lower() for h in header]
        missing = [h for h in REQUIRED_COLUMNS if h not in header]
        unknown = [h for h in header if h not in IMPORT_HEADER]
        if missing or unknown:
            raise BadInput(f"{path}: header must be {','.join(IMPORT_HEADER)}"
                           + (f" (missing {', '.join(missing)})" if missing else "")
                           + (f" (unknown {', '.join(unknown)})" if unknown else ""))
        twice = sorted({h for h in header if header.count(h) > 1})
        if twice:
            raise BadInput(f"{path} row 1: the header names {', '.join(twice)} more than once")
        width = len(header)
        # Where each EventInput field is in a row; a column the file lacks reads the '' put after the row.
        fields = [header.index(h) if h in header else width for h in IMPORT_HEADER]
        new = tuple.__new__  # EventInput(...) without NamedTuple's keyword handling: a million rows
        number = 1
        while True:
            values = _next_row(reader, path, number + 1)
            if values is None:
                return
            number += 1
            stripped = [v.strip() for v in values]
            if not any(stripped):
                continue
            if len(values) != width:
                raise BadInput(f"{path} row {number}: expected {width} fields, found {len(values)}")
            stripped.append("")
            yield number, new(EventInput, [stripped[i] or None for i in fields])


def _utf8_lines(handle, path: Path) -> Iterator[str]:
    """The file's lines decoded one by one, so that invalid UTF-8 is named with its line."""
    for number, raw in enumerate(handle, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadInput(f"{path} row {number}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
                           "save the file as UTF-8") from None
        except MemoryError:  # pragma: no cover - a line of gigabytes
            raise BadInput(f"{path} row {number}: a line too long to read") from None


def _next_row(reader, path: Path, number: int = 1) -> list[str] | None:
    """The next CSV row, or None at the end; what the csv module refuses (a NUL, a field over
    the csv field limit) is BadInput naming the row."""
    try:
        return next(reader, None)
    except csv.Error as exc:
        raise BadInput(f"{path} row {number}: {exc}") from None


def record_events(store: Store, entries: Iterable[tuple[int, EventInput]], *, skip_known: bool = False,
                  origin: str = "import") -> Recorded:
    """Validate and insert numbered entries as a stream, carrying each book's saved state along
    (books.Stream); a book that cannot be carried is replayed once at the end. Runs inside the
    caller's transaction: a bad row or a shortfall anywhere raises BadInput and the whole import
    rolls back. Memory holds one book at a time and a row number per event.
    skip_known: leave out rows whose book already has an event of that kind, date and quantity
    (and amount, when both have one); rows of this import are not compared with each other."""
    check_origin(origin)
    # today, companies, asset symbols and prices, each read once per import; a seed row without a
    # known_on is dated as public on its own date (the data set fills the column), any other on today.
    current = today()
    lookups: dict = {"today": current, "undated": current.isoformat(), "seed": origin == "seed",
                     "known_on_label": "known_on"}
    first_new = event_rows.next_id(store)  # ids are given in row order from here
    numbers = array("q")  # the row number of each inserted event, in id order
    stream = books.Stream(store)
    index = _KnownIndex(store) if skip_known else None
    known = 0
    in_order = [True, ("", "", "")]  # still in book and date order; the last (ticker, asset, date)
    new_event = tuple.__new__  # Event(...) without NamedTuple's keyword handling: a million rows

    def validated_rows() -> Iterator[tuple]:
        nonlocal known
        for number, entry in entries:
            try:
                row = _validated(store, entry, lookups)
            except BadInput as exc:
                raise BadInput(f"row {number}: {exc}") from None
            if index is not None and index.has(row):
                known += 1
                continue
            numbers.append(number)
            ticker, date, asset, kind, quantity = row[:5]
            key = (ticker, asset, date)
            if key < in_order[1]:
                in_order[0] = False
            in_order[1] = key
            stream.add(ticker, asset, new_event(Event, (first_new - 1 + len(numbers), date, kind, quantity,
                                                        counted(row))))
            yield row

    # Written by book, then date (file order within a day), as if the file had been sorted: the
    # common bulk file already comes that way, and its ids are the ones the stream carried.
    last_id, positions = event_rows.insert_many(store, validated_rows(), origin=origin,
                                                book_order=lambda: not in_order[0])
    to_replay = stream.finish()
    if not numbers:
        return Recorded(0, known)
    first_id = last_id - len(numbers) + 1
    if positions is not None:
        numbers = array("q", (numbers[position - 1] for position in positions))
    if first_id != first_new or positions is not None:
        to_replay = stream.seen  # every book touched: the ids the stream carried are not the ones written
    for ticker, asset in sorted(to_replay):
        def message(shortfall: Shortfall, ticker=ticker, asset=asset) -> str:
            offset = shortfall.event_id - first_id
            prefix = f"row {numbers[offset]}: " if offset >= 0 else f"{ticker}: "
            return prefix + shortfall.text(asset)

        rebook(store, ticker, asset, message)
    return Recorded(len(numbers), known)


class _KnownIndex:
    """The recorded events of each book a file touches, read once per book: (date, kind, quantity)
    -> amounts. A book with no events costs one query and nothing more."""

    def __init__(self, store: Store):
        self.store, self.books = store, {}

    def has(self, row: tuple) -> bool:
        ticker, date, asset, kind, quantity, amount = row[:6]
        book = self.books.get((ticker, asset))
        if book is None:
            book = self.books[(ticker, asset)] = {}
            for _, day, recorded_kind, recorded_quantity, recorded_amount in event_rows.book(self.store, ticker, asset):
                book.setdefault((day, recorded_kind, recorded_quantity), []).append(recorded_amount)
        amounts = book.get((date, kind, quantity))
        return amounts is not None and any(a is None or amount is None or a == amount for a in amounts)


def _validated(store: Store, entry: EventInput, lookups: dict) -> tuple:
    company = _company_cached(store, entry.ticker, lookups)
    kind = check_kind(entry.kind)
    quantity = parse_decimal(entry.quantity, "quantity", positive=kind != "balance")
    if entry.date is None or not str(entry.date).strip():
        raise BadInput("an event needs a date (--date YYYY-MM-DD)")
    date = _date_cached(entry.date, lookups)
    asset = _symbol_cached(entry.asset or company["asset"], lookups)
    amount = _amount(store, company, kind, quantity, date, asset, entry, lookups)
    known_on = _known_on_cached(entry.known_on, date, lookups)
    estimate = check_estimate(entry.estimate) if entry.estimate else None
    return (company["ticker"], date, asset, kind, quantity, amount, entry.source or None, entry.note or None, known_on,
            estimate)


def _known_on_cached(text: str | None, date: str, cache: dict) -> str:
    """The row's known_on: as given (checked once per text and date), else today, or for a seed
    row its date."""
    if not text:
        return date if cache.get("seed") else cache.get("undated") or today().isoformat()
    key = ("known_on", text, date)
    if key not in cache:
        cache[key] = check_known_on(text, date, date, cache.get("known_on_label", "--known-on"))
    return cache[key]


def _date_cached(text: str, cache: dict) -> str:
    key = ("date", text)  # an import repeats each day across its companies
    if key not in cache:
        cache[key] = parse_date(text, current=cache.get("today")).isoformat()
    return cache[key]


def _symbol_cached(text: str, cache: dict) -> str:
    key = ("symbol", text)
    if key not in cache:
        cache[key] = check_symbol(text, "asset")
    return cache[key]


def _company_cached(store: Store, ticker: str, cache: dict) -> dict:
    key = ("company", ticker_key(ticker) or ticker)   # non-ASCII names no company: never another's key
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
    if entry.total is not None:  # a purchase costs something; a sale may fetch nothing (a write-off)
        return parse_decimal(entry.total, "total", positive=kind == "buy")
    if entry.price is not None:
        gross = parse_decimal(entry.price, "price", positive=True) * quantity
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
    """mine/receive with no disclosed cost: the asset's close on that day (not stale) x quantity,
    in the company's currency by the one conversion rule."""
    price = _lookupsd(store, asset, date, cache)
    if price is None or is_stale(price.date, date, CRYPTO_STALE_DAYS):
        raise BadInput(f"no {asset} price on or within {CRYPTO_STALE_DAYS} days before {date} to value "
                       f"this event: give --price or --total")

    def usd_rate(currency: str) -> Decimal:
        pair = usd_pair(currency)
        fx = _lookupsd(store, pair, date, cache)
        if fx is None or is_stale(fx.date, date, CRYPTO_STALE_DAYS):
            raise BadInput(f"no {pair} rate near {date} to value this event in {company['currency']}: "
                           f"give --price or --total")
        return fx.price

    return convert(price.price * quantity, price.currency, company["currency"], usd_rate)


def _lookupsd(store: Store, symbol: str, date: str, cache: dict):
    key = ("price", symbol, date)
    if key not in cache:
        cache[key] = price_rows.on_or_before(store, symbol, date)
    return cache[key]
