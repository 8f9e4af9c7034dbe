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
AsOfOption = Annotated[str | None, typer.Option("--as-of", help="Report as of this date (YYYY-MM-DD; default --known-on, else today).")]
KnownOnOption = Annotated[str | None, typer.Option("--known-on", help="Only what was public on this date: the figures as they could be computed then (default: everything recorded).", show_default=False)]
MethodOption = Annotated[str, typer.Option("--method", "-m", help="Cost basis: average, fifo, lifo or hifo.")]


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


@contextlib.contextmanager
def opened(ctx: typer.Context, *, create: bool = False):
    """The database for this command, closed afterwards. Only a command that writes (create=True)
    creates a missing one: a read names it and exits 2, so a mistyped --db never leaves a new file
    or folder behind."""
    from dattrack.app import open_database

    store = open_database(state(ctx).db, create=create)
    try:
        yield store
    finally:
        store.close()


def day_option(text: str | None, what: str = "--as-of") -> str | None:
    from dattrack.dates import parse_date

    return None if text is None else parse_date(text, what).isoformat()


def reading(store, tickers: list[str] | None = None, *, as_of: str | None = None, known_on: str | None = None,
            as_of_name: str = "--as-of", **options):
    """The day a report reads (app.day.Day), from its --as-of and --known-on as typed."""
    from dattrack.app.day import Day

    return Day(store, tickers, as_of=day_option(as_of, as_of_name), known_on=day_option(known_on, "--known-on"),
               **options)


WideOption = Annotated[bool, typer.Option("--wide", help="Every column, money in full (tables).")]
ColumnsOption = Annotated[str | None, typer.Option("--columns", help="Only these columns, by JSON key: --columns ticker,mnav.",
                                                   show_default=False)]


def _listing(command):
    """Give a listing command --wide and --columns (one shared option bundle, as sqlite-utils does for
    its output flags); emit() reads them from the view they set."""
    import functools
    import inspect

    from dattrack.render.output import View, reset_view, set_view

    signature = inspect.signature(command, eval_str=True)
    extra = [inspect.Parameter("wide", inspect.Parameter.KEYWORD_ONLY, default=False, annotation=WideOption),
             inspect.Parameter("columns", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=ColumnsOption)]

    @functools.wraps(command)
    def wrapper(*args, wide: bool = False, columns: str | None = None, **kwargs):
        picked = tuple(k.strip() for k in columns.split(",") if k.strip()) if columns is not None else None
        token = set_view(View(wide=wide, columns=picked or None))
        try:
            return command(*args, **kwargs)
        finally:
            reset_view(token)

    wrapper.__signature__ = signature.replace(parameters=[*signature.parameters.values(), *extra])
    wrapper.__annotations__ = {**{name: param.annotation for name, param in signature.parameters.items()},
                               "wide": WideOption, "columns": ColumnsOption}
    return wrapper


class Commands:
    """The commands of one cli module, declared the one way: `commands = Commands()` for top-level
    commands (`dattrack holdings`) or `Commands("company", help=...)` for a noun's group (`dattrack
    company add`), then `@commands.command(...)` on each function at module level (`listing=True`
    gives it --wide and --columns). cli/app.py hands every module's `commands` the app."""

    def __init__(self, group: str | None = None, *, help: str | None = None):
        self.group, self.help = group, help
        self.declared: list[tuple[str | None, object, dict]] = []

    def command(self, name: str | None = None, *, listing: bool = False, **settings):
        def declare(function):
            self.declared.append((name, _listing(function) if listing else function, settings))
            return function
        return declare

    def register(self, app: typer.Typer) -> None:
        target = typer.Typer(no_args_is_help=True) if self.group else app
        for name, function, settings in self.declared:
            target.command(name, **settings)(function)
        if self.group:
            app.add_typer(target, name=self.group, help=self.help)
