"""The HTML report's content: every table the terminal reports show, each company's series over
time and the sources behind its figures, all from one reading of the day (each book read once, each
company valued once), as plain values for render/html.py to lay out."""

from __future__ import annotations

from decimal import Decimal

from dattrack.app.day import Day
from dattrack.app.flows import flows
from dattrack.app.history import history
from dattrack.app.holdings import check, holdings
from dattrack.app.risk import company_ladder, risk_rows
from dattrack.app.summary import default_since, summary
from dattrack.app.valuation import explain_row
from dattrack.dates import today
from dattrack.store import Store


def report_content(store: Store, as_of: str | None = None, known_on: str | None = None) -> dict:
    """Plain values only: rows as the JSON reports give them, series as (date, value) pairs."""
    end = as_of or known_on or today().isoformat()
    # the window of the headline and of the flows table: the year to date
    day = Day(store, None, as_of=as_of, known_on=known_on, series=True, since=default_since(end), moves=True)
    held = holdings(day)
    checks = check(day)
    by_company: dict[str, dict[str, list]] = {ticker: {"holdings": [], "disagreements": []} for ticker in day.companies}
    for row in held:
        by_company[row["ticker"]]["holdings"].append(row)
    for row in checks:
        if row["quantity_delta"]:
            by_company[row["ticker"]]["disagreements"].append(row)
    sections = []
    for ticker, company in day.companies.items():
        valuation = day.valuation(ticker)
        snapshots = [row for row in history(store, ticker) if row["date"] <= day.as_of]
        sections.append({
            "company": company,
            "valuation": valuation.as_row(),
            "lines": [explain_row(line) for line in valuation.lines],
            "claims": company_ladder(day, ticker),
            **by_company[ticker],
            "series": _series(day, ticker, snapshots),
            "latest_event": _latest_event(day, ticker),
        })
    content = {
        "as_of": day.as_of,
        "known_on": day.known_on,
        "generated": today().isoformat(),
        "companies": sections,
        "holdings": held,
        "summary": summary(day),
        "flows": flows(day),
        "check": checks,
        "risk": risk_rows(day),
    }
    content["dates"] = day.input_dates()   # last: every price and fact the figures rest on has been read
    return content


def _series(day: Day, ticker: str, snapshots: list[dict]) -> dict:
    """Holdings per asset from the ledger (every event date; before a book's opening balance nothing is
    known: `unknown_until` says until when, and the chart leaves a gap); mNAV and USD value from the
    stored daily snapshots (none until `dattrack snapshot` has run). `span`: the dates every chart of
    the company covers, so a gap shows as one."""
    series: dict = {"holdings": {}, "mnav": {}, "value_usd": {}, "unknown_until": {}}
    walks = {key[1]: walk for key, walk in day.walks.items() if key[0] == ticker}
    firsts = [walk.opening.date for walk in walks.values() if walk.opening is not None and walk.opening.date <= day.as_of]
    firsts += [row["date"] for row in snapshots[:1]]
    start = min(firsts, default=day.as_of)
    for asset, walk in walks.items():
        if not walk.series:
            continue
        points = list(walk.series)
        if walk.opening.kind == "balance" and walk.opening.quantity > 0:
            series["unknown_until"][asset] = walk.opening.date
        elif points[0][0] > start:   # a book that starts with a buy held 0 before it
            points.insert(0, (start, Decimal(0)))
        series["holdings"][asset] = points
    mnav: dict[str, dict] = {}
    value: dict[str, dict] = {}
    for row in snapshots:
        mnav.setdefault(ticker, {}).setdefault(row["date"], row["mnav"])
        value.setdefault(row["asset"], {}).setdefault(row["date"], row["value_usd"])
    series["mnav"] = {name: sorted(points.items()) for name, points in mnav.items()}
    series["value_usd"] = {name: sorted(points.items()) for name, points in value.items()}
    series["span"] = (start, day.as_of)
    return series


def _latest_event(day: Day, ticker: str) -> dict | None:
    """The company's latest disclosure on or before the day (by date, the day's balance last)."""
    walked = [(key, walk.latest) for key, walk in day.walks.items() if key[0] == ticker and walk.latest is not None]
    if not walked:
        return None
    (_, asset), event = max(walked, key=lambda item: (item[1].date, item[1].kind == "balance", item[1].id))
    cited = day.cited[(ticker, asset)]
    return {"id": event.id, "date": event.date, "kind": event.kind, "asset": asset, "quantity": event.quantity,
            "amount": event.amount, "source": cited.source}
