"""`dattrack price set|list|fetch`."""

from __future__ import annotations

from typing import Annotated

import typer

from dattrack.cli.common import FormatOption, day_option, opened
from dattrack.render.output import Column, Format, emit, message, print_line

commands = typer.Typer(no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(commands, name="price", help="Prices: set by hand, list, fetch.")

COLUMNS = [Column("symbol", "Symbol"), Column("date", "Date", "date", flag="stale"), Column("price", "Price", "qty"),
           Column("currency", "Ccy"), Column("age_days", "Age (days)", "int"), Column("source", "Source"),
           Column("fetched_at", "Fetched")]


@commands.command("set")
def set_(ctx: typer.Context, symbol: str, value: str,
         date: Annotated[str | None, typer.Option("--date", help="Close of this date (default today).")] = None,
         currency: Annotated[str | None, typer.Option("--currency", help="Default USD, or the company's currency for its quote symbol.")] = None):
    """Record a price by hand."""
    from dattrack.app.prices import set_price

    with opened(ctx) as store, store.write():
        saved = set_price(store, symbol, value, date, currency)
    print_line(f"{saved['symbol']} {saved['date']} {saved['price']} {saved['currency']}")


@commands.command("list")
def list_(ctx: typer.Context, symbol: Annotated[str | None, typer.Argument(show_default=False)] = None,
          since: Annotated[str | None, typer.Option("--since")] = None,
          fmt: FormatOption = Format.table):
    """List stored prices, with their age and a stale flag."""
    from dattrack.app.prices import price_listing

    with opened(ctx) as store:
        rows = price_listing(store, symbol.upper() if symbol else None, day_option(since, "--since"))
    emit(rows, COLUMNS, fmt, empty="no prices stored: dattrack price fetch, or dattrack price set")


@commands.command("fetch")
def fetch(ctx: typer.Context,
          date: Annotated[str | None, typer.Option("--date", help="Fetch the close of this past date (default: latest).")] = None,
          fmt: FormatOption = Format.table):
    """Fetch prices for every held asset, quote symbol and FX pair; exit 1 if any could not be had."""
    from dattrack.cli.progress import progress_bar
    from dattrack.app.prices import fetch_and_store, price_listing, price_needs

    day = day_option(date, "--date")
    with opened(ctx) as store:
        needs = price_needs(store)
        with progress_bar(len(needs), "fetching prices") as advance:
            result = fetch_and_store(store, day, needs=needs, progress=advance)
        fetched = {(q.symbol, q.date.isoformat()) for q in result.quotes}
        since = min((date for _, date in fetched), default=None)
        rows = [r for r in price_listing(store, None, since) if (r["symbol"], r["date"]) in fetched] if fetched else []
    emit(rows, COLUMNS, fmt, title=f"Prices fetched ({result.requests} requests)",
         empty="nothing to fetch: add companies first" if not needs else "no price could be fetched")
    for symbol, cause in sorted(result.failures.items()):
        message(f"failed {symbol}: {cause}")
    if result.failures:
        raise typer.Exit(1)
