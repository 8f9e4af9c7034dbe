"""`dattrack inbox [TICKER...]`, `inbox accept ID...`, `inbox reject ID...`: what was read from
documents but not recorded, and the user's decision on each item."""

from __future__ import annotations

from typing import Annotated

import typer

from dattrack.cli.common import Commands, FormatOption, opened
from dattrack.render.output import Column, Format, emit, print_line

COLUMNS = [Column("id", "Id", "int"), Column("ticker", "Ticker"), Column("kind", "Kind"),
           Column("asset", "Asset", wide=True), Column("quantity", "Quantity", "qty"),
           Column("amount", "Amount", "money"), Column("date", "Date", "date"), Column("reason", "Why"),
           Column("quote", "Quote", wide=True), Column("document", "Document", wide=True)]
ACTIONS = ("accept", "reject")


commands = Commands()


# One command, not a group: a group cannot take tickers and sub-commands side by side.
@commands.command(listing=True)
def inbox(ctx: typer.Context,
          words: Annotated[list[str] | None, typer.Argument(metavar="[TICKER...] | accept ID... | reject ID...",
                                                            help="Tickers to list (default: all), or accept / reject and inbox ids.",
                                                            show_default=False)] = None,
          fmt: FormatOption = Format.table):
    """What was read from documents but not recorded (by sync --source filings or read --record),
    with why, its quote and its document. `accept ID...` records items (origin filing);
    `reject ID...` keeps them out for good (reading the document again does not bring them back).

    \b
    Example:
      dattrack inbox MSTR
      dattrack inbox accept 3 4
      dattrack inbox reject 5"""
    words = list(words or [])
    action = words[0].strip().lower() if words and words[0].strip().lower() in ACTIONS else None
    if action is None:
        from dattrack.app.inbox import inbox as pending

        with opened(ctx) as store:
            rows = pending(store, words or None)
        emit(rows, COLUMNS, fmt, title="Inbox", empty="the inbox is empty")
        return
    from dattrack.app import inbox as decisions
    from dattrack.errors import BadInput

    if len(words) < 2:
        raise BadInput(f"inbox {action} needs at least one item id (dattrack inbox lists them)")
    with opened(ctx) as store, store.write():
        lines = getattr(decisions, action)(store, words[1:])
    for line in lines:
        print_line(line)
