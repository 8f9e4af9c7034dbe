"""`dattrack fact set|list|sync`."""

from __future__ import annotations

from typing import Annotated

import typer

from dattrack.cli.common import opened
from dattrack.render.output import print_line

app = typer.Typer(no_args_is_help=True)


@app.command("set")
def set_(ctx: typer.Context, ticker: str,
         name: Annotated[str, typer.Argument(help="shares_basic, shares_diluted, debt, preferred, cash or split.")],
         value: Annotated[str, typer.Argument(help="A number (money in the company's currency), or a ratio like 1:10 for a split (1 new for 10 old).")],
         date: Annotated[str | None, typer.Option("--date", help="Date the figure is as of (default today).")] = None,
         source: Annotated[str | None, typer.Option("--source", help="URL or citation.")] = None):
    """Record a dated balance-sheet fact."""
    from dattrack.recording import set_fact

    with opened(ctx) as store, store.write():
        day, text = set_fact(store, ticker, name, value, date, source)
    print_line(f"{ticker.upper()} {name.lower()} = {text} as of {day}")
