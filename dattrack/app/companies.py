"""One company's page: its fields, positions, facts in force and events."""

from __future__ import annotations

from decimal import Decimal

from dattrack.dates import today
from dattrack.freshness import FACT_STALE_DAYS, age_days, is_stale
from dattrack.app.events import COMPANY_KINDS, check_cik, check_coingecko_id, check_symbol, require_company
from dattrack.errors import BadInput
from dattrack.store import companies as company_rows
from dattrack.app.holdings import holdings
from dattrack.store import events as event_rows
from dattrack.store import facts as fact_rows
from dattrack.store import Store


def company_profile(store: Store, ticker: str) -> dict:
    company = require_company(store, ticker)
    day = today().isoformat()
    facts = [{"name": f.name, "value": f.value if f.name == "split" else Decimal(f.value), "date": f.date, "age_days": age_days(f.date, day),
              "stale": f.name != "split" and is_stale(f.date, day, FACT_STALE_DAYS), "source": f.source}
             for f in fact_rows.for_company(store, company["ticker"])]
    return {
        **company,
        "holdings": holdings(store, [company["ticker"]]),
        "facts": facts,
        "events": event_rows.listing(store, company["ticker"], None, None, None),
    }


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
