"""`dattrack export` and `dattrack import`: the whole database as one JSON document, and back;
`dattrack import --from coingecko-treasury --coin BTC` records CoinGecko's public-treasury list."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from dattrack.cli.common import Commands, opened
from dattrack.errors import BadInput
from dattrack.render.output import message, print_line


class Source(str, Enum):
    coingecko_treasury = "coingecko-treasury"


commands = Commands()


@commands.command()
def export(ctx: typer.Context,
           fmt: Annotated[str, typer.Option("--format", "-f", help="json (the only format of a whole-database export).")] = "json"):
    """Write the whole database to stdout as one JSON document (deterministic: same data, same bytes).

    \b
    Example:
      dattrack export > backup.json"""
    if fmt.lower() != "json":
        raise BadInput(f"export writes JSON only, not {fmt!r}: use --format json "
                       "(listings and reports take --format csv)")
    import sys

    from dattrack.interchange.document import document_chunks

    with opened(ctx) as store:
        from dattrack.secrets import configured, scrub

        keys = configured()   # a key a provider once echoed into a name never leaves here
        write = sys.stdout.write
        for chunk in document_chunks(store):   # streamed: a million events are never held at once
            write(scrub(chunk, keys) if keys else chunk)  # a key lies within one value, so within one chunk


@commands.command("import")
def import_(ctx: typer.Context,
            file: Annotated[Path | None, typer.Argument(help="A file written by dattrack export.", show_default=False)] = None,
            source: Annotated[Source | None, typer.Option("--from", help="Import from an outside source instead of a file.")] = None,
            coin: Annotated[str | None, typer.Option("--coin", help="With --from coingecko-treasury: BTC, ETH, SOL...")] = None):
    """Import a dattrack export FILE, all rows or none: rows already here are skipped, conflicting
    ones are listed and nothing is written (exit 2).

    Or, with --from coingecko-treasury --coin BTC: start tracking CoinGecko's list of listed
    companies holding the coin (a balance dated today for each company with no events yet); a
    book that has events is never written, and a figure that differs from it is printed.
    (dattrack event import FILE reads a CSV of events.)

    \b
    Example:
      dattrack --db copy.db import backup.json"""
    if (file is None) == (source is None):
        raise BadInput("give a FILE to import, or --from coingecko-treasury --coin COIN")
    if source is None:
        if coin is not None:
            raise BadInput("--coin goes with --from coingecko-treasury")
        _import_file(ctx, file)
    else:
        if coin is None:
            raise BadInput("--from coingecko-treasury needs --coin (BTC, ETH, SOL...)")
        _import_treasury(ctx, coin)


def _import_file(ctx: typer.Context, file: Path) -> None:
    from dattrack.interchange.document import read_document
    from dattrack.interchange.importing import apply_import, plan_import

    tables = read_document(file)
    with opened(ctx, create=True) as store, store.write():
        plan = plan_import(store, tables)
        if plan.conflicts:
            for conflict in plan.conflicts:
                message(f"conflict: {conflict}")
            raise BadInput(f"{len(plan.conflicts)} rows of {file} conflict with the database; nothing was imported")
        written = apply_import(store, plan)
    print_line("imported: " + (_counts(written) or "nothing new")
               + (f" (already present: {_counts(plan.present)})" if plan.present else ""))


def _import_treasury(ctx: typer.Context, coin: str) -> None:
    from dattrack.dates import today
    from dattrack.interchange.treasury import import_public_treasury
    from dattrack.app import http_client

    with opened(ctx, create=True) as store, http_client() as client:
        report = import_public_treasury(store, coin, client=client, env=os.environ, day=today().isoformat())
    for line in report.skipped:
        message(f"skipped: {line}")
    for line in report.differs:
        print_line(line)
    print_line(f"CoinGecko public treasuries of {report.coin} on {report.day}: {report.listed} companies listed, "
               f"{report.recorded} balances recorded, {report.already} already recorded"
               + (f"; added {len(report.added)} companies: {', '.join(report.added)}" if report.added else ""))


def _counts(counter) -> str:
    return ", ".join(f"{n} {name}" for name, n in counter.items() if n)
