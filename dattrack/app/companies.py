"""One company's page: its fields, positions, facts in force and events."""

from __future__ import annotations

from decimal import Decimal

from dattrack.dates import today
from dattrack.freshness import FACT_STALE_DAYS, age_days, is_stale
from dattrack.app.events import require_company
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
        "events": list(event_rows.listing(store, company["ticker"], None, None, None)),
    }
