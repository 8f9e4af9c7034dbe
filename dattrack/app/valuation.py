"""`mnav` and `explain`: each company's mNAV line from the day's reading, and every figure with its
inputs (the valuation's own lines, then risk's and the capital stack's, built on that one valuation)."""

from __future__ import annotations

from decimal import Decimal

from dattrack.app.day import Day
from dattrack.valuation import ExplainLine, Valuation
from dattrack.valuation.explanation import MISSING, STALE


def mnav_rows(day: Day) -> list[dict]:
    """The SPEC `mnav` row of each company, lowest mNAV first (unknown last), with the dates it rests on."""
    rows = [mnav_row(day, valuation) for valuation in day.valuations()]
    rows.sort(key=lambda r: (r["mnav"] is None, r["mnav"] if r["mnav"] is not None else Decimal(0), r["ticker"]))
    return rows


def mnav_row(day: Day, valuation: Valuation) -> dict:
    inputs = day.inputs(valuation.ticker)
    row = valuation.as_row()
    row["as_of"] = valuation.as_of.isoformat()
    row["known_on"] = day.known_on
    row["unrealized_pnl"] = valuation.unrealized_pnl
    row["unrealized_pnl_usd"] = valuation.unrealized_pnl_usd
    row["below_nav"] = row["mnav"] is not None and row["mnav"] < 1
    # The dates of the inputs (JSON and CSV carry them here; a table says them in its header).
    prices = [p for h in inputs.holdings if (p := inputs.asset_prices.get(h.asset)) is not None and p.date]
    row["price_date"] = min((p.date for p in prices), default=None)
    row["share_price_date"] = inputs.share_price.date
    row["fx_date"] = inputs.fx.date if inputs.fx is not None else None
    shares = inputs.facts.get("shares_basic")
    row["shares_basic_date"] = shares.date if shares is not None else None
    row["stale"] = any(p.stale for p in prices) or inputs.share_price.stale or bool(inputs.fx and inputs.fx.stale)
    notes = {note.text: note.kind for line in valuation.lines for note in line.notes if note.kind in (MISSING, STALE)}
    row["warnings"] = "; ".join(notes)
    counts = [f"{sum(1 for k in notes.values() if k == kind)} {kind}" for kind in (MISSING, STALE)
              if kind in notes.values()]
    row["caveats"] = ", ".join(counts) + " (see explain)" if counts else ""
    return row


def explanation(day: Day) -> tuple[Valuation, list[dict]]:
    """The valuation of the day's one company and every figure of it, its risk and its capital stack as
    plain rows (JSON keys figure, value, unit, formula, inputs, notes, section)."""
    (ticker,) = day.companies
    valuation, risk = day.valuation(ticker), day.risk(ticker)
    shown = {line.name for line in valuation.lines}
    lines = ([explain_row(line, "mnav") for line in valuation.lines]
             + [explain_row(line, "risk") for line in risk.lines if line.name not in shown]
             + [explain_row(line, "capital_stack") for line in risk.stack])
    return valuation, lines


def explain_row(line: ExplainLine, section: str = "mnav") -> dict:
    return {
        "figure": line.name, "value": line.value, "unit": line.unit, "formula": line.formula,
        "inputs": [{"name": i.name, "value": i.value, "date": i.date, "source": i.source, "stale": i.stale}
                   for i in line.inputs],
        "notes": [{"kind": n.kind, "text": n.text} for n in line.notes],
        "section": section,   # mnav, risk or capital_stack
    }
