"""`dattrack risk` and `dattrack yield`: who is next to sell, and is the treasury outgrowing dilution."""

from __future__ import annotations

from typing import Annotated

import typer

from dattrack.cli.common import (AsOfOption, Commands, FormatOption, KnownOnOption, TickersArg, day_option, opened,
                                 reading)
from dattrack.render.output import Column, Format, as_of_words, emit, inputs_line

# Who is next to sell, in 80 columns; --wide shows every key (btc_rating is 1 / debt_to_nav).
RISK_COLUMNS = [
    Column("ticker", "Ticker"), Column("nav", "NAV USD", "money", wide=True), Column("debt", "Debt USD", "money", wide=True),
    Column("preferred", "Preferred USD", "money", wide=True), Column("cash", "Cash USD", "money", wide=True),
    Column("debt_to_nav", "Debt/NAV", "ratio"), Column("btc_rating", "BTC rating", "ratio", wide=True),
    Column("collateral", "Collateral", "qty", wide=True), Column("unencumbered", "Unencumbered", "qty", wide=True),
    Column("ltv", "LTV", "ratio"), Column("margin_call_price", "Call price", "money"),
    Column("liquidation_price", "Liquidation", "money", wide=True), Column("margin_cushion", "Cushion", "ratio"),
    Column("annual_obligations", "Obligations/yr", "money", wide=True),
    Column("cash_cover_months", "Cover mo", "ratio"), Column("mining_cost", "Mining cost", "money", wide=True),
    Column("mining_cost_to_price", "Mine/px", "ratio"),
    Column("reserve_cover_months", "Reserve mo", "ratio", wide=True),
]
# The ladder: who is paid first, and how many times the NAV covers each claim and every claim ahead of it.
LADDER_COLUMNS = [
    Column("instrument", "Claim"), Column("kind", "Kind", wide=True), Column("seniority", "Rank", "int"),
    Column("outstanding", "Outstanding", "money"), Column("currency", "Ccy", wide=True),
    Column("rate", "Rate", "qty", wide=True), Column("maturity", "Maturity", "date", wide=True),
    Column("annual_cost", "Cost/yr", "money"), Column("claims_ahead", "Ahead USD", "money", wide=True),
    Column("btc_rating", "Rating", "ratio", flag="uncovered", flag_text="not covered by the NAV", mark="!"),
    Column("margin_call_price", "Call price", "money", wide=True),
    Column("called", "Called", "bool", wide=True), Column("source", "Source", wide=True),
]
YIELD_COLUMNS = [
    Column("ticker", "Ticker"), Column("since", "Since", "date"), Column("until", "Until", "date"),
    Column("holdings_start", "Held start", "qty", wide=True), Column("holdings_end", "Held end", "qty", wide=True),
    Column("shares_start", "Shares start", "computed", wide=True), Column("shares_end", "Shares end", "computed", wide=True),
    Column("per_share_start", "Per share start", "computed", wide=True),
    Column("per_share_end", "Per share end", "computed", wide=True),
    Column("btc_yield", "Yield", "ratio"), Column("btc_gain", "Gain", "computed"),
    Column("btc_usd_gain", "Gain USD", "money"), Column("mnav", "mNAV", "ratio"),
    Column("months_to_cover", "Months", "ratio"),
]


commands = Commands()


@commands.command(listing=True)
def risk(ctx: typer.Context, tickers: TickersArg = None, as_of: AsOfOption = None, known_on: KnownOnOption = None,
         claims: Annotated[bool, typer.Option("--claims", help="One company's ladder: every claim in seniority order with its rating.")] = False,
         price: Annotated[str | None, typer.Option("--price", help="Revalue at this price of the primary asset (USD): a stress test.")] = None,
         shock: Annotated[str | None, typer.Option("--shock", help="Revalue with every crypto price changed by this fraction (-0.5 = half).")] = None,
         fmt: FormatOption = Format.table):
    """Leverage, collateral and margin-call prices, obligations and mining cost (money in USD); --claims the
    ladder of one company; --price/--shock at a hypothetical coin price.

    \b
    Example:
      dattrack risk CANG SQNS --as-of 2026-08-21
      dattrack risk MSTR --claims --price 25000"""
    from dattrack.app.risk import ladder_rows, risk_rows, scenario_of

    with opened(ctx) as store:
        day = reading(store, tickers, as_of=as_of, known_on=known_on)
        scenario = scenario_of(day, price, shock)
        rows = ladder_rows(day, scenario) if claims else risk_rows(day, scenario)
        dates = day.input_dates()
        actual = _actual_prices(day) if scenario is not None else ""
    when = as_of_words(dates.as_of, dates.known_on)
    what = f"{next(iter(day.companies))} claims" if claims else "Risk"
    if scenario is not None:
        asset = next(iter(day.companies.values()))["asset"]
        what = f"HYPOTHETICAL: {what} with {scenario.describe(asset)}"
    header = inputs_line(dates) + (f" | hypothetical, not the market: {actual}" if actual else "")
    if claims:
        for row in rows:
            row["uncovered"] = row["covered"] is False
        emit(rows, LADDER_COLUMNS, fmt, empty="no claims: no instruments and no debt or preferred fact recorded",
             header=header, title=f"{what} {when} (most senior first; rating = NAV / this claim and all ahead)")
        return
    emit(rows, RISK_COLUMNS, fmt, empty="no companies", header=header,
         title=f"{what} {when} (USD; explain TICKER shows the inputs)")


@commands.command("yield", listing=True)
def yield_(ctx: typer.Context, ticker: str,
           since: Annotated[str | None, typer.Option("--since", help="Start (default: the last day of the previous year).")] = None,
           until: Annotated[str | None, typer.Option("--until", help="End (default: --known-on, else today).")] = None,
           known_on: KnownOnOption = None, fmt: FormatOption = Format.table):
    """BTC yield, gain and months to cover mNAV over a window (per diluted share).

    \b
    Example:
      dattrack yield MSTR --since 2026-02-19 --until 2026-07-17"""
    from dattrack.app.risk import period_yield

    with opened(ctx) as store:
        row, days = period_yield(store, ticker, day_option(since, "--since"), day_option(until, "--until"),
                                 day_option(known_on, "--known-on"))
        start, end = (day.input_dates() for day in days)
    known = f", as known on {row['known_on']}" if row["known_on"] else ""
    emit([row], YIELD_COLUMNS, fmt, title=f"{row['asset']} yield per diluted share{known}",
         header=f"At {start.as_of}: {inputs_line(start)} | at {end.as_of}: {inputs_line(end)}",
         footer=f"Shares on {row['since']}: {row['shares_start_detail']}. Shares on {row['until']}: "
                f"{row['shares_end_detail']}." + (f" — unknown: {row['reasons']}" if row["reasons"] else ""))


def _actual_prices(day) -> str:
    """What the hypothetical replaces: each primary asset's close of the day."""
    found = []
    for asset in sorted({c["asset"] for c in day.companies.values()}):
        close = day.prices.get(asset)
        found.append(f"{asset} closed at {close.price:,} on {close.date}" if close is not None else f"no {asset} close")
    return "; ".join(found)
