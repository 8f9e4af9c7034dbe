"""What every command shares: the global state, the store it opens, the --format option."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from dattrack.render.output import Format


@dataclass
class State:
    db: Path | None = None


FormatOption = Annotated[Format, typer.Option("--format", "-f", case_sensitive=False,
                                              help="Output: table (default), json or csv.")]
TickersArg = Annotated[list[str] | None, typer.Argument(help="Tickers (default: all companies).", show_default=False)]
AsOfOption = Annotated[str | None, typer.Option("--as-of", help="Report as of this date (YYYY-MM-DD; default today).")]
MethodOption = Annotated[str, typer.Option("--method", "-m", help="Cost basis: average, fifo, lifo or hifo.")]


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


@contextlib.contextmanager
def opened(ctx: typer.Context):
    """The database for this command, closed afterwards."""
    from dattrack.app import open_database

    store = open_database(state(ctx).db)
    try:
        yield store
    finally:
        store.close()


def day_option(text: str | None, what: str = "--as-of") -> str | None:
    from dattrack.dates import parse_date

    return None if text is None else parse_date(text, what).isoformat()

