"""One company's page: its fields, positions, facts in force and events."""

from __future__ import annotations

from decimal import Decimal

from dattrack.dates import today
from dattrack.numbers import ratio
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
    events = event_rows.listing(store, company["ticker"], None, None, None)
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
