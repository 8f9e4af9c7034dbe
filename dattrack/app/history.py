"""The read side of the daily snapshots: one company's stored rows over time, the series a chart
draws from them, and whether the cron job that writes them is running (`status`)."""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal

from dattrack.app.companies import require_company
from dattrack.dates import today
from dattrack.errors import BadInput
from dattrack.freshness import SNAPSHOT_STALE_DAYS, InputDates, age_days, input_dates, is_stale
from dattrack.numbers import from_text
from dattrack.store import Store
from dattrack.store import snapshots as snapshot_rows
from dattrack.store import tables as table_rows

HISTORY_KEYS = ("date", "ticker", "asset", "quantity", "price", "value_usd", "cost_basis", "unrealized_pnl",
                "share_price", "market_cap", "nav", "mnav", "ev_mnav")
TEXT_KEYS = frozenset({"date", "ticker", "asset"})
# metric -> (history key, how its values are shown, whether it is one figure per company)
METRICS = {
    "holdings": ("quantity", "qty", False),
    "value": ("value_usd", "money", False),
    "unrealized_pnl": ("unrealized_pnl", "money", False),
    "mnav": ("mnav", "ratio", True),
    "ev_mnav": ("ev_mnav", "ratio", True),
}
RECENT_RUNS = 10


def check_metric(metric: str) -> str:
    if metric not in METRICS:
        raise BadInput(f"unknown metric {metric!r}: use one of {', '.join(METRICS)}")
    return metric


def history(store: Store, ticker: str, *, since: str | None = None, asset: str | None = None) -> list[dict]:
    """The stored snapshot rows of one company, oldest first, numbers as exact Decimals."""
    company = require_company(store, ticker)
    rows = snapshot_rows.company_rows(store, company["ticker"], HISTORY_KEYS, since=since, asset=asset)
    return [_history_row(row) for row in rows]


def _history_row(values: tuple) -> dict:
    return {key: value if key in TEXT_KEYS else from_text(value) for key, value in zip(HISTORY_KEYS, values)}


def metric_series(rows: list[dict], metric: str) -> dict[str, list[tuple[str, Decimal | None]]]:
    """Dated values of one metric, per asset; a company-wide figure (repeated on each asset row)
    is one series named after the company."""
    key, _, company_wide = METRICS[metric]
    series: dict[str, dict[str, Decimal | None]] = {}
    for row in rows:
        name = row["ticker"] if company_wide else row["asset"]
        series.setdefault(name, {}).setdefault(row["date"], row[key])
    return {name: list(points.items()) for name, points in series.items()}


def status(store: Store) -> dict:
    """What the snapshot job has done lately, how old the newest snapshot is, and what the
    database holds."""
    latest = snapshot_rows.latest_date(store)
    age = age_days(latest, today()) if latest else None
    runs = recent_runs(store)
    counts = table_rows.counts(store, ("companies", "events", "prices", "snapshots"))
    inputs = snapshot_inputs(store, latest) if latest else None
    oldest = min((group.date for group in inputs.groups), default=None) if inputs else None
    return {
        "database": str(store.path),
        **counts,
        "latest_snapshot_date": latest,
        "latest_snapshot_age_days": age,
        "latest_snapshot_stale": is_stale(latest, today(), SNAPSHOT_STALE_DAYS),
        # What the newest snapshot was valued on: an offline run on old prices is new, its figures are not.
        "latest_snapshot_inputs_date": oldest,
        "latest_snapshot_inputs_age_days": age_days(oldest, latest) if oldest else None,
        "latest_snapshot_inputs_stale": bool(inputs and inputs.stale),
        "latest_snapshot_inputs": [asdict(group) for group in inputs.groups] if inputs else [],
        "latest_run_failed": bool(runs) and run_failed(runs[0]),
        "runs": runs,
    }


def snapshot_inputs(store: Store, date: str) -> InputDates:
    """The dates of the prices a stored snapshot date was valued on (crypto, share closes, FX), against it."""
    used = []
    for ticker, asset, price_date, share_date, fx_date, currency in snapshot_rows.input_dates(store, date):
        used += [("crypto", asset, price_date), ("stock", ticker, share_date), ("fx", f"USD{currency}", fx_date)]
    return input_dates(date, [entry for entry in used if entry[2]])


def run_failed(run: dict) -> bool:
    """A run that stored nothing, or stored companies it could not value or price."""
    return run.get("status") in ("failed", "partial") or bool(run.get("failures"))


def recent_runs(store: Store, limit: int = RECENT_RUNS) -> list[dict]:
    runs = snapshot_rows.recent_runs(store, limit)
    for run in runs:
        run["offline"] = bool(run["offline"])
    return runs
