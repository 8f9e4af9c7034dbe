"""`dattrack mnav` and `dattrack explain`: is the stock priced above or below its crypto, and why."""

from __future__ import annotations

import typer

from dattrack.cli.common import Commands, AsOfOption, FormatOption, KnownOnOption, TickersArg, opened, reading
from dattrack.render.output import Column, Format, as_of_words, emit, inputs_line

MNAV_COLUMNS = [
    Column("ticker", "Ticker"), Column("mnav", "mNAV", "ratio", flag="below_nav", flag_text="below NAV", mark="▼"),
    Column("premium", "Premium", "ratio", wide=True), Column("ev_mnav", "EV mNAV", "ratio"),
    Column("diluted_mnav", "Diluted", "ratio"), Column("share_price", "Share price", "money", wide=True),
    Column("currency", "Ccy", wide=True), Column("market_cap", "Mkt cap USD", "money"), Column("nav", "NAV USD", "money"),
    Column("debt", "Debt USD", "money", wide=True), Column("cash", "Cash USD", "money", wide=True),
    Column("per_share", "Per share", "computed", wide=True), Column("sats_per_share", "Sats/share", "sats", wide=True),
    Column("caveats", "Caveats"),
]


commands = Commands()


@commands.command(listing=True)
def mnav(ctx: typer.Context, tickers: TickersArg = None, as_of: AsOfOption = None,
         known_on: KnownOnOption = None, fmt: FormatOption = Format.table):
    """Market cap against crypto NAV per company, sorted by mNAV; below 1.0 = trading under its crypto.

    \b
    Example:
      dattrack mnav --as-of 2026-08-21"""
    from dattrack.app.valuation import mnav_rows

    with opened(ctx) as store:
        day = reading(store, tickers, as_of=as_of, known_on=known_on)
        rows = mnav_rows(day)
        dates = day.input_dates()
    emit(rows, MNAV_COLUMNS, fmt, header=inputs_line(dates), empty="no companies",
         title=f"mNAV {as_of_words(dates.as_of, dates.known_on)} (money in USD; below 1.0 = under its crypto)")


@commands.command()
def explain(ctx: typer.Context, ticker: str, as_of: AsOfOption = None, known_on: KnownOnOption = None,
            fmt: FormatOption = Format.table):
    """Every figure of a company's mNAV line and risk (SPEC 7) with its formula, inputs (value, date,
    source) and caveats, then its capital stack: each instrument with its seniority, amount, source and
    BTC rating.

    \b
    Example:
      dattrack explain MSTR --as-of 2026-08-21"""
    from dattrack.app.valuation import explanation

    with opened(ctx) as store:
        day = reading(store, [ticker], as_of=as_of, known_on=known_on)
        valuation, lines = explanation(day)
        dates = day.input_dates()
    if fmt is Format.table:
        from dattrack.cli.views import print_explanation

        print_explanation(valuation, lines, dates)
    elif fmt is Format.csv:  # flat: one cell of inputs and one of notes per figure
        emit([flat_explain_row(line) for line in lines], [], fmt)
    else:
        emit(lines, [], fmt)


def flat_explain_row(line: dict) -> dict:
    from dattrack.render.encode import plain_text

    inputs = "; ".join(f"{i['name']}={plain_text(i['value'])} on {plain_text(i['date'])}"
                       f"{' (stale)' if i['stale'] else ''} [{i['source'] or 'no source'}]" for i in line["inputs"])
    notes = "; ".join(f"{n['kind']}: {n['text']}" for n in line["notes"])
    return {"figure": line["figure"], "value": line["value"], "unit": line["unit"], "formula": line["formula"],
            "inputs": inputs, "notes": notes, "section": line["section"]}
