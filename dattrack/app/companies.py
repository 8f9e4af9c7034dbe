"""Companies: adding and removing them, finding the ones a command names, and one company's page."""

from __future__ import annotations

import re
from decimal import Decimal

from dattrack.app.inputs import check_cik, check_currency, check_symbol, check_ticker, ticker_key
from dattrack.dates import today
from dattrack.errors import BadInput
from dattrack.numbers import ratio
from dattrack.freshness import FACT_STALE_DAYS, age_days, is_stale
from dattrack.store import Store
from dattrack.store import companies as company_rows

COMPANY_KINDS = ("treasury", "miner", "other")
COINGECKO_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")


def add_company(store: Store, ticker: str, name: str, *, asset: str = "BTC", currency: str = "USD",
                quote_symbol: str | None = None, exchange: str | None = None, kind: str = "treasury",
                cik: str | int | None = None, note: str | None = None, source: str | None = None,
                coingecko_id: str | None = None) -> dict:
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
    if coingecko_id:
        company["coingecko_id"] = check_coingecko_id(store, coingecko_id, ticker)
    company_rows.insert(store, company)
    return company


def set_company(store: Store, ticker: str, changes: dict) -> dict:
    """Change fields of an existing company (None: left as it is; "" clears an optional field)."""
    company = require_company(store, ticker)
    ticker = company["ticker"]
    given = {k: v for k, v in changes.items() if v is not None}
    if not given:
        raise BadInput("nothing to change: give at least one of --name, --quote-symbol, --exchange, --kind, --cik, "
                       "--coingecko-id, --note")
    checked = {}
    for field, value in given.items():
        text = str(value).strip()
        if field == "name":
            if not text:
                raise BadInput("a company needs a name")
            checked[field] = text
        elif field == "quote_symbol":
            checked[field] = check_symbol(text, "quote symbol")
        elif field == "kind":
            if text not in COMPANY_KINDS:
                raise BadInput(f"unknown company kind {text!r}: use one of {', '.join(COMPANY_KINDS)}")
            checked[field] = text
        elif field == "cik":
            checked[field] = check_cik(text)
        elif field == "coingecko_id":
            checked[field] = check_coingecko_id(store, text, ticker) if text else None
        else:  # exchange, note
            checked[field] = text or None
    company_rows.update(store, ticker, checked)
    return {**company, **checked}


def check_coingecko_id(store: Store, value: str, ticker: str) -> str:
    """A CoinGecko entity id (lower-case, like `strategy`), not already another company's."""
    text = (value or "").strip().lower()
    if not COINGECKO_ID.match(text):
        raise BadInput(f"invalid CoinGecko id {value!r}: lower-case letters, digits, '-', '.' or '_' (e.g. strategy)")
    owner = company_rows.by_coingecko_id(store, text)
    if owner is not None and owner != ticker:
        raise BadInput(f"CoinGecko id {text!r} is already {owner}'s")
    return text


def remove_company(store: Store, ticker: str, *, force: bool = False) -> None:
    company = require_company(store, ticker)
    count = company_rows.event_count(store, company["ticker"])
    if count and not force:
        raise BadInput(f"{company['ticker']} has {count} events; use --force to remove it with them")
    company_rows.delete(store, company["ticker"])


def require_company(store: Store, ticker: str) -> dict:
    company = find_company(store, ticker)
    if company is None:
        raise BadInput(f"unknown ticker {ticker_key(ticker) or str(ticker).strip()!r}")
    return company


def find_company(store: Store, ticker: str) -> dict | None:
    """The company a typed ticker names, or None when it is not tracked."""
    key = ticker_key(ticker)
    return None if key is None else company_rows.get(store, key)


def selected_companies(store: Store, tickers: list[str] | None) -> dict[str, dict]:
    """The companies a command names (every one when none is named), by ticker; an unknown one is BadInput."""
    keys = [require_company(store, ticker)["ticker"] for ticker in tickers or []]
    return {c["ticker"]: c for c in company_rows.all_companies(store, keys or None)}


def company_list(store: Store) -> list[dict]:
    return company_rows.all_companies(store)


def company_profile(store: Store, ticker: str) -> dict:
    """One company's page: its fields, positions, facts in force and events."""
    from dattrack.app.events import event_listing
    from dattrack.app.holdings import holdings
    from dattrack.store import facts as fact_rows

    company = require_company(store, ticker)
    day = today().isoformat()
    facts = [{"name": f.name, "value": f.value if f.name == "split" else Decimal(f.value), "date": f.date,
              "age_days": age_days(f.date, day),
              "stale": f.name != "split" and is_stale(f.date, day, FACT_STALE_DAYS), "source": f.source}
             for f in fact_rows.for_company(store, company["ticker"])]
    events = list(event_listing(store, company["ticker"])[0])
    return {
        **company,
        "holdings": holdings(store, [company["ticker"]]),
        "facts": facts,
        "mined": mined_by_month(events, company["currency"]),
        "events": events,
    }


def mined_by_month(events: list[dict], currency: str) -> list[dict]:
    """Units mined per month with their booked cost (a miner's `mine` events), oldest first."""
    months: dict[tuple[str, str], dict] = {}
    for event in events:
        if event["kind"] != "mine":
            continue
        key = (str(event["date"])[:7], event["asset"])
        month = months.setdefault(key, {"period": key[0], "asset": key[1], "units": Decimal(0),
                                        "booked_cost": Decimal(0), "currency": currency, "events": 0})
        month["units"] += event["quantity"]
        month["booked_cost"] += event["amount"]
        month["events"] += 1
    rows = [months[key] for key in sorted(months)]
    for row in rows:
        row["cost_per_unit"] = ratio(row["booked_cost"], row["units"])
    return rows
