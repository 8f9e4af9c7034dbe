"""`dattrack price set|list|fetch`."""

from __future__ import annotations

from typing import Annotated

import typer

from dattrack.cli.common import Commands, FormatOption, day_option, opened
from dattrack.render.output import Column, Format, emit, message, message_width, print_line

commands = Commands("price", help="Prices: set by hand, list, fetch.")



COLUMNS = [Column("symbol", "Symbol"), Column("date", "Date", "date", flag="stale"), Column("price", "Price", "qty"),
           Column("currency", "Ccy"), Column("age_days", "Age (days)", "int", wide=True), Column("source", "Source"),
           Column("fetched_at", "Fetched", wide=True)]


@commands.command("set")
def set_(ctx: typer.Context, symbol: str, value: str,
         date: Annotated[str | None, typer.Option("--date", help="Close of this date (default today).")] = None,
         currency: Annotated[str | None, typer.Option("--currency", help="Default USD, or the company's currency for its quote symbol.")] = None):
    """Record a price by hand.

    \b
    Example:
      dattrack price set BTC 68233.31 --date 2026-03-31"""
    from dattrack.app.prices import set_price

    with opened(ctx, create=True) as store, store.write():
        saved = set_price(store, symbol, value, date, currency)
    print_line(f"{saved['symbol']} {saved['date']} {saved['price']} {saved['currency']}")


@commands.command("list", listing=True)
def list_(ctx: typer.Context, symbol: Annotated[str | None, typer.Argument(show_default=False)] = None,
          since: Annotated[str | None, typer.Option("--since")] = None,
          fmt: FormatOption = Format.table):
    """List stored prices, with their age and a stale flag.

    \b
    Example:
      dattrack price list BTC --since 2026-01-01"""
    from dattrack.app.prices import price_listing

    with opened(ctx) as store:
        rows = price_listing(store, symbol.upper() if symbol else None, day_option(since, "--since"))
    emit(rows, COLUMNS, fmt, empty="no prices stored: dattrack price fetch, or dattrack price set")


COVERAGE_COLUMNS = [Column("symbol", "Symbol"), Column("kind", "Kind"), Column("first", "First", "date"),
                    Column("last", "Last", "date", flag="stale"), Column("count", "Closes", "int"),
                    Column("age_days", "Age (days)", "int"), Column("holds_back", "Holds back", "bool", wide=True)]


@commands.command("coverage", listing=True)
def coverage(ctx: typer.Context,
             common: Annotated[bool, typer.Option("--common", help="Print only the latest common date.")] = False,
             fmt: FormatOption = Format.table):
    """How far each needed price reaches, and the latest date on which every one has a close: value
    as of that date to compare companies on one day's prices.

    \b
    Example:
      dattrack holdings --as-of $(dattrack price coverage --common)"""

    from dattrack.app.prices import coverage as price_coverage

    with opened(ctx) as store:
        rows, day = price_coverage(store)
    if common:
        if day is None:
            from dattrack.errors import OperationFailed

            missing = ", ".join(r["symbol"] for r in rows if r["last"] is None) or "every price"
            raise OperationFailed(f"no common date: no close stored for {missing}")
        print_line(day)
        return
    held_back = ", ".join(r["symbol"] for r in rows if r["holds_back"])
    emit(rows, COVERAGE_COLUMNS, fmt, empty="no prices needed: add companies and events first",
         title=f"Latest common date: {day or 'none'}" + (f" (the last close of {held_back})" if held_back else ""))


@commands.command("fetch", listing=True)
def fetch(ctx: typer.Context,
          date: Annotated[str | None, typer.Option("--date", help="Fetch the close of this past date (default: latest).")] = None,
          fmt: FormatOption = Format.table):
    """Fetch prices for every held asset, quote symbol and FX pair; exit 1 if any could not be had.

    \b
    Example:
      dattrack price fetch --date 2026-03-31"""
    from dattrack.cli.progress import progress_bar
    from dattrack.app.prices import fetch_and_store, price_listing, price_needs

    day = day_option(date, "--date")
    with opened(ctx, create=True) as store:
        needs = price_needs(store)
        with progress_bar(len(needs), "fetching prices") as advance:
            result = fetch_and_store(store, day, needs=needs, progress=advance)
        fetched = {(q.symbol, q.date.isoformat()) for q in result.quotes}
        since = min((date for _, date in fetched), default=None)
        rows = [r for r in price_listing(store, None, since) if (r["symbol"], r["date"]) in fetched] if fetched else []
    emit(rows, COLUMNS, fmt, title=f"Prices fetched ({result.requests} requests)",
         empty="nothing to fetch: add companies first" if not needs else "no price could be fetched")
    from dattrack.app.outage import failure_lines

    for line in failure_lines(result.failures, result.offline, noun="prices", late=result.late, width=message_width()):
        message(line)
    if result.failures:
        raise typer.Exit(1)
