"""`dattrack fact set|list|sync`."""

from __future__ import annotations

from typing import Annotated

import typer

from dattrack.cli.common import Commands, FormatOption, TickersArg, opened
from dattrack.render.output import Column, Format, emit, message, print_line

FACT_COLUMNS = [Column("ticker", "Ticker"), Column("name", "Fact"), Column("value", "Value", "qty"),
                Column("date", "Date", "date", flag="stale"), Column("known_on", "Known on", "date"),
                Column("age_days", "Age (days)", "int", wide=True), Column("source", "Source")]

commands = Commands("fact", help="Balance-sheet facts: share counts, debt, cash, splits.")


@commands.command("set")
def set_(ctx: typer.Context, ticker: str,
         name: Annotated[str, typer.Argument(help="shares_basic, shares_diluted, debt, preferred, cash, mining_cost (all-in cost per unit mined over the period ending on --date) or split.")],
         value: Annotated[str, typer.Argument(help="A number (money in the company's currency), or a ratio like 1:10 for a split (1 new for 10 old).")],
         date: Annotated[str | None, typer.Option("--date", help="Date the figure is as of (default today).")] = None,
         source: Annotated[str | None, typer.Option("--source", help="URL or citation.")] = None,
         known_on: Annotated[str | None, typer.Option("--known-on", help="The day the figure became public (default today; not before --date). A later day for the same fact and date is a revision: both are kept.")] = None):
    """Record a dated balance-sheet fact.

    \b
    Example:
      dattrack fact set SQNS debt 94500000 --date 2025-12-31 --known-on 2026-02-12"""
    from dattrack.app.facts import set_fact

    with opened(ctx, create=True) as store, store.write():
        day, text = set_fact(store, ticker, name, value, date, source, known_on=known_on)
    print_line(f"{ticker.upper()} {name.lower()} = {text} as of {day}" + (f", known on {known_on}" if known_on else ""))


@commands.command("list", listing=True)
def list_(ctx: typer.Context, tickers: TickersArg = None,
          name: Annotated[str | None, typer.Option("--name", help="Only this fact, e.g. shares_basic.")] = None,
          fmt: FormatOption = Format.table):
    """Every recorded fact with its date, the day it became public (known_on: a revision is a row of its
    own), age and source; the newest of each is flagged when stale.

    \b
    Example:
      dattrack fact list MSTR --name shares_basic"""

    from dattrack.app.facts import fact_list

    with opened(ctx) as store:
        rows = fact_list(store, tickers, name)
    emit(rows, FACT_COLUMNS, fmt, title="Facts", empty="no facts recorded: dattrack fact set, or dattrack fact sync")


@commands.command("sync", listing=True)
def sync(ctx: typer.Context, tickers: TickersArg = None, fmt: FormatOption = Format.table):
    """Fetch share counts, debt and cash from SEC EDGAR (needs DATTRACK_SEC_USER_AGENT="Name email").

    \b
    Example:
      DATTRACK_SEC_USER_AGENT="Ana ana@example.com" dattrack fact sync MSTR"""
    from dattrack.app.facts import sync_facts

    with opened(ctx, create=True) as store:
        report = sync_facts(store, tickers)
    emit(report.stored, FACT_COLUMNS, fmt, title="Facts stored from SEC EDGAR", empty="no facts stored")
    for ticker, why in report.skipped.items():
        message(f"skipped {ticker}: {why}")
    for ticker, cause in report.failed.items():
        message(f"failed {ticker}: {cause}")
    if report.failed:
        raise typer.Exit(1)
