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


class PipeClosed(Exception):
    """The reader of stdout went away (`dattrack event list | head -1`): it has what it wanted."""


class DattrackGroup(TyperGroup):
    """Known errors become one `Error:` line on stderr with their exit code; usage errors exit 2;
    anything else is a bug: one line, or the traceback under --debug."""

    debug = False   # set by the root callback from --debug (an error before it shows no traceback)

    # A closed pipe is caught before click's own handler, which exits 1 for it: while parsing
    # (--help, --version print from there) and while a command runs.
    def make_context(self, *args, **kwargs):
        try:
            return super().make_context(*args, **kwargs)
        except BrokenPipeError:
            raise PipeClosed() from None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise PipeClosed() from None

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        from dattrack import deadline

        deadline.start()  # DATTRACK_DEADLINE counts from here, for every request the command makes
        try:
            code = self._run(args, prog_name, complete_var, **extra)
        finally:
            deadline.stop()
        if standalone_mode:
            sys.exit(code)
        return code

    def _run(self, args, prog_name, complete_var, **extra) -> int:
        argv = list(sys.argv[1:] if args is None else args)
        self.debug = False
        try:
            code = super().main(args=argv, prog_name=prog_name or "dattrack", complete_var=complete_var,
                                standalone_mode=False, **extra)
            code = code if isinstance(code, int) else 0
            if code == 130:  # typer turns Ctrl-C into Exit(130), silently: say what happened
                code = _fail("interrupted", 130, False)
        except DattrackError as exc:
            code = _fail(str(exc), exc.exit_code, self.debug)
        except ClickException as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # a bare group: its help, as click would show it
                sys.stdout.write(exc.format_message() + "\n")
                code = 0
            else:
                code = _fail(exc.format_message(), 2 if exc.exit_code == 2 else exc.exit_code, self.debug)
        except ClickAbort:
            code = _fail("aborted", 1, self.debug)
        except KeyboardInterrupt:
            code = _fail("interrupted", 130, self.debug)
        except sqlite3.Error as exc:  # a failure no store call named: still said as what it is
            from dattrack.errors import sqlite_failure

            failure = sqlite_failure(exc, _db_name(argv))
            code = _fail(str(failure), failure.exit_code, self.debug)
        except (PipeClosed, BrokenPipeError):  # `dattrack event list | head`: a quiet success
            _quiet_stdout()
            code = 0
        except OSError as exc:
            import errno

            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                code = _fail(f"the disk is full: could not write {exc.filename or 'the output'}", 1, self.debug)
                _quiet_stdout()  # what is still buffered cannot be written either
            elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                code = _fail(f"{exc.filename or 'a file'} is read-only or not accessible ({exc.strerror})", 1, self.debug)
            else:
                code = _fail(f"{exc.strerror or type(exc).__name__}: {exc.filename or exc}", 1, self.debug)
        except Exception as exc:  # noqa: BLE001 - the boundary: a bug gets one line (or a traceback)
            code = _fail(f"unexpected {type(exc).__name__}: {exc} (run with --debug for the traceback)", 1, self.debug)
        try:
            sys.stdout.flush()  # what is still buffered, while a closed pipe can still be told apart
        except BrokenPipeError:
            _quiet_stdout()
        except (OSError, ValueError):
            pass
        return code


def _db_name(argv: list[str]) -> str:
    """The database path the command was given, for a message."""
    import os

    for index, arg in enumerate(argv):
        if arg == "--db" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--db="):
            return arg[5:]
    return os.environ.get("DATTRACK_DB") or "dattrack.db"


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test runner's capture)
        pass


def _fail(text: str, code: int, debug: bool) -> int:
    from dattrack.render.safe import printable

    if debug and sys.exc_info()[0] is not None:  # the traceback is text like any other: shown, never obeyed
        sys.stderr.write(printable(traceback.format_exc()))

    sys.stderr.write(f"Error: {printable(text, inline=True)}\n")
    return code


app = typer.Typer(cls=DattrackGroup, no_args_is_help=True, add_completion=True,
                  pretty_exceptions_enable=False, rich_markup_mode=None,
                  help="Track digital asset treasury companies: a sourced ledger of disclosures, "
                       "valued with fetched prices, every figure explained.")


def _version(value: bool) -> None:
    if value:
        from dattrack import __version__

        sys.stdout.write(f"dattrack {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(ctx: typer.Context,
         db: Annotated[Path | None, typer.Option("--db", envvar="DATTRACK_DB",
                                                 help="The database file (default: dattrack.db in the user data directory).")] = None,
         debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for unexpected errors.")] = False,
         version: Annotated[bool, typer.Option("--version", is_eager=True, callback=_version,
                                               help="Print the version and exit.")] = False):
    from dattrack.cli.common import state

    state(ctx).db = db
    ctx.find_root().command.debug = debug   # read by DattrackGroup.main when an error reaches it


def _register() -> None:
    """Every command module, in help order; each declares its commands (cli.common.Commands) and they
    are handed the app here."""
    from dattrack.cli import (alert, company, event, fact, history, instrument, io, positions, price, report, risk,
                              setup, snapshot, sync, valuation)

    for module in (company, event, fact, price, setup, positions, report, io, valuation, snapshot, history, sync,
                   instrument, risk, alert):
        module.commands.register(app)


_register()


def main() -> None:
    import signal

    # `kill`, systemd and cron timeouts send SIGTERM: stop the way Ctrl-C does (roll back, log a
    # snapshot run as failed, stop the fetch workers), not mid-thought.
    signal.signal(signal.SIGTERM, _terminated)
    app()


def _terminated(signum, frame) -> None:
    raise KeyboardInterrupt


__all__ = ["app", "main", "BadInput"]
