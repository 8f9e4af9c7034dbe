"""`dattrack risk` and `dattrack yield`: who is next to sell, and is the treasury outgrowing dilution."""

from __future__ import annotations

from typing import Annotated

import typer

from dattrack.cli.common import AsOfOption, FormatOption, KnownOnOption, TickersArg, day_option, listing, opened, reading
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


def register(app: typer.Typer) -> None:
    @app.command()
    @listing
    def risk(ctx: typer.Context, tickers: TickersArg = None, as_of: AsOfOption = None, known_on: KnownOnOption = None,
             fmt: FormatOption = Format.table):
        """Leverage, collateral and margin-call prices, obligations and mining cost (money in USD).

        \b
        Example:
          dattrack risk CANG SQNS --as-of 2026-08-21"""
        from dattrack.app.risk import risk_rows

        with opened(ctx) as store:
            day = reading(store, tickers, as_of=as_of, known_on=known_on)
            rows = risk_rows(day)
            dates = day.input_dates()
        emit(rows, RISK_COLUMNS, fmt, empty="no companies", header=inputs_line(dates),
             title=f"Risk {as_of_words(dates.as_of, dates.known_on)} (USD; explain TICKER shows the inputs)")

    @app.command("yield")
    @listing
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
                    f"{row['shares_end_detail']}.")
