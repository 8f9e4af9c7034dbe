"""`instrument add|set|list`: a company's debt and preferred claims with dated, sourced amounts.

Validation happens before any write; each function runs in the caller's transaction."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

from dattrack.dates import parse_date, today
from dattrack.errors import BadInput
from dattrack.numbers import parse_decimal, to_text
from dattrack.app.companies import require_company
from dattrack.app.inputs import check_currency, check_estimate, check_known_on, check_origin, check_symbol, row_id
from dattrack.store import Store
from dattrack.store import events as event_rows
from dattrack.store import instruments as instrument_rows
from dattrack.valuation.inputs import INSTRUMENT_KINDS, Instrument, Sourced

DEFAULT_SENIORITY = {"loan": 1, "note": 2, "convertible": 3, "preferred": 4}
LOAN_ONLY = ("collateral", "collateral_asset", "margin_ltv", "liquidation_ltv")
CSV_HEADER = ["ticker", "name", "kind", "currency", "rate", "maturity", "conversion_price", "seniority", "collateral",
              "collateral_asset", "margin_ltv", "liquidation_ltv", "date", "outstanding", "source", "note",
              "known_on", "estimate"]
LIST_KEYS = ("id", "ticker", "name", "kind", "currency", "outstanding", "outstanding_date", "rate", "maturity",
             "conversion_price", "seniority", "collateral", "collateral_asset", "margin_ltv", "liquidation_ltv",
             "source")


def add_instrument(store: Store, ticker: str, name: str, *, kind: str, outstanding: str, date: str,
                   currency: str | None = None, rate: str | None = None, maturity: str | None = None,
                   conversion_price: str | None = None, seniority: str | int | None = None,
                   collateral: str | None = None, collateral_asset: str | None = None,
                   margin_ltv: str | None = None, liquidation_ltv: str | None = None,
                   source: str | None = None, note: str | None = None, known_on: str | None = None,
                   estimate: str | None = None, origin: str = "manual") -> int:
    """Add an instrument with its first amount, public on `known_on` (default today)."""
    company = require_company(store, ticker)
    name = (name or "").strip()
    if not name:
        raise BadInput("an instrument needs a NAME (e.g. \"2030 convertible notes\")")
    kind = (kind or "").strip().lower()
    if kind not in INSTRUMENT_KINDS:
        raise BadInput(f"unknown instrument kind {kind!r}: use one of {', '.join(INSTRUMENT_KINDS)}")
    given = {"collateral": collateral, "collateral_asset": collateral_asset, "margin_ltv": margin_ltv,
             "liquidation_ltv": liquidation_ltv}
    if kind != "loan":
        named = [f"--{k.replace('_', '-')}" for k in LOAN_ONLY if given[k] not in (None, "")]
        if named:
            raise BadInput(f"{' and '.join(named)} describe a crypto-backed loan, not a {kind}")
    if conversion_price not in (None, "") and kind not in ("convertible", "preferred"):
        raise BadInput(f"--conversion-price is for convertibles and preferreds, not a {kind}")
    existing = instrument_rows.find(store, company["ticker"], name)
    if existing is not None:
        raise BadInput(f"{company['ticker']} already has an instrument named {name!r} (id {existing['id']}): "
                       f"record a new amount with: dattrack instrument set {existing['id']} --outstanding P --date D")
    margin = _ltv(margin_ltv, "--margin-ltv")
    liquidation = _ltv(liquidation_ltv, "--liquidation-ltv")
    if margin is not None and liquidation is not None and margin > liquidation:
        raise BadInput(f"--margin-ltv {margin} is above --liquidation-ltv {liquidation}: a margin call comes first")
    pledged = _optional(collateral, "--collateral")
    day = _day(date)
    matures = parse_date(maturity, "--maturity", allow_future=True).isoformat() if maturity else None
    if matures is not None and matures < day:
        raise BadInput(f"--maturity {matures} is before --date {day}: an instrument cannot mature before it is "
                       "outstanding")
    pledging = check_symbol(collateral_asset, "--collateral-asset") if collateral_asset else None
    if pledging is not None:
        held = sorted({company["asset"], *(a for t, a in event_rows.book_keys(store, [company["ticker"]]))})
        if pledging not in held:
            raise BadInput(f"{company['ticker']} holds no {pledging}: collateral is pledged from its holdings "
                           f"({', '.join(held)})")
    instrument = {
        "ticker": company["ticker"], "name": name, "kind": kind,
        "currency": check_currency(currency) if currency else company["currency"],
        "rate": _text(_rate(rate)),
        "maturity": matures,
        "conversion_price": _text(_optional(conversion_price, "--conversion-price", positive=True)),
        "seniority": _seniority(seniority, kind),
        "collateral_asset": (pledging if pledging is not None
                             else company["asset"] if pledged is not None or margin or liquidation else None),
        "margin_ltv": _text(margin), "liquidation_ltv": _text(liquidation), "note": note or None,
        "origin": check_origin(origin),
    }
    amount = parse_decimal(outstanding, "--outstanding")
    public = check_known_on(known_on, day, today().isoformat(), announced=True)
    instrument_id = instrument_rows.insert(store, instrument)
    instrument_rows.upsert_amount(store, instrument_id, day, to_text(amount), _text(pledged), source or None, public,
                                  check_estimate(estimate))
    return instrument_id


def set_amount(store: Store, instrument_id: str | int, *, outstanding: str, date: str,
               collateral: str | None = None, source: str | None = None, known_on: str | None = None,
               estimate: str | None = None) -> dict:
    """A new dated outstanding amount (a repayment, a draw, a conversion; 0 = gone), public on
    `known_on` (default today); the same date with a later known_on is a revision."""
    instrument = get_instrument(store, instrument_id)
    if collateral not in (None, "") and instrument["kind"] != "loan":
        raise BadInput(f"--collateral describes a crypto-backed loan; instrument {instrument['id']} is a "
                       f"{instrument['kind']}")
    amount = parse_decimal(outstanding, "--outstanding")
    pledged = _optional(collateral, "--collateral")
    day = _day(date)
    public = check_known_on(known_on, day, today().isoformat(), announced=True)
    instrument_rows.upsert_amount(store, instrument["id"], day, to_text(amount), _text(pledged), source or None, public,
                                  check_estimate(estimate))
    return {**instrument, "outstanding": amount, "date": day, "known_on": public}


def get_instrument(store: Store, instrument_id: str | int) -> dict:
    number = row_id(instrument_id)
    found = instrument_rows.get(store, number) if number is not None else None
    if found is None:
        raise BadInput(f"no instrument with id {str(instrument_id)[:30]}")
    return found


def list_instruments(store: Store, ticker: str | None = None, as_of: str | None = None,
                     known_on: str | None = None) -> list[dict]:
    """Each instrument with the amount in force on the date (today by default), as known on
    `known_on` (default: everything recorded)."""
    tickers = [require_company(store, ticker)["ticker"]] if ticker else None
    day = as_of or today().isoformat()
    rows = []
    for instrument, state in _with_amounts(store, tickers, day, known_on):
        rows.append({
            "id": instrument["id"], "ticker": instrument["ticker"], "name": instrument["name"],
            "kind": instrument["kind"], "currency": instrument["currency"],
            "outstanding": _decimal(state["outstanding"]), "outstanding_date": state["date"],
            "rate": _decimal(instrument["rate"]), "maturity": instrument["maturity"],
            "conversion_price": _decimal(instrument["conversion_price"]), "seniority": instrument["seniority"],
            "collateral": _decimal(state["collateral"]), "collateral_asset": instrument["collateral_asset"],
            "margin_ltv": _decimal(instrument["margin_ltv"]), "liquidation_ltv": _decimal(instrument["liquidation_ltv"]),
            "source": state["source"],
        })
    return rows


def instruments_in_force(store: Store, tickers: list[str], day: str, fx_on,
                         known_on: str | None = None) -> dict[str, tuple[Instrument, ...]]:
    """Each company's instruments with an amount on or before the day (of those public by `known_on`,
    when given), as the valuation reads them, every selected company at once. fx_on(currency) gives
    that currency's units per USD on the day as a Sourced (or None)."""
    found: dict[str, list[Instrument]] = {ticker: [] for ticker in tickers}
    for row, state in _with_amounts(store, tickers, day, known_on):
        if state["outstanding"] is None:
            continue
        found.setdefault(row["ticker"], []).append(Instrument(
            id=row["id"], name=row["name"], kind=row["kind"], currency=row["currency"], seniority=row["seniority"],
            outstanding=Sourced(Decimal(state["outstanding"]), _date(state["date"]), state["source"]),
            fx=None if row["currency"] == "USD" else fx_on(row["currency"]),
            rate=_decimal(row["rate"]), maturity=_date(row["maturity"]),
            conversion_price=_decimal(row["conversion_price"]),
            collateral=None if state["collateral"] is None else Sourced(
                Decimal(state["collateral"]), _date(state["collateral_date"]), state["collateral_source"]),
            collateral_asset=row["collateral_asset"], margin_ltv=_decimal(row["margin_ltv"]),
            liquidation_ltv=_decimal(row["liquidation_ltv"]), terms_source=state["first_source"],
            terms_date=_date(state["first_date"])))
    return {ticker: tuple(found_) for ticker, found_ in found.items()}


def _with_amounts(store: Store, tickers: list[str] | None, day: str,
                  known_on: str | None = None) -> list[tuple[dict, dict]]:
    """Each instrument with its state on the day: the latest amount on or before it, and the latest
    collateral recorded on or before it (an amount without collateral keeps the one before); with
    `known_on`, of the amounts public by then (a revised amount shows as it was known)."""
    instruments = instrument_rows.of_companies(store, tickers, known_on)
    history = instrument_rows.amounts(store, [i["id"] for i in instruments], known_on)
    result = []
    for instrument in instruments:
        amounts = history[instrument["id"]]
        state = {"outstanding": None, "date": None, "source": None, "known_on": None, "estimate": None,
                 "collateral": None, "collateral_date": None,
                 "collateral_source": None, "first_source": amounts[0]["source"] if amounts else None,
                 "first_date": amounts[0]["date"] if amounts else None}
        for amount in amounts:
            if amount["date"] > day:
                break
            state.update(outstanding=amount["outstanding"], date=amount["date"], source=amount["source"],
                         known_on=amount["known_on"], estimate=amount["estimate"])
            if amount["collateral"] is not None:
                state.update(collateral=amount["collateral"], collateral_date=amount["date"],
                             collateral_source=amount["source"])
        if state["outstanding"] is not None and Decimal(state["outstanding"]) == 0:
            state["collateral"] = None  # a repaid loan pledges nothing
        result.append((instrument, state))
    return result


# ---------------------------------------------------------------- the bundled CSV

def load_instrument_csv(store: Store, path: Path) -> int:
    """data/instruments.csv: one row per dated amount, public on its `known_on` (empty: its date); rows
    of one (ticker, name) are one instrument (its first row adds it, later rows set amounts). Idempotent: an amount already recorded on its date is kept.
    Collateral fields on a non-loan row (a secured convertible) are not loaded: only loans pledge units.
    Returns how many amounts were added."""
    rows = _read_csv(path)
    added = 0
    for number, row in rows:
        try:
            added += _load_row(store, row)
        except BadInput as exc:
            raise BadInput(f"{path.name} row {number}: {exc}") from None
    return added


def _load_row(store: Store, row: dict) -> int:
    company = require_company(store, row["ticker"])
    if (row["kind"] or "").strip().lower() != "loan":
        # Collateral is a loan's (SPEC 7); what secures a note or convertible stays in the row's note.
        row = {**row, "collateral": None, "collateral_asset": None, "margin_ltv": None, "liquidation_ltv": None}
    existing = instrument_rows.find(store, company["ticker"], (row["name"] or "").strip())
    if existing is None:
        add_instrument(store, company["ticker"], row["name"], kind=row["kind"], outstanding=row["outstanding"],
                       date=row["date"], currency=row["currency"], rate=row["rate"], maturity=row["maturity"],
                       conversion_price=row["conversion_price"], seniority=row["seniority"],
                       collateral=row["collateral"], collateral_asset=row["collateral_asset"],
                       margin_ltv=row["margin_ltv"], liquidation_ltv=row["liquidation_ltv"], source=row["source"],
                       note=row["note"], known_on=row.get("known_on") or row["date"],
                       estimate=row.get("estimate"), origin="seed")
        return 1
    if instrument_rows.amount_on(store, existing["id"], _day(row["date"] or "")) is not None:
        return 0
    set_amount(store, existing["id"], outstanding=row["outstanding"], date=row["date"], collateral=row["collateral"],
               source=row["source"], known_on=row.get("known_on") or row["date"],
               estimate=row.get("estimate"))
    return 1


def _read_csv(path: Path) -> list[tuple[int, dict]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = [h.strip().lower() for h in next(reader, [])]
        if header not in (CSV_HEADER, CSV_HEADER[:-2]):
            raise BadInput(f"{path.name}: header must be {','.join(CSV_HEADER)}")
        rows = []
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                raise BadInput(f"{path.name} row {number}: expected {len(header)} fields, found {len(values)}")
            rows.append((number, {h: (v.strip() or None) for h, v in zip(header, values)}))
    return rows


# ---------------------------------------------------------------- small validators

def _day(text: str | None) -> str:
    if text is None or not str(text).strip():
        raise BadInput("an outstanding amount needs its --date (YYYY-MM-DD)")
    return parse_date(text, "--date").isoformat()


def _optional(text: str | None, what: str, *, positive: bool = False) -> Decimal | None:
    return None if text is None or str(text).strip() == "" else parse_decimal(text, what, positive=positive)


def _rate(text: str | None) -> Decimal | None:
    rate = _optional(text, "--rate")
    if rate is not None and rate > 1:
        raise BadInput(f"--rate {text} is above 1: give the annual rate as a fraction (0.08 for 8%)")
    return rate


def _ltv(text: str | None, what: str) -> Decimal | None:
    value = _optional(text, what)
    if value is not None and not 0 < value <= 1:
        raise BadInput(f"{what} {text} is outside (0, 1]: give it as a fraction (0.5 for 50%)")
    return value


def _seniority(value, kind: str) -> int:
    if value is None or str(value).strip() == "":
        return DEFAULT_SENIORITY[kind]
    text = str(value).strip()
    if not text.isdigit() or int(text) < 1 or len(text) > 6:
        raise BadInput(f"--seniority {value!r} is not a positive whole number (1 = most senior)")
    return int(text)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else to_text(value)


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _date(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)
