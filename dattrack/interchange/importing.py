"""`dattrack import FILE`: an export document into this database, every new row or none.

A row whose key is already here with the same content is skipped; with other content it is a
conflict, and conflicts are reported each by name before anything is written. New rows are
validated as the commands validate them; events keep their ids (so export, import, export gives
the same bytes) and every book they touch is replayed: the cached positions are rebuilt, and an
import that would make a position negative on any date is refused.

An export written before `known_on` existed still imports: its facts and instrument amounts are
public on their own date, its events on the UTC date they were recorded (else their date), as
the migration fills a database of that age.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from dattrack.dates import parse_date
from dattrack.errors import BadInput
from dattrack.interchange.tables import Layout, insert_row, layouts, read_rows
from dattrack.numbers import parse_decimal, to_text
from dattrack.app.books import rebook
from dattrack.app.companies import add_company, require_company
from dattrack.app.facts import set_fact
from dattrack.app.inputs import (check_currency, check_estimate, check_kind, check_known_on, check_origin, check_symbol,
                                 check_ticker)
from dattrack.dates import now_stamp
from dattrack.render.encode import json_value
from dattrack.store import Store
from dattrack.store import prices as price_rows

# Tables whose key names known_on: a row of an older export is public on its own date.
UNDATED_KEYS = {"facts": "known_on", "instrument_amounts": "known_on"}

@dataclass(frozen=True)
class Conflict:
    """A row of the file whose key is in the database with other content."""

    table: str
    key: tuple
    differences: tuple[tuple[str, str, str], ...]  # column, value here, value in the file (JSON text)

    def __str__(self) -> str:
        what = "; ".join(f"{column} is {here} here, {there} in the file" for column, here, there in self.differences)
        return f"{self.table} {_label(self.key)}: {what}"


@dataclass
class ImportPlan:
    new: dict[str, list[tuple[tuple, dict]]] = field(default_factory=dict)  # table -> (key, row)
    present: Counter = field(default_factory=Counter)
    conflicts: list[Conflict] = field(default_factory=list)


def plan_import(store: Store, tables: dict[str, list[dict]]) -> ImportPlan:
    """Sort the file's rows into new, already present and conflicting; writes nothing."""
    here = layouts(store)
    for name, rows in tables.items():
        if rows and name not in here:
            raise BadInput(f"the file has {name} but this database has no {name} table: upgrade dattrack")
    plan = ImportPlan()
    for name, layout in here.items():
        existing = {_key(layout, row): row for row in read_rows(store, layout)}
        seen = set()
        plan.new[name] = []
        for raw in tables.get(name, []):
            if name in UNDATED_KEYS and UNDATED_KEYS[name] in layout.columns and raw.get(UNDATED_KEYS[name]) is None:
                raw = {**raw, UNDATED_KEYS[name]: raw.get("date")}
            row = _file_row(layout, raw)
            key = _key(layout, row)
            if key in seen:
                raise BadInput(f"the file has {name} {_label(key)} twice")
            seen.add(key)
            stored = existing.get(key)
            if stored is None:
                plan.new[name].append((key, row))
                continue
            differences = tuple((column, json_value(stored.get(column)), json_value(value))
                                for column, value in row.items()
                                if json_value(stored.get(column)) != json_value(value))
            if differences:
                plan.conflicts.append(Conflict(name, key, differences))
            else:
                plan.present[name] += 1
    return plan


def apply_import(store: Store, plan: ImportPlan) -> Counter:
    """Write every new row, validated, then replay the books the events touched. Returns counts."""
    written: Counter = Counter()
    for name, write in WRITERS.items():
        for key, row in plan.new.get(name, []):
            try:
                write(store, name, row)
            except BadInput as exc:
                raise BadInput(f"{name} {_label(key)}: {exc}") from None
            written[name] += 1
    _rebook(store, {(row["ticker"].upper(), row["asset"].strip().upper()) for _, row in plan.new.get("events", [])})
    return written


# ---------------------------------------------------------------- one validated writer per table

def _write_company(store: Store, _: str, row: dict) -> None:
    add_company(store, row.get("ticker") or "", row.get("name") or "", asset=row.get("asset") or "BTC",
                currency=row.get("currency") or "USD", quote_symbol=row.get("quote_symbol"),
                exchange=row.get("exchange"), kind=row.get("kind") or "treasury", cik=row.get("cik"),
                note=row.get("note"), source=row.get("source"), coingecko_id=row.get("coingecko_id"))


def _write_asset(store: Store, name: str, row: dict) -> None:
    insert_row(store, name, {**row, "symbol": check_symbol(row.get("symbol") or "", "asset")})


def _write_price(store: Store, _: str, row: dict) -> None:
    basis = row.get("basis_date")
    price_rows.upsert(store, check_symbol(row.get("symbol") or "", "symbol"), _date(row),
                      parse_decimal(row.get("price"), "price", positive=True),
                      check_currency(row.get("currency") or ""), row.get("source"), row.get("fetched_at"),
                      None if basis is None else parse_date(basis, "basis_date").isoformat())


def _write_fact(store: Store, _: str, row: dict) -> None:
    value = row.get("value")
    set_fact(store, row.get("ticker") or "", row.get("name") or "",
             to_text(value) if isinstance(value, Decimal) else str(value), _date(row), row.get("source"),
             known_on=row.get("known_on"), estimate=row.get("estimate"))


def _kept_id(row: dict, what: str) -> int:
    """The id a row keeps across export and import (other rows name it): a positive integer."""
    value = row.get("id")
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise BadInput(f"{what} id {value!r} is not a positive integer")
    return value


def _write_event(store: Store, name: str, row: dict) -> None:
    """An event as stored (its amount final, its id kept), checked like a recorded one."""
    event_id = _kept_id(row, "event")
    kind = row.get("kind")
    if kind != check_kind(kind):  # as stored: lower case, no blanks
        raise BadInput(f"unknown event kind {kind!r}")
    amount = row.get("amount")  # None: a cost or proceeds nobody disclosed (a synced sale with no value)
    origin = check_origin(row.get("origin") or "import")  # an export from before provenance: it came in by import
    recorded_at = row.get("recorded_at")
    date = _date(row)
    # An export from before known_on: public on the day it was recorded, else on its own date.
    undated = max(date, recorded_at[:10]) if isinstance(recorded_at, str) and len(recorded_at) >= 10 else date
    extra = {"origin": origin, "recorded_at": recorded_at or now_stamp(),
             "known_on": check_known_on(row.get("known_on"), date, undated, "known_on"),
             "estimate": check_estimate(row.get("estimate"))}
    insert_row(store, name, {
        "id": event_id,
        "ticker": require_company(store, row.get("ticker") or "")["ticker"],
        "date": date,
        "asset": check_symbol(row.get("asset") or "", "asset"),
        "kind": kind,
        "quantity": parse_decimal(row.get("quantity"), "quantity", positive=kind != "balance"),
        "amount": None if amount is None else parse_decimal(amount, "amount"),
        "source": row.get("source"),
        "note": row.get("note"),
        "closes_day": int(kind == "balance"),
        **extra,
    })


def _write_snapshot(store: Store, name: str, row: dict) -> None:
    insert_row(store, name, {**row, "date": _date(row), "ticker": check_ticker(row["ticker"]),
                             "asset": check_symbol(row["asset"], "asset")})


def _write_instrument(store: Store, name: str, row: dict) -> None:
    """An instrument as stored (its id kept: its amounts name it), checked like `instrument add`."""
    from dattrack.valuation.inputs import INSTRUMENT_KINDS

    instrument_id = _kept_id(row, "instrument")
    kind = row.get("kind")
    if kind not in INSTRUMENT_KINDS:
        raise BadInput(f"unknown instrument kind {kind!r}: use one of {', '.join(INSTRUMENT_KINDS)}")
    if not str(row.get("name") or "").strip():
        raise BadInput("an instrument needs a name")
    seniority = row.get("seniority")
    if isinstance(seniority, bool) or not isinstance(seniority, int) or seniority < 1:
        raise BadInput(f"seniority {seniority!r} is not a positive whole number")
    ltvs = {}
    for column in ("margin_ltv", "liquidation_ltv"):
        ltvs[column] = _optional_decimal(row, column)
        if ltvs[column] is not None and not 0 < ltvs[column] <= 1:
            raise BadInput(f"{column} {ltvs[column]} is outside (0, 1]")
    if None not in ltvs.values() and ltvs["margin_ltv"] > ltvs["liquidation_ltv"]:
        raise BadInput("margin_ltv is above liquidation_ltv")
    maturity = row.get("maturity")
    if "origin" in row:
        check_origin(row["origin"])
    insert_row(store, name, {
        **row, "ticker": require_company(store, row.get("ticker") or "")["ticker"],
        "currency": check_currency(row.get("currency") or ""),
        "rate": _optional_decimal(row, "rate"), "conversion_price": _optional_decimal(row, "conversion_price"),
        "maturity": None if maturity is None else parse_date(maturity, "maturity", allow_future=True).isoformat(),
        "collateral_asset": None if row.get("collateral_asset") is None else check_symbol(row["collateral_asset"], "asset"),
        **ltvs})


def _write_instrument_amount(store: Store, name: str, row: dict) -> None:
    from dattrack.store import instruments as instrument_rows

    instrument_id = row.get("instrument_id")
    if not isinstance(instrument_id, int) or instrument_rows.get(store, instrument_id) is None:
        raise BadInput(f"no instrument with id {row.get('instrument_id')!r}")
    date = _date(row)
    insert_row(store, name, {**row, "date": date,
                             "outstanding": parse_decimal(row.get("outstanding"), "outstanding"),
                             "collateral": _optional_decimal(row, "collateral"),
                             "rate": _optional_decimal(row, "rate"), "shares": _optional_decimal(row, "shares"),
                             "known_on": check_known_on(row.get("known_on"), date, date, "known_on", announced=True),
                             "estimate": check_estimate(row.get("estimate"))})


def _write_issuance(store: Store, name: str, row: dict) -> None:
    """An issuance row as stored (its id kept), checked like a recorded one; the same disclosure under
    another id is refused."""
    from dattrack.app.issuance import checked_row
    from dattrack.store import issuance as issuance_rows

    issuance_id = _kept_id(row, "issuance")
    company = require_company(store, row.get("ticker") or "")
    checked = {**checked_row(company, row), "id": issuance_id, "origin": check_origin(row.get("origin") or "import"),
               "recorded_at": row.get("recorded_at") or now_stamp()}
    if issuance_rows.recorded(store, checked):
        raise BadInput("the same issuance (security, period and figures) is recorded here under another id")
    insert_row(store, name, checked)


def _write_alert(store: Store, name: str, row: dict) -> None:
    from dattrack.app.alerts import METRICS, OPS, SELL

    metric = row.get("metric")
    if metric not in (*METRICS, SELL):
        raise BadInput(f"unknown alert metric {metric!r}")
    if metric != SELL and row.get("op") not in OPS:
        raise BadInput(f"unknown operator {row.get('op')!r}")
    threshold = row.get("threshold")
    insert_row(store, name, {**row, "ticker": require_company(store, row.get("ticker") or "")["ticker"],
                             "threshold": None if threshold is None else Decimal(str(threshold))})


def _optional_decimal(row: dict, column: str) -> Decimal | None:
    value = row.get(column)
    return None if value is None else parse_decimal(value, column)


# In write order: companies before the rows that name them.
WRITERS = {"companies": _write_company, "assets": _write_asset, "prices": _write_price,
           "facts": _write_fact, "events": _write_event, "snapshots": _write_snapshot,
           "instruments": _write_instrument, "instrument_amounts": _write_instrument_amount, "alerts": _write_alert,
           "issuance": _write_issuance}


def _rebook(store: Store, books: set[tuple[str, str]]) -> None:
    for ticker, asset in sorted(books):
        rebook(store, ticker, asset, lambda shortfall, ticker=ticker, asset=asset: (
            f"{ticker} {asset}: event {shortfall.event_id}: {shortfall.text(asset)}"))


# ---------------------------------------------------------------- rows of the file

def _file_row(layout: Layout, raw: dict) -> dict:
    unknown = [c for c in raw if c not in layout.columns]
    if unknown:
        raise BadInput(f"{layout.name}: unknown column {unknown[0]!r}")
    missing = [c for c in layout.key if raw.get(c) is None]
    if missing:
        raise BadInput(f"{layout.name}: a row without {missing[0]!r}")
    row = {}
    for column, value in raw.items():
        if isinstance(value, (float, list, dict)):  # float: NaN or Infinity
            raise BadInput(f"{layout.name} {column}: {value!r} is not a value dattrack stores")
        if column in layout.table.decimals and isinstance(value, int) and not isinstance(value, bool):
            value = Decimal(value)
        row[column] = value
    return row


def _key(layout: Layout, row: dict) -> tuple:
    return tuple(row.get(c) for c in layout.key)


def _label(key: tuple) -> str:
    return "/".join(json_value(k).strip('"') for k in key)


def _date(row: dict) -> str:
    if not row.get("date"):
        raise BadInput("no date")
    return parse_date(row["date"]).isoformat()
