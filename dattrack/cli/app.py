"""The dattrack command: global options, the sub-apps, and the one place errors become messages."""

from __future__ import annotations

import sqlite3
import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup

from dattrack.errors import BadInput, DattrackError

# typer vendors its own click in recent versions: find the base of usage errors through public names.
ClickException = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")
ClickAbort = typer.Abort


class DattrackGroup(TyperGroup):
    """Known errors become one `Error:` line on stderr with their exit code; usage errors exit 2;
    anything else is a bug: one line, or the traceback under --debug."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        argv = list(sys.argv[1:] if args is None else args)
        debug = "--debug" in argv
        try:
            code = super().main(args=argv, prog_name=prog_name or "dattrack", complete_var=complete_var,
                                standalone_mode=False, **extra)
            code = code if isinstance(code, int) else 0
        except DattrackError as exc:
            code = _fail(str(exc), exc.exit_code, debug)
        except ClickException as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # a bare group: its help, as click would show it
                sys.stdout.write(exc.format_message() + "\n")
                code = 0
            else:
                code = _fail(exc.format_message(), 2 if exc.exit_code == 2 else exc.exit_code, debug)
        except ClickAbort:
            code = _fail("aborted", 1, debug)
        except KeyboardInterrupt:
            code = _fail("interrupted", 130, debug)
        except sqlite3.OperationalError as exc:
            code = _fail(f"database error: {exc}", 1, debug)
        except BrokenPipeError:
            code = 0
        except Exception as exc:  # noqa: BLE001 - the boundary: a bug gets one line (or a traceback)
            code = _fail(f"unexpected {type(exc).__name__}: {exc} (run with --debug for the traceback)", 1, debug)
        if standalone_mode:
            sys.exit(code)
        return code


def _fail(text: str, code: int, debug: bool) -> int:
    if debug and sys.exc_info()[0] is not None:
        traceback.print_exc()
    sys.stderr.write(f"Error: {text}\n")
    return code


app = typer.Typer(cls=DattrackGroup, no_args_is_help=True, add_completion=False,
                  pretty_exceptions_enable=False, rich_markup_mode=None,
                  help="Track digital asset treasury companies: a sourced ledger of disclosures, "
                       "valued with fetched prices, every figure explained.")


@app.callback()
def root(ctx: typer.Context,
         db: Annotated[Path | None, typer.Option("--db", envvar="DATTRACK_DB",
                                                 help="The database file (default: dattrack.db in the user data directory).")] = None,
         debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for unexpected errors.")] = False):
    from dattrack.cli.common import state

    current = state(ctx)
    current.db, current.debug = db, debug


def _register() -> None:
    from dattrack.cli import (alert, company, event, fact, history, instrument, io, price, report, risk, setup,
                              snapshot, valuation)

    app.add_typer(company.app, name="company", help="Add, list, show and remove companies.")
    app.add_typer(event.app, name="event", help="Record, list, remove and import disclosed events.")
    app.add_typer(fact.app, name="fact", help="Balance-sheet facts: share counts, debt, cash, splits.")
    app.add_typer(price.app, name="price", help="Prices: set by hand, list, fetch.")
    setup.register(app)
    report.register(app)
    io.register(app)
    valuation.register(app)
    snapshot.register(app)
    history.register(app)
    instrument.register(app)
    risk.register(app)
    alert.register(app)


_register()


def main() -> None:
    app()


__all__ = ["app", "main", "BadInput"]
