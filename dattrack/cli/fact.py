"""`dattrack fact set|list|sync`."""

from __future__ import annotations

from typing import Annotated

import typer

from dattrack.cli.common import FormatOption, TickersArg, opened
from dattrack.render.output import Column, Format, emit, message, print_line

FACT_COLUMNS = [Column("ticker", "Ticker"), Column("name", "Fact"), Column("value", "Value", "qty"),
                Column("date", "Date", "date"), Column("source", "Source")]

app = typer.Typer(no_args_is_help=True)


@app.command("set")
def set_(ctx: typer.Context, ticker: str,
         name: Annotated[str, typer.Argument(help="shares_basic, shares_diluted, debt, preferred, cash, mining_cost (all-in cost per unit mined over the period ending on --date) or split.")],
         value: Annotated[str, typer.Argument(help="A number (money in the company's currency), or a ratio like 1:10 for a split (1 new for 10 old).")],
         date: Annotated[str | None, typer.Option("--date", help="Date the figure is as of (default today).")] = None,
         source: Annotated[str | None, typer.Option("--source", help="URL or citation.")] = None):
    """Record a dated balance-sheet fact."""
    from dattrack.app.events import set_fact

    with opened(ctx) as store, store.write():
        day, text = set_fact(store, ticker, name, value, date, source)
    print_line(f"{ticker.upper()} {name.lower()} = {text} as of {day}")


@app.command("sync")
def sync(ctx: typer.Context, tickers: TickersArg = None, fmt: FormatOption = Format.table):
    """Fetch share counts, debt and cash from SEC EDGAR (needs DATTRACK_SEC_USER_AGENT="Name email")."""
    from dattrack.app.facts import sync_facts

    with opened(ctx) as store:
        report = sync_facts(store, tickers)
    emit(report.stored, FACT_COLUMNS, fmt, title="Facts stored from SEC EDGAR", empty="no facts stored")
    for ticker, why in report.skipped.items():
        message(f"skipped {ticker}: {why}")
    for ticker, cause in report.failed.items():
        message(f"failed {ticker}: {cause}")
    if report.failed:
        raise typer.Exit(1)
