"""`holdings`, `pnl`, `check`: positions, profit and loss, and disclosures against the events."""

from __future__ import annotations

from typing import Annotated

import typer

from dattrack.cli.common import (Commands, AsOfOption, FormatOption, KnownOnOption, MethodOption, TickersArg, opened,
                                 reading)
from dattrack.cli.views import HOLDING_COLUMNS, holdings_footer
from dattrack.render.output import Column, Format, as_of_words, emit, inputs_line

PNL_COLUMNS = [
    Column("ticker", "Ticker"), Column("asset", "Asset"), Column("realized_pnl", "Realized", "money"),
    Column("unrealized_pnl", "Unrealized", "money"), Column("total_pnl", "Total", "money"),
    Column("proceeds", "Proceeds", "money", wide=True), Column("quantity", "Quantity", "qty"),
    Column("cost_basis", "Cost basis", "money", wide=True), Column("currency", "Ccy"),
    Column("cost_complete", "Cost known", "bool", wide=True), Column("price_date", "Price date", "date", wide=True),
]
CHECK_COLUMNS = [
    Column("ticker", "Ticker"), Column("asset", "Asset"), Column("date", "Date", "date"),
    Column("event_id", "Event", "int"), Column("asserted", "Asserted", "bool", wide=True),
    Column("disclosed_quantity", "Disclosed", "qty"), Column("computed_quantity", "From events", "qty"),
    Column("quantity_delta", "Unexplained", "qty"), Column("disclosed_cost", "Disclosed cost", "money", wide=True),
    Column("computed_cost", "Cost from events", "money", wide=True), Column("cost_delta", "Cost delta", "money"),
]


commands = Commands()


@commands.command(listing=True)
def holdings(ctx: typer.Context, tickers: TickersArg = None,
             asset: Annotated[str | None, typer.Option("--asset", help="Only this asset.")] = None,
             as_of: AsOfOption = None, known_on: KnownOnOption = None, method: MethodOption = "average",
             fmt: FormatOption = Format.table):
    """Positions, cost basis and value per company and asset.

    \b
    Example:
      dattrack holdings MSTR CANG --as-of 2026-03-31 --method fifo"""
    from dattrack.app import holdings as reports

    with opened(ctx) as store:
        day = reading(store, tickers, as_of=as_of, known_on=known_on, method=method)
        rows = reports.holdings(day, asset=asset)
        dates = day.input_dates()
    emit(rows, [Column("ticker", "Ticker"), *HOLDING_COLUMNS], fmt,
         title=f"Holdings {as_of_words(dates.as_of, dates.known_on)} ({method} cost)", header=inputs_line(dates),
         footer=holdings_footer(rows),
         empty="no holdings: record events with dattrack event add, or dattrack init --seed")


@commands.command(listing=True)
def pnl(ctx: typer.Context, tickers: TickersArg = None, method: MethodOption = "average",
        since: Annotated[str | None, typer.Option("--since", help="Count realized P&L from this date.")] = None,
        until: Annotated[str | None, typer.Option("--until", help="Up to this date (default --known-on, else today).")] = None,
        known_on: KnownOnOption = None, fmt: FormatOption = Format.table):
    """Realized and unrealized P&L.

    \b
    Example:
      dattrack pnl --since 2026-01-01 --until 2026-06-30"""
    from dattrack.app import holdings as reports
    from dattrack.cli.common import day_option

    with opened(ctx) as store:
        day = reading(store, tickers, as_of=until, as_of_name="--until", known_on=known_on, method=method,
                      since=day_option(since, "--since"))
        rows = reports.pnl(day)
        dates = day.input_dates()
    window = f"from {day.since} " if day.since else ""
    emit(rows, PNL_COLUMNS, fmt, title=f"P&L {window}{as_of_words(dates.as_of, dates.known_on)} ({method} cost)",
         header=inputs_line(dates), empty="no events")


@commands.command(listing=True)
def check(ctx: typer.Context, tickers: TickersArg = None,
          failing: Annotated[bool, typer.Option("--failing", help="Only the disclosures that disagree.")] = False,
          fmt: FormatOption = Format.table):
    """Compare every disclosed balance with what the events add up to; exit 1 on any difference.

    \b
    Example:
      dattrack check CANG --failing"""
    from dattrack.app import holdings as reports

    with opened(ctx) as store:
        day = reading(store, tickers)
        rows = reports.check(day)
    disagree = [r for r in rows if r["quantity_delta"]]
    if fmt is Format.table:
        asserted = sum(1 for r in rows if r["asserted"])
        summary = f"{len(rows)} disclosures, {asserted} asserted, {len(disagree)} disagree"
        shown = disagree if failing else disagree + [r for r in rows if not r["quantity_delta"]]
        emit(shown, CHECK_COLUMNS, fmt, title=f"Disclosures vs events {as_of_words(day.as_of)}: {summary}",
             empty="no disclosure disagrees with the events" if failing else "no balance events",
             row_style=lambda row: "bold red" if row["quantity_delta"] else None)
    else:
        emit(disagree if failing else rows, CHECK_COLUMNS, fmt)
    if disagree:
        raise typer.Exit(1)
