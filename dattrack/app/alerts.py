"""Alert rules, checked by `snapshot` on the newest date it stores.

A rule that newly holds is reported once (one `ALERT TICKER METRIC VALUE OP LIMIT DATE` line) and
remembered; it is reported again only after it has stopped holding and holds again."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from dattrack.dates import today
from dattrack.errors import BadInput
from dattrack.numbers import parse_decimal, to_text
from dattrack.app.companies import require_company
from dattrack.app.day import Day
from dattrack.app.inputs import row_id
from dattrack.store import Store
from dattrack.store import alerts as alert_rows

METRICS = ("mnav", "ev_mnav", "ltv", "margin_cushion", "holdings")
SELL = "sell"
OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
# What each metric is (so the value shows as the tables show it): ratios, or units as disclosed.
METRIC_KIND = {"mnav": "ratio", "ev_mnav": "ratio", "ltv": "ratio", "margin_cushion": "ratio", "holdings": "qty",
               SELL: "qty"}
# The prices each metric rests on (holdings and sells are the ledger's own figures).
PRICED = frozenset({"mnav", "ev_mnav", "ltv", "margin_cushion"})


@dataclass(frozen=True)
class Alert:
    """A rule that newly holds: ALERT TICKER METRIC VALUE OP LIMIT DATE on output, and after it the stale
    inputs the value rests on (name, date), if any."""

    ticker: str
    metric: str
    value: Decimal
    op: str
    limit: Decimal
    date: str
    stale: tuple[tuple[str, str], ...] = ()

    @property
    def kind(self) -> str:
        return METRIC_KIND[self.metric]
LIST_KEYS = ("id", "ticker", "metric", "op", "limit", "created", "holding", "checked_date", "last_value", "last_fired")


def add_alert(store: Store, ticker: str, metric: str, op: str | None = None, limit: str | None = None) -> int:
    company = require_company(store, ticker)
    metric = (metric or "").strip().lower()
    if metric == SELL:
        if op is not None or limit is not None:
            raise BadInput("the sell rule takes no operator or limit: dattrack alert add TICKER sell")
        _refuse_twice(store, company["ticker"], SELL, None, None)
        return alert_rows.insert(store, company["ticker"], SELL, None, None, today().isoformat())
    if metric not in METRICS:
        raise BadInput(f"unknown alert metric {metric!r}: use one of {', '.join(METRICS)} or sell")
    if op not in OPS:
        raise BadInput(f"unknown operator {op!r}: use one of {', '.join(OPS)} (quote it in the shell: '<')")
    if limit is None:
        raise BadInput(f"a {metric} rule needs a limit: dattrack alert add {company['ticker']} {metric} '<' 1")
    threshold = _limit(limit, metric)
    _refuse_twice(store, company["ticker"], metric, op, threshold)
    return alert_rows.insert(store, company["ticker"], metric, op, to_text(threshold), today().isoformat())


def _refuse_twice(store: Store, ticker: str, metric: str, op: str | None, threshold: Decimal | None) -> None:
    """The same rule twice would mail every alert twice: the second is refused, naming the first."""
    for rule in alert_rows.listing(store):
        same_limit = (rule["threshold"] is None) == (threshold is None) and (
            threshold is None or Decimal(rule["threshold"]) == threshold)
        if (rule["ticker"], rule["metric"], rule["op"]) == (ticker, metric, op) and same_limit:
            shown = f"{ticker} {metric}" + (f" {op} {rule['threshold']}" if op else "")
            raise BadInput(f"alert {rule['id']} is already {shown}")


def _limit(text: str, metric: str) -> Decimal:
    """margin_cushion can be negative (the price is below the margin call); the other metrics cannot."""
    raw = str(text).strip()
    if metric == "margin_cushion" and raw.startswith("-"):
        return -parse_decimal(raw[1:], "limit")
    return parse_decimal(raw, "limit")


def list_alerts(store: Store) -> list[dict]:
    return [{"id": a["id"], "ticker": a["ticker"], "metric": a["metric"], "op": a["op"],
             "limit": None if a["threshold"] is None else Decimal(a["threshold"]), "created": a["created"],
             "holding": bool(a["holding"]), "checked_date": a["checked_date"],
             "last_value": _stored_value(a["last_value"]), "kind": METRIC_KIND.get(a["metric"], "qty"),
             "last_fired": a["last_fired"]} for a in alert_rows.listing(store)]


def _stored_value(text: str | None) -> Decimal | None:
    """The value of the last check as stored; a database of before values were stored held it as shown
    (thousands separators, 3 decimals)."""
    if text is None:
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def remove_alert(store: Store, alert_id: str | int) -> dict:
    number = row_id(alert_id)
    found = alert_rows.get(store, number) if number is not None else None
    if found is None:
        raise BadInput(f"no alert with id {str(alert_id)[:30]}")
    alert_rows.delete(store, found["id"])
    return found


def check_after_snapshot(store: Store, dates: list[str]) -> list[Alert]:
    """Check every rule on the run's last date when it is the newest date stored (a backfill of past
    dates checks none). Returns the rules that newly hold; the state is saved."""
    if not dates:
        return []
    day = max(dates)
    newest = alert_rows.newest_snapshot_date(store)
    if newest is None or day < newest:
        return []
    with store.write():
        return check_alerts(store, day)


def check_alerts(store: Store, day: str) -> list[Alert]:
    rules = alert_rows.listing(store)
    if not rules:
        return []
    values = _metric_values(store, sorted({r["ticker"] for r in rules if r["metric"] != SELL}), day)
    watermark = alert_rows.last_event_id(store)
    fired = []
    for rule in rules:
        stale: tuple[tuple[str, str], ...] = ()
        if rule["metric"] == SELL:
            value = _units_sold(store, rule, day)
            op, limit = ">", Decimal(0)
        else:
            figures = values.get(rule["ticker"], {})
            value = figures.get(rule["metric"])
            op, limit = rule["op"], Decimal(rule["threshold"])
            stale = figures.get("stale", ()) if rule["metric"] in PRICED else ()
        if value is None:  # unknown: neither holds nor stops holding
            alert_rows.record_check(store, rule["id"], holding=bool(rule["holding"]), checked_date=day, value=None,
                                    fired=None, seen_event_id=watermark)
            continue
        holds = OPS[op](value, limit)
        fires = holds and not rule["holding"]
        if fires:
            fired.append(Alert(rule["ticker"], rule["metric"], value, op, limit, day, stale))
        alert_rows.record_check(store, rule["id"], holding=holds, checked_date=day, value=to_text(value),
                                fired=day if fires else None, seen_event_id=watermark)
    return fired


def _metric_values(store: Store, tickers: list[str], day: str) -> dict[str, dict]:
    if not tickers:
        return {}
    reading = Day(store, tickers, as_of=day)
    found = {}
    for ticker in reading.companies:
        valuation, risk, inputs = reading.valuation(ticker), reading.risk(ticker), reading.inputs(ticker)
        held = [h.quantity for h in inputs.holdings if h.asset == inputs.primary_asset]
        prices = [(inputs.share_price, ticker)] + [(inputs.asset_prices.get(h.asset), h.asset)
                                                   for h in inputs.holdings if h.quantity]
        if inputs.fx is not None:
            prices.append((inputs.fx, f"USD{inputs.currency}"))
        found[ticker] = {"mnav": valuation.mnav, "ev_mnav": valuation.ev_mnav, "ltv": risk.values["ltv"],
                         "margin_cushion": risk.values["margin_cushion"],
                         "holdings": None if None in held else sum(held, Decimal(0)),
                         "stale": tuple(sorted({(name, p.date.isoformat()) for p, name in prices
                                                if p is not None and p.stale and p.date}))}
    return found


def _units_sold(store: Store, rule: dict, day: str) -> Decimal:
    """Units that left since the last check: sells recorded since, or the fall in holdings since the
    last checked date (a disclosed lower balance), whichever is larger."""
    sold = sum((Decimal(q) for _, _, q in alert_rows.sells_after(store, rule["ticker"], rule["seen_event_id"], day)),
               Decimal(0))
    start = rule["checked_date"] or rule["created"]
    if start >= day:
        return sold
    before, after = (_held(store, rule["ticker"], moment) for moment in (start, day))
    if before is None or after is None:  # unknown at one end: no fall can be measured
        return sold
    return max(sold, before - after)


def _held(store: Store, ticker: str, day: str) -> Decimal | None:
    """Units of the company's primary asset held at the end of the day (None: unknown)."""
    reading = Day(store, [ticker], as_of=day)
    (company,) = reading.companies.values()
    key = (company["ticker"], company["asset"])
    if key not in reading.positions:   # no event yet
        return Decimal(0)
    position = reading.positions[key]
    return None if position is None else position.quantity
