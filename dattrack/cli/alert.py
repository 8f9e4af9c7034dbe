"""`dattrack alert add|list|rm`: rules that `snapshot` checks, reported once on stdout (cron mails them)."""

from __future__ import annotations

from typing import Annotated

import typer

from dattrack.cli.common import Commands, FormatOption, opened
from dattrack.render.output import Column, Format, emit, print_line

COLUMNS = [Column("id", "Id", "int"), Column("ticker", "Ticker"), Column("metric", "Metric"), Column("op", "Op"),
           Column("limit", "Limit", "qty"), Column("holding", "Holding", "bool"),
           Column("checked_date", "Checked", "date"), Column("last_value", "Last value", "qty", kind_key="kind"),
           Column("last_fired", "Last alert", "date")]


commands = Commands("alert", help="Alert rules checked by every snapshot.")


@commands.command("add", context_settings={"ignore_unknown_options": True})  # a negative limit: -0.05
def add(ctx: typer.Context, ticker: str,
        metric: Annotated[str, typer.Argument(help="mnav, ev_mnav, ltv, margin_cushion, holdings, or sell (any new sell or fall in holdings).")],
        op: Annotated[str | None, typer.Argument(help="<, <=, > or >= (quote it in the shell).")] = None,
        limit: Annotated[str | None, typer.Argument(metavar="VALUE", help="The limit.")] = None):
    """Add a rule; prints its id. Every snapshot checks it on the newest date it stores.

    \b
    Example:
      dattrack alert add MSTR mnav '<' 1"""
    from dattrack.app.alerts import add_alert

    with opened(ctx, create=True) as store, store.write():
        alert_id = add_alert(store, ticker, metric, op, limit)
    print_line(str(alert_id))


@commands.command("list", listing=True)
def list_(ctx: typer.Context, fmt: FormatOption = Format.table):
    """Rules with their state: whether each holds, when it was last checked and reported.

    \b
    Example:
      dattrack alert list --format json"""
    from dattrack.app.alerts import list_alerts

    with opened(ctx) as store:
        rows = list_alerts(store)
    emit(rows, COLUMNS, fmt, empty="no alerts: dattrack alert add TICKER METRIC OP VALUE")


@commands.command("rm")
def rm(ctx: typer.Context, alert_id: Annotated[str, typer.Argument(metavar="ID")]):
    """Remove a rule.

    \b
    Example:
      dattrack alert rm 3"""
    from dattrack.app.alerts import remove_alert

    with opened(ctx, create=True) as store, store.write():
        rule = remove_alert(store, alert_id)
    print_line(f"removed alert {rule['id']} ({rule['ticker']} {rule['metric']})")
