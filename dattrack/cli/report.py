"""Reports: `holdings`, `pnl`, `check` (and the valuation reports registered beside them)."""

from __future__ import annotations

from typing import Annotated

import typer

from dattrack.cli.common import AsOfOption, FormatOption, MethodOption, TickersArg, day_option, opened
from dattrack.cli.views import HOLDING_COLUMNS
from dattrack.render.output import Column, Format, emit

PNL_COLUMNS = [
    Column("ticker", "Ticker"), Column("asset", "Asset"), Column("realized_pnl", "Realized", "money"),
    Column("unrealized_pnl", "Unrealized", "money"), Column("total_pnl", "Total", "money"),
    Column("proceeds", "Proceeds", "money"), Column("quantity", "Quantity", "qty"),
    Column("cost_basis", "Cost basis", "money"), Column("currency", "Ccy"),
    Column("cost_complete", "Cost known", "bool"), Column("price_date", "Price date", "date"),
]
CHECK_COLUMNS = [
    Column("ticker", "Ticker"), Column("asset", "Asset"), Column("date", "Date", "date"),
    Column("event_id", "Event", "int"), Column("asserted", "Asserted", "bool"),
    Column("disclosed_quantity", "Disclosed", "qty"), Column("computed_quantity", "From events", "qty"),
    Column("quantity_delta", "Unexplained", "qty"), Column("disclosed_cost", "Disclosed cost", "money"),
    Column("computed_cost", "Cost from events", "money"), Column("cost_delta", "Cost delta", "money"),
]


def register(app: typer.Typer) -> None:
    @app.command()
    def holdings(ctx: typer.Context, tickers: TickersArg = None,
                 asset: Annotated[str | None, typer.Option("--asset", help="Only this asset.")] = None,
                 as_of: AsOfOption = None, method: MethodOption = "average", fmt: FormatOption = Format.table):
        """Positions, cost basis and value per company and asset."""
        from dattrack.app import holdings as reports

        with opened(ctx) as store:
            rows = reports.holdings(store, tickers, asset=asset, as_of=day_option(as_of), method=method)
        emit(rows, [Column("ticker", "Ticker"), *HOLDING_COLUMNS], fmt,
             title=f"Holdings as of {as_of or 'today'} ({method} cost)",
             empty="no holdings: record events with dattrack event add, or dattrack init --seed")

    @app.command()
    def pnl(ctx: typer.Context, tickers: TickersArg = None, method: MethodOption = "average",
            since: Annotated[str | None, typer.Option("--since", help="Count realized P&L from this date.")] = None,
            until: Annotated[str | None, typer.Option("--until", help="Up to this date (default today).")] = None,
            fmt: FormatOption = Format.table):
        """Realized and unrealized P&L."""
        from dattrack.app import holdings as reports

        with opened(ctx) as store:
            rows = reports.pnl(store, tickers, method=method, since=day_option(since, "--since"),
                               until=day_option(until, "--until"))
        emit(rows, PNL_COLUMNS, fmt, title=f"P&L ({method} cost)", empty="no events")

    @app.command()
    def check(ctx: typer.Context, tickers: TickersArg = None, fmt: FormatOption = Format.table):
        """Compare every disclosed balance with what the events add up to; exit 1 on any difference."""
        from dattrack.app import holdings as reports

        with opened(ctx) as store:
            rows = reports.check(store, tickers)
        emit(rows, CHECK_COLUMNS, fmt, title="Disclosed balances vs events", empty="no balance events")
        if any(r["quantity_delta"] for r in rows):
            raise typer.Exit(1)
