"""`dattrack report`: one self-contained HTML page of every report, with charts and sources."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dattrack.cli.common import Commands, AsOfOption, KnownOnOption, day_option, opened
from dattrack.render.output import print_line, write_file


commands = Commands()


@commands.command()
def report(ctx: typer.Context,
           out: Annotated[Path | None, typer.Option("--out", "-o", help="The HTML file to write "
                                                    "(default dattrack-report-DATE.html here).")] = None,
           as_of: AsOfOption = None, known_on: KnownOnOption = None):
    """Write one HTML file (no server, no script, nothing loaded from the network): holdings, the
    mNAV family, risk, flows, check, each company's charts and every figure's source as a link.

    \b
    Example:
      dattrack report --as-of 2026-08-21 --out treasuries.html"""
    from dattrack.app.report import report_content
    from dattrack.dates import today
    from dattrack.render.html import page

    known = day_option(known_on, "--known-on")
    day = day_option(as_of) or known or today().isoformat()
    with opened(ctx) as store:
        html = page(report_content(store, day, known))
    target = out or Path(f"dattrack-report-{day}.html")
    write_file(target, html)
    print_line(f"report written: {target}")
