"""`dattrack event add|list|rm|import`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dattrack.cli.common import Commands, FormatOption, day_option, opened
from dattrack.cli.views import EVENT_COLUMNS
from dattrack.render.output import Column, Format, emit, print_line

TTY_LIMIT = 50  # events a terminal shows unless --limit says otherwise

commands = Commands("event", help="Record, list, remove and import disclosed events.")


@commands.command("add")
def add(ctx: typer.Context,
        ticker: str,
        kind: Annotated[str, typer.Argument(help="buy, sell, mine, receive or balance.")],
        quantity: Annotated[str, typer.Argument(help="Units (for a balance: the total held).")],
        date: Annotated[str, typer.Option("--date", help="The event's date (YYYY-MM-DD).")],
        asset: Annotated[str | None, typer.Option("--asset", help="Default: the company's primary asset.")] = None,
        price: Annotated[str | None, typer.Option("--price", help="Price per unit, in the company's currency.")] = None,
        total: Annotated[str | None, typer.Option("--total", help="Total amount, fees included.")] = None,
        fee: Annotated[str | None, typer.Option("--fee", help="Fee, with --price.")] = None,
        source: Annotated[str | None, typer.Option("--source", help="URL or citation.")] = None,
        note: Annotated[str | None, typer.Option("--note")] = None,
        known_on: Annotated[str | None, typer.Option("--known-on", help="The day the disclosure became public (default today; not before --date).")] = None,
        estimate: Annotated[str | None, typer.Option("--estimate", help="Why the figure is rounded, derived or estimated (an estimated amount is not a known cost).")] = None,
        allow_duplicate: Annotated[bool, typer.Option("--allow-duplicate", help="Record it even if the same kind, date and quantity (and amount) is already recorded.")] = False):
    """Record an event; prints its id. A disclosure already recorded is refused with its id.

    \b
    Example:
      dattrack event add MSTR buy 10107 --total 1050000000 --date 2025-11-17 --known-on 2025-11-17"""
    from dattrack.app.events import EventInput, add_event

    entry = EventInput(ticker=ticker, kind=kind, quantity=quantity, date=date, asset=asset, price=price,
                       total=total, fee=fee, source=source, note=note, known_on=known_on, estimate=estimate)
    with opened(ctx, create=True) as store, store.write():
        event_id = add_event(store, entry, allow_duplicate=allow_duplicate)
    print_line(str(event_id))


@commands.command("list", listing=True)
def list_(ctx: typer.Context,
          ticker: Annotated[str | None, typer.Argument(show_default=False)] = None,
          kind: Annotated[str | None, typer.Option("--kind")] = None,
          since: Annotated[str | None, typer.Option("--since")] = None,
          until: Annotated[str | None, typer.Option("--until")] = None,
          limit: Annotated[int | None, typer.Option("--limit", min=1, show_default=False,
                                                    help=f"Only the newest N events (a terminal shows the newest "
                                                         f"{TTY_LIMIT} unless told).")] = None,
          fmt: FormatOption = Format.table):
    """List events (keys id, ticker, date, asset, kind, quantity, amount, source, note, origin, recorded_at,
    estimate, known_on).

    \b
    Example:
      dattrack event list CANG --kind sell --since 2026-01-01"""
    from dattrack.app.events import event_listing
    from dattrack.render.output import terminal_width

    if limit is None and fmt is Format.table and terminal_width() is not None:
        limit = TTY_LIMIT
    with opened(ctx) as store:
        rows, total = event_listing(store, ticker, kind, day_option(since, "--since"), day_option(until, "--until"),
                                    newest=limit)
        more = 0
        if total is not None:  # the newest N: few enough to hold
            rows = list(rows)
            more = total - len(rows)
        emit(rows, [Column("ticker", "Ticker"), *EVENT_COLUMNS], fmt, empty="no events",  # streamed while open
             footer=f"the newest {len(rows)} of {total:,} events; {more:,} older not shown (--limit N, or "
                    "--format csv for all)" if more > 0 else None)


@commands.command("rm")
def rm(ctx: typer.Context, event_id: Annotated[int, typer.Argument(metavar="ID")]):
    """Delete one event (refused if a later sell needs it).

    \b
    Example:
      dattrack event rm 42"""
    from dattrack.app.events import remove_event

    with opened(ctx, create=True) as store, store.write():
        event = remove_event(store, event_id)
    print_line(f"removed event {event_id} ({event['ticker']} {event['kind']} {event['quantity']} {event['asset']} on {event['date']})")


@commands.command("import")
def import_(ctx: typer.Context, file: Annotated[Path, typer.Argument(help="CSV: ticker,date,kind,asset,quantity,price,total,fee,source,note[,known_on,estimate]")]):
    """Import events from CSV: every row is validated first, then all new ones are written, or none;
    rows already recorded (same company, asset, kind, date and quantity) are skipped. A row without
    known_on is public today.

    \b
    Example:
      dattrack event import purchases.csv"""
    from dattrack.app.events import import_events

    with opened(ctx, create=True) as store, store.write():
        recorded = import_events(store, file)
    print_line(f"imported {recorded.added} events, skipped {recorded.known} already recorded")
