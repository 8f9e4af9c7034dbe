"""`dattrack mnav` and `dattrack explain`: is the stock priced above or below its crypto, and why."""

from __future__ import annotations

from decimal import Decimal

import typer

from dattrack.cli.common import listing, AsOfOption, FormatOption, TickersArg, day_option, opened
from dattrack.render.output import Column, Format, emit

MNAV_COLUMNS = [
    Column("ticker", "Ticker"), Column("mnav", "mNAV", "ratio", flag="below_nav", flag_text="below NAV", mark="▼"),
    Column("premium", "Premium", "ratio", wide=True), Column("ev_mnav", "EV mNAV", "ratio"),
    Column("diluted_mnav", "Diluted", "ratio"), Column("share_price", "Share price", "money", wide=True),
    Column("currency", "Ccy", wide=True), Column("market_cap", "Mkt cap USD", "money"), Column("nav", "NAV USD", "money"),
    Column("debt", "Debt USD", "money", wide=True), Column("cash", "Cash USD", "money", wide=True),
    Column("per_share", "Per share", "computed", wide=True), Column("sats_per_share", "Sats/share", "sats", wide=True),
    Column("caveats", "Caveats"),
]


def register(app: typer.Typer) -> None:
    @app.command()
    @listing
    def mnav(ctx: typer.Context, tickers: TickersArg = None, as_of: AsOfOption = None, fmt: FormatOption = Format.table):
        """Market cap against crypto NAV per company, sorted by mNAV; below 1.0 = trading under its crypto.

        \b
        Example:
          dattrack mnav --as-of 2026-08-21"""
        from dattrack.app.valuation import value_companies

        with opened(ctx) as store:
            valuations = value_companies(store, tickers, day_option(as_of))
        rows = [mnav_row(v) for v in valuations]
        rows.sort(key=lambda r: (r["mnav"] is None, r["mnav"] if r["mnav"] is not None else Decimal(0), r["ticker"]))
        emit(rows, MNAV_COLUMNS, fmt, title=f"mNAV as of {as_of or 'today'} (money in USD; below 1.0 = under its crypto)",
             empty="no companies")

    @app.command()
    def explain(ctx: typer.Context, ticker: str, as_of: AsOfOption = None, fmt: FormatOption = Format.table):
        """Every figure of a company's mNAV line and risk with its formula, inputs (value, date,
        source) and caveats, then its capital stack: each instrument with its seniority, amount, source and
        BTC rating.

        \b
        Example:
          dattrack explain MSTR --as-of 2026-08-21"""
        from dattrack.app.risk import assess_companies

        with opened(ctx) as store:
            ((valuation, risk, _),) = assess_companies(store, [ticker.upper()], day_option(as_of))
        shown = {line.name for line in valuation.lines}
        lines = ([explain_row(line, "mnav") for line in valuation.lines]
                 + [explain_row(line, "risk") for line in risk.lines if line.name not in shown]
                 + [explain_row(line, "capital_stack") for line in risk.stack])
        if fmt is Format.table:
            from dattrack.cli.views import print_explanation

            print_explanation(valuation, lines)
        elif fmt is Format.csv:  # flat: one cell of inputs and one of notes per figure
            emit([flat_explain_row(line) for line in lines], [], fmt)
        else:
            emit(lines, [], fmt)


def mnav_row(valuation) -> dict:
    row = valuation.as_row()
    row["as_of"] = valuation.as_of.isoformat()
    row["unrealized_pnl"] = valuation.unrealized_pnl
    row["unrealized_pnl_usd"] = valuation.unrealized_pnl_usd
    row["below_nav"] = row["mnav"] is not None and row["mnav"] < 1
    notes = {note.text: note.kind for line in valuation.lines for note in line.notes
             if note.kind in ("missing", "stale")}
    row["warnings"] = "; ".join(notes)
    counts = [f"{sum(1 for k in notes.values() if k == kind)} {kind}" for kind in ("missing", "stale")
              if kind in notes.values()]
    row["caveats"] = ", ".join(counts) + " (see explain)" if counts else ""
    return row


def flat_explain_row(line: dict) -> dict:
    from dattrack.render.encode import plain_text

    inputs = "; ".join(f"{i['name']}={plain_text(i['value'])} on {plain_text(i['date'])}"
                       f"{' (stale)' if i['stale'] else ''} [{i['source'] or 'no source'}]" for i in line["inputs"])
    notes = "; ".join(f"{n['kind']}: {n['text']}" for n in line["notes"])
    return {"figure": line["figure"], "value": line["value"], "unit": line["unit"], "formula": line["formula"],
            "inputs": inputs, "notes": notes, "section": line["section"]}


def explain_row(line, section: str = "mnav") -> dict:
    return {
        "figure": line.name, "value": line.value, "unit": line.unit, "formula": line.formula,
        "inputs": [{"name": i.name, "value": i.value, "date": i.date, "source": i.source, "stale": i.stale}
                   for i in line.inputs],
        "notes": [{"kind": n.kind, "text": n.text} for n in line.notes],
        "section": section,   # mnav, risk or capital_stack
    }
