"""`issuance` and `dilution` (SPEC 11): the shares a company sold for cash, per program and period (8-K
"ATM Update" tables), and per period whether the raising and buying added crypto per share.

Rows come from `sync --source filings` and `read --record` (the writer of filed issuance rows) and from
the bundled data/issuance.csv; one disclosure is one row (the same program's figures for the same
period are known, whatever document repeats them)."""

from __future__ import annotations

import csv
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

from dattrack.app.companies import require_company, selected_companies
from dattrack.app.inputs import check_origin
from dattrack.dates import now_stamp, parse_date, today
from dattrack.errors import BadInput
from dattrack.numbers import parse_decimal, ratio, tidy, to_text
from dattrack.store import Store
from dattrack.store import events as event_rows
from dattrack.store import issuance as issuance_rows
from dattrack.valuation.dilution import PERIODS, ShareCount, Sold, accretion, periods, shown, summed, with_issuance

ISSUANCE_KEYS = ("ticker", "date", "period_start", "security", "shares", "notional", "net_proceeds", "capacity_left",
                 "source")
DILUTION_KEYS = ("ticker", "since", "until", "shares_issued", "net_proceeds", "units_bought", "per_share_start",
                 "per_share_end", "accretion")
CSV_HEADER = ["ticker", "date", "period_start", "security", "shares", "notional", "net_proceeds", "capacity_left",
              "currency", "source", "quote", "known_on"]
MONEY = ("notional", "net_proceeds", "capacity_left")


# ---------------------------------------------------------------- recording

def record_issuance(store: Store, company: dict, rows: list[dict], *, origin: str, dry_run: bool = False) -> int:
    """Rows of one company (keys of CSV_HEADER, figures as Decimals or text), each unless recorded already;
    how many are (or, in a dry run, would be) added. The security "common" is the company's own ticker."""
    added = 0
    origin = check_origin(origin)
    stamp = now_stamp()
    for row in rows:
        record = checked_row(company, row)
        record.update(origin=origin, recorded_at=stamp)
        if issuance_rows.recorded(store, record):
            continue
        if not dry_run:
            issuance_rows.insert(store, record)
        added += 1
    return added


def checked_row(company: dict, row: dict) -> dict:
    """An issuance row as it is stored, checked: ISO dates, figures exact and not negative."""
    date = _day(row.get("date"), "date")
    start = _day(row.get("period_start"), "period_start") if row.get("period_start") else None
    if start is not None and start > date:
        raise BadInput(f"an issuance period starts {start} after it ends {date}")
    security = (str(row.get("security") or "").strip() or "common")
    if security.lower() == "common":
        security = company["ticker"]
    figures = {}
    for name in ("shares", *MONEY):
        value = row.get(name)
        if value is None or str(value).strip() == "":
            figures[name] = None
            continue
        number = parse_decimal(str(value), name)
        if number < 0:
            raise BadInput(f"issuance {name} {value} is negative")
        figures[name] = to_text(tidy(number))   # "-" under "(in millions)" is 0, not 0.000000
    if security.upper() == company["ticker"] and figures["notional"] == "0":
        figures["notional"] = None  # a notional (face) value is a preferred's; the common's "-" is none
    known_on = _day(row.get("known_on"), "known_on") if row.get("known_on") else date
    return {"ticker": company["ticker"], "date": date, "period_start": start, "security": security.upper(),
            **figures, "currency": (row.get("currency") or "USD").upper(), "source": row.get("source") or None,
            "quote": row.get("quote") or None, "known_on": known_on}


def _day(text, what: str) -> str:
    if text is None or not str(text).strip():
        raise BadInput(f"an issuance row needs its {what} (YYYY-MM-DD)")
    if isinstance(text, dt.date):
        return text.isoformat()
    return parse_date(str(text), what).isoformat()


def filed_rows(records) -> list[dict]:
    """Issuance rows read from filings (records with `found` — a reader IssuanceFound — `source`, `known_on`)."""
    rows = []
    for record in records:
        found = record.found
        rows.append({"date": found.date or record.known_on, "period_start": found.period_start,
                     "security": found.security, "shares": found.shares, "notional": found.notional,
                     "net_proceeds": found.net_proceeds, "capacity_left": found.capacity_left,
                     "currency": found.currency or "USD", "source": record.source, "quote": found.quote,
                     "known_on": record.known_on})
    return rows


def load_issuance_csv(store: Store, path: Path) -> int:
    """data/issuance.csv (header CSV_HEADER): every row not recorded yet, origin seed; all or nothing."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if [h.strip().lower() for h in reader.fieldnames or []] != CSV_HEADER:
            raise BadInput(f"{path.name}: header must be {','.join(CSV_HEADER)}")
        by_company: dict[str, list[tuple[int, dict]]] = {}
        for number, row in enumerate(reader, start=2):
            by_company.setdefault(row["ticker"], []).append((number, row))
    added = 0
    for ticker, rows in by_company.items():
        company = require_company(store, ticker)
        for number, row in rows:
            try:
                added += record_issuance(store, company, [row], origin="seed")
            except BadInput as exc:
                raise BadInput(f"{path.name} row {number}: {exc}") from None
    return added


# ---------------------------------------------------------------- reading

def list_issuance(store: Store, tickers: list[str] | None = None, since: str | None = None,
                  until: str | None = None) -> list[dict]:
    """SPEC 11 `issuance` rows (then currency, quote, origin, known_on), oldest first."""
    keys = [c["ticker"] for c in selected_companies(store, tickers).values()] if tickers else None
    rows = []
    for row in issuance_rows.listing(store, keys, since, until):
        rows.append({**{k: row[k] for k in ISSUANCE_KEYS}, "currency": row["currency"], "quote": row["quote"],
                     "origin": row["origin"], "known_on": row["known_on"]})
        for name in ("shares", *MONEY):
            rows[-1][name] = None if row[name] is None else Decimal(row[name])
    return rows


def sold_rows(store: Store, ticker: str, until: str | None = None, known_on: str | None = None) -> list[Sold]:
    return [Sold(dt.date.fromisoformat(r["date"]), dt.date.fromisoformat(r["period_start"]) if r["period_start"] else None,
                 r["security"], _decimal(r["shares"]), _decimal(r["notional"]), _decimal(r["net_proceeds"]))
            for r in issuance_rows.listing(store, [ticker], None, until, known_on)]


def share_count(company: dict, inputs, valuation, sold: list[Sold]) -> ShareCount:
    """The share count a valuation used (diluted, else basic), with the company's common shares sold
    after the fact it rests on, and where it came from (issuance, cover page, fact)."""
    from dattrack.valuation.splits import on_basis

    count = valuation.shares_diluted if valuation.shares_diluted is not None else valuation.shares_basic
    used = "shares_diluted" if valuation.shares_diluted is not None and any(
        i.name == "shares_diluted" for i in valuation.line("shares_diluted").inputs) else "shares_basic"
    fact = inputs.facts.get(used)
    if count is None or fact is None or fact.date is None:
        return ShareCount(count, None, "fact", "no share count recorded")
    basis = inputs.share_price.basis_date or inputs.share_price.date or inputs.as_of
    kind = _kind_of(fact.source)
    text = f"{kind} of {fact.date}: {shown(count)}"
    if used == "shares_basic" and valuation.shares_diluted is not None and valuation.shares_basic is not None:
        text = (f"{kind} of {fact.date}: {shown(valuation.shares_basic)} + {shown(count - valuation.shares_basic)}"
                f" assumed from convertibles and preferreds")
    return with_issuance(count, fact.date, kind, sold, company["ticker"], inputs.as_of,
                         lambda shares, day: on_basis(shares, day, basis, inputs.splits), text)


def _kind_of(source: str | None) -> str:
    """Where a share count was stated: a 10-Q/10-K cover page (SPEC 11), else a fact."""
    text = (source or "").strip()
    if text.startswith(("10-Q", "10-K")) or re.search(r"\bcover(?: page)?:", text, re.I):
        return "cover page"
    return "fact"


def dilution(store: Store, ticker: str, *, since: str | None = None, until: str | None = None,
             by: str = "month") -> list[dict]:
    """SPEC 11 `dilution`: per calendar period, the common shares sold, the net proceeds of every program,
    the units of the primary asset bought, and the crypto per share at the period's start and end."""
    from dattrack.app.books import positions_by_date
    from dattrack.app.day import Day
    from dattrack.app.instruments import instrument_history

    if by not in PERIODS:
        raise BadInput(f"unknown --by {by!r}: use one of {', '.join(PERIODS)}")
    company = require_company(store, ticker)
    ticker, asset = company["ticker"], company["asset"]
    sold = sold_rows(store, ticker)
    end = parse_date(until, "--until") if until else today()
    if since:
        start = parse_date(since, "--since")
    elif sold:
        start = min(r.period_start or r.date for r in sold)
    else:
        raise BadInput(f"{ticker} has no issuance recorded: give --since, or record some "
                       f"(dattrack sync {ticker} --source filings)")
    if start > end:
        raise BadInput(f"--since {start} is after --until {end}")
    spans = periods(start, end, by)
    moments = sorted({d for s, e in spans for d in (s - dt.timedelta(days=1), e)})
    # Every end of every period valued: the book walked once for all of them, the instruments read once.
    positions = positions_by_date(store, {ticker: company}, [m.isoformat() for m in moments])
    history = instrument_history(store, [ticker])
    per_share = {}
    for moment in moments:
        day = Day(store, [ticker], as_of=moment.isoformat(), held=positions.get(moment.isoformat()),
                  instruments=history)
        valuation, inputs = day.valuation(ticker), day.inputs(ticker)
        held = [h.quantity for h in inputs.holdings if h.asset == asset]
        holdings = None if not held or None in held else sum(held, Decimal(0))
        count = share_count(company, inputs, valuation, sold)
        per_share[moment] = (holdings, count, ratio(holdings, count.value))
    bought = _bought(store, ticker, asset, start.isoformat(), end.isoformat())
    rows = []
    for s, e in spans:
        inside = [r for r in sold if s <= r.date <= e]
        common = [r for r in inside if r.security == ticker]
        (h0, c0, p0), (h1, c1, p1) = per_share[s - dt.timedelta(days=1)], per_share[e]
        rows.append({
            "ticker": ticker, "since": s.isoformat(), "until": e.isoformat(),
            "shares_issued": summed(r.shares for r in common) if common else Decimal(0) if inside else None,
            "net_proceeds": summed(r.net_proceeds for r in inside),
            "units_bought": sum((q for d, q in bought if s.isoformat() <= d <= e.isoformat()), Decimal(0)),
            "per_share_start": p0, "per_share_end": p1, "accretion": accretion(p0, p1),
            "common_proceeds": summed(r.net_proceeds for r in common),
            "preferred_proceeds": summed(r.net_proceeds for r in inside if r.security != ticker),
            "holdings_start": h0, "holdings_end": h1, "shares_start": c0.value, "shares_end": c1.value,
            "shares_start_date": _iso(c0.date), "shares_end_date": _iso(c1.date), "shares_end_source": c1.source,
            # A count of an earlier day misses what was sold since: per share and accretion lean high.
            "count_behind": bool(c1.date and c1.date < e) or bool(c0.date and c0.date < s - dt.timedelta(days=1)),
            "asset": asset,
        })
    return rows


def _bought(store: Store, ticker: str, asset: str, since: str, until: str) -> list[tuple[str, Decimal]]:
    return [(e["date"], e["quantity"]) for e in event_rows.listing(store, ticker, "buy", since, until)
            if e["asset"] == asset]


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)
