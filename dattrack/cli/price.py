"""`dattrack price set|list|fetch`."""

from __future__ import annotations

from typing import Annotated

import typer

from dattrack.cli.common import FormatOption, day_option, opened
from dattrack.render.output import Column, Format, emit, print_line

app = typer.Typer(no_args_is_help=True)

COLUMNS = [Column("symbol", "Symbol"), Column("date", "Date", "date", flag="stale"), Column("price", "Price", "qty"),
           Column("currency", "Ccy"), Column("age_days", "Age (days)", "int"), Column("source", "Source"),
           Column("fetched_at", "Fetched")]


@app.command("set")
def set_(ctx: typer.Context, symbol: str, value: str,
         date: Annotated[str | None, typer.Option("--date", help="Close of this date (default today).")] = None,
         currency: Annotated[str | None, typer.Option("--currency", help="Default USD, or the company's currency for its quote symbol.")] = None):
    """Record a price by hand."""
    from dattrack.recording import set_price

    with opened(ctx) as store, store.write():
        saved = set_price(store, symbol, value, date, currency)
    print_line(f"{saved['symbol']} {saved['date']} {saved['price']} {saved['currency']}")


@app.command("list")
def list_(ctx: typer.Context, symbol: Annotated[str | None, typer.Argument(show_default=False)] = None,
          since: Annotated[str | None, typer.Option("--since")] = None,
          fmt: FormatOption = Format.table):
    """List stored prices, with their age and a stale flag."""
    from dattrack.pricing import price_listing

    with opened(ctx) as store:
        rows = price_listing(store, symbol.upper() if symbol else None, day_option(since, "--since"))
    emit(rows, COLUMNS, fmt, empty="no prices stored: dattrack price fetch, or dattrack price set")
