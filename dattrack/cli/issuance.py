"""`dattrack issuance` and `dattrack dilution`: the shares a company sold for cash, and whether it paid off
in crypto per share."""

from __future__ import annotations

from typing import Annotated

import typer

from dattrack.cli.common import Commands, FormatOption, TickersArg, day_option, opened
from dattrack.render.output import Column, Format, emit

ISSUANCE_COLUMNS = [
    Column("ticker", "Ticker"), Column("period_start", "From", "date"), Column("date", "To", "date"),
    Column("security", "Security"), Column("shares", "Shares", "qty"), Column("notional", "Notional", "money"),
    Column("net_proceeds", "Net proceeds", "money"), Column("capacity_left", "Left", "money"),
    Column("source", "Source", wide=True), Column("known_on", "Known on", "date", wide=True),
]
DILUTION_COLUMNS = [
    Column("since", "From", "date"), Column("until", "To", "date"), Column("shares_issued", "Sold", "qty"),
    Column("net_proceeds", "Proceeds", "money"), Column("units_bought", "Bought", "qty"),
    Column("per_share_start", "Per share start", "computed", wide=True),
    Column("per_share_end", "Per share", "computed"),
    Column("accretion", "Accretion", "ratio", flag="count_behind", flag_text="a share count of an earlier day: what was sold since is not in it"),
    Column("preferred_proceeds", "Preferred proceeds", "money", wide=True),
    Column("shares_end", "Shares end", "computed", wide=True), Column("shares_end_date", "Count of", "date", wide=True),
]
Since = Annotated[str | None, typer.Option("--since", help="From this date (YYYY-MM-DD).")]
Until = Annotated[str | None, typer.Option("--until", help="Up to this date (YYYY-MM-DD; default today).")]


commands = Commands()


@commands.command(listing=True)
def issuance(ctx: typer.Context, tickers: TickersArg = None, since: Since = None, until: Until = None,
             fmt: FormatOption = Format.table):
    """Shares sold for cash per program and period (8-K "ATM Update" tables), oldest first.

    \b
    Example:
      dattrack issuance MSTR --since 2026-01-01"""
    from dattrack.app.issuance import list_issuance

    with opened(ctx) as store:
        rows = list_issuance(store, tickers, day_option(since, "--since"), day_option(until, "--until"))
    emit(rows, ISSUANCE_COLUMNS, fmt, title="Share issuance (money in the row's currency)",
         empty="no issuance recorded: dattrack sync TICKER --source filings reads the 8-K ATM updates")


@commands.command(listing=True)
def dilution(ctx: typer.Context, ticker: str, since: Since = None, until: Until = None,
             by: Annotated[str, typer.Option("--by", help="Periods: week (Monday to Sunday), month or quarter.")] = "month",
             fmt: FormatOption = Format.table):
    """Per period: shares sold, net proceeds, crypto bought, crypto per share before and after, accretion.

    \b
    Example:
      dattrack dilution MSTR --since 2026-01-01 --by month"""
    from dattrack.app.issuance import dilution as dilution_rows

    with opened(ctx) as store:
        rows = dilution_rows(store, ticker, since=day_option(since, "--since"), until=day_option(until, "--until"),
                             by=by.strip().lower())
    asset = rows[0]["asset"] if rows else "crypto"
    emit(rows, DILUTION_COLUMNS, fmt,
         title=f"{rows[0]['ticker'] if rows else ticker.upper()} dilution by {by}: common shares sold, net "
               f"proceeds of every program, {asset} bought and {asset} per share at the period's end",
         footer="Per share: holdings / diluted shares (basic when none) plus the common shares sold since the "
                "count; accretion = per share at the end / at the start − 1.")
