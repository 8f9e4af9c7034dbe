"""`dattrack init`: create or upgrade the database, optionally with the bundled data set."""

from __future__ import annotations

from typing import Annotated

import typer

from dattrack.cli.common import Commands, opened
from dattrack.render.output import print_line


commands = Commands()


@commands.command()
def init(ctx: typer.Context,
         seed: Annotated[bool, typer.Option("--seed", help="Load the bundled, sourced data set (idempotent).")] = False):
    """Create or upgrade the database; --seed loads the bundled data set.

    \b
    Example:
      dattrack init --seed"""
    with opened(ctx, create=True) as store:
        print_line(f"database: {store.path}")
        from dattrack.app.books import save_missing_lot_books

        with store.write():  # an upgraded database: its lot books, saved once
            save_missing_lot_books(store)
        if seed:
            from dattrack.app.seed import load_seed

            with store.write():
                added = load_seed(store)
            print_line("seeded: " + ", ".join(f"{n} {k}" for k, n in added.items())
                       + (" (already up to date)" if not any(added.values()) else ""))
