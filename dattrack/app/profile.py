"""One company's page (`company show`): its fields, its position today, its facts with their age, what it
mined per month, its instruments (the amounts in force today) and share issuance, and its events."""

from __future__ import annotations

from decimal import Decimal

from dattrack.app.companies import require_company
from dattrack.app.day import Day
from dattrack.app.events import event_listing
from dattrack.app.holdings import holdings
from dattrack.app.instruments import list_instruments
from dattrack.app.issuance import list_issuance
from dattrack.freshness import FACT_STALE_DAYS, age_days, is_stale
from dattrack.numbers import ratio
from dattrack.store import Store
from dattrack.store import facts as fact_rows


def company_profile(store: Store, ticker: str) -> dict:
    """One company's page: its fields, positions, facts in force, instruments, issuance and events."""
    company = require_company(store, ticker)
    reading = Day(store, [company["ticker"]])
    day = reading.as_of
    facts = [{"name": f.name, "value": f.value if f.name == "split" else Decimal(f.value), "date": f.date,
              "age_days": age_days(f.date, day),
              "stale": f.name != "split" and is_stale(f.date, day, FACT_STALE_DAYS), "source": f.source}
             for f in fact_rows.for_company(store, company["ticker"])]
    events = list(event_listing(store, company["ticker"])[0])
    return {
        **company,
        "holdings": holdings(reading),
        "facts": facts,
        "mined": mined_by_month(events, company["currency"]),
        "instruments": list_instruments(store, company["ticker"], day),
        "issuance": list_issuance(store, [company["ticker"]]),
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
