"""The HTML report's content: every table the terminal reports show, each company's series over
time and the sources behind its figures, gathered once for render/html.py to lay out."""

from __future__ import annotations

from dattrack.dates import today
from dattrack.store import Store


def report_content(store: Store, as_of: str | None = None) -> dict:
    """Plain values only: rows as the JSON reports give them, series as (date, value) pairs."""
    from dattrack.app.flows import flows
    from dattrack.app.history import history
    from dattrack.app.companies import selected_companies
    from dattrack.app.holdings import check, holdings
    from dattrack.app.valuation import value_companies

    day = as_of or today().isoformat()
    companies = selected_companies(store, None)
    valuations = {v.ticker: v for v in value_companies(store, None, day)}
    held = holdings(store, None, as_of=day)
    checks = check(store, None)
    sections = []
    for ticker, company in companies.items():
        valuation = valuations[ticker]
        snapshots = [row for row in history(store, ticker) if row["date"] <= day]
        sections.append({
            "company": company,
            "valuation": valuation.as_row(),
            "lines": [_line(line) for line in valuation.lines],
            "holdings": [row for row in held if row["ticker"] == ticker],
            "disagreements": [row for row in checks if row["ticker"] == ticker and row["quantity_delta"]],
            "series": _series(store, ticker, day, snapshots),
            "latest_event": _latest_event(store, ticker, day),
        })
    return {
        "as_of": day,
        "generated": today().isoformat(),
        "companies": sections,
        "holdings": held,
        "flows": flows(store, None, as_of=day),
        "check": checks,
        "risk": _risk(store, day),
    }


def _line(line) -> dict:
    return {"figure": line.name, "value": line.value, "unit": line.unit, "formula": line.formula,
            "inputs": [{"name": i.name, "value": i.value, "date": i.date, "source": i.source, "stale": i.stale}
                       for i in line.inputs],
            "notes": [{"kind": n.kind, "text": n.text} for n in line.notes]}


def _series(store: Store, ticker: str, day: str, snapshots: list[dict]) -> dict[str, dict[str, list]]:
    """Holdings per asset from the ledger (every event date); mNAV and USD value from the stored
    daily snapshots (none until `dattrack snapshot` has run)."""
    from dattrack.app.books import all_books
    from dattrack.ledger.flows import held_at_end_of

    series: dict[str, dict[str, list]] = {"holdings": {}, "mnav": {}, "value_usd": {}}
    for (_, asset), events in all_books(store, [ticker]):
        dates = sorted({e.date for e in events if e.date <= day})
        if dates:
            held = held_at_end_of(events, dates)
            series["holdings"][asset] = [(d, held[d]) for d in dates]
    for row in snapshots:
        if row["mnav"] is not None:
            series["mnav"].setdefault(ticker, {}).setdefault(row["date"], row["mnav"])
        if row["value_usd"] is not None:
            series["value_usd"].setdefault(row["asset"], {}).setdefault(row["date"], row["value_usd"])
    for key in ("mnav", "value_usd"):
        series[key] = {name: sorted(points.items()) for name, points in series[key].items()}
    return series


def _latest_event(store: Store, ticker: str, day: str) -> dict | None:
    from dattrack.app.events import event_listing

    rows, _ = event_listing(store, ticker, until=day, newest=1)  # the query orders by date, the day's balance last
    return next(iter(rows), None)


def _risk(store: Store, day: str) -> list[dict]:
    """The risk table (SPEC 7): leverage, collateral, margin-call prices, cover, mining cost."""
    from dattrack.app.risk import risk_rows

    return risk_rows(store, None, day)
