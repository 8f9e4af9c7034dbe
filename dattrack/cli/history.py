"""`dattrack history`, `flows` and `status`: what the daily snapshots and the events say over time."""

from __future__ import annotations

from typing import Annotated

import typer

from dattrack.cli.common import (Commands, AsOfOption, FormatOption, KnownOnOption, TickersArg, day_option, opened,
                                 reading)
from dattrack.render.output import (Column, Format, console, display, emit, escape_markup, inputs_line, message,
                                    message_width)

# The table leaves cost basis and market cap to json/csv: twelve money columns do not fit a terminal.
HISTORY_COLUMNS = [
    Column("date", "Date", "date"), Column("asset", "Asset"), Column("quantity", "Quantity", "qty"),
    Column("price", "Price USD", "money", wide=True), Column("value_usd", "Value USD", "money"),
    Column("unrealized_pnl", "Unreal. P&L", "money"), Column("share_price", "Share price", "money", wide=True),
    Column("nav", "NAV USD", "money", wide=True), Column("mnav", "mNAV", "ratio"), Column("ev_mnav", "EV mNAV", "ratio"),
]
CHANGE_HEADERS = {"1d": "1 day", "7d": "7 days", "30d": "30 days", "ytd": "YTD"}
FLOW_ROW_STYLE = {"selling": "red", "buying": "green"}
RUN_COLUMNS = [
    Column("date", "Date", "date"), Column("started_at", "Started", "date", wide=True),
    Column("finished_at", "Finished", "date"),
    Column("companies", "Companies", "int"), Column("rows", "Rows", "int"), Column("failures", "Failures", "int"),
    Column("offline", "Offline", "bool"), Column("status", "Status"), Column("detail", "Detail"),
    Column("error", "Error"),
]
SNAPSHOT_HINT = "take one with `dattrack snapshot` (run it daily from cron to build the history)"


commands = Commands()


@commands.command(listing=True)
def history(ctx: typer.Context, ticker: str,
            metric: Annotated[str, typer.Option("--metric", help="Charted: holdings, value, mnav, ev_mnav or unrealized_pnl.")] = "holdings",
            since: Annotated[str | None, typer.Option("--since", help="Only snapshots from this date.")] = None,
            asset: Annotated[str | None, typer.Option("--asset", help="Only this asset.")] = None,
            fmt: FormatOption = Format.table):
    """A company's stored daily snapshots over time, with a chart of one metric in the terminal.

    \b
    Example:
      dattrack history MSTR --metric mnav --since 2026-01-01"""
    from dattrack.app import history as snapshots

    metric = snapshots.check_metric(metric)
    with opened(ctx) as store:
        rows = snapshots.history(store, ticker, since=day_option(since, "--since"),
                                 asset=asset.upper() if asset else None)
    ticker = ticker.upper()
    emit(rows, HISTORY_COLUMNS, fmt, empty=_no_snapshots(ticker, since, asset),
         title=f"{ticker} snapshots (unrealized P&L and share price in the company's currency, other money in USD)")
    if fmt is Format.table and rows:
        _print_charts(rows, metric, ticker)


def _no_snapshots(ticker: str, since: str | None, asset: str | None) -> str:
    scope = "".join([f" in {asset.upper()}" if asset else "", f" since {since}" if since else ""])
    return f"no snapshots of {ticker}{scope} yet: {SNAPSHOT_HINT}"


def _print_charts(rows: list[dict], metric: str, ticker: str) -> None:
    from dattrack.app.history import METRICS, metric_series
    from dattrack.render.chart import line_chart

    out = console()
    _, kind, _ = METRICS[metric]
    for name, points in metric_series(rows, metric).items():
        title = f"{metric} of {ticker}" + ("" if name == ticker else f" ({name})")
        out.print()
        out.print(line_chart(points, width=out.width, title=title, kind=kind))


@commands.command(listing=True)
def flows(ctx: typer.Context, tickers: TickersArg = None,
          asset: Annotated[str | None, typer.Option("--asset", help="Only this asset.")] = None,
          as_of: AsOfOption = None,
          since: Annotated[str | None, typer.Option("--since", help="Add the change since this date.")] = None,
          known_on: KnownOnOption = None, fmt: FormatOption = Format.table):
    """Who is buying and who is selling: change in holdings over 1, 7, 30 days and the year to date,
    from the events, valued in USD; biggest sellers first.

    \b
    Example:
      dattrack flows --since 2025-10-01"""
    from dattrack.app.flows import flows as holdings_flows

    with opened(ctx) as store:
        day = reading(store, tickers, as_of=as_of, known_on=known_on, since=day_option(since, "--since"))
        rows = holdings_flows(day, asset=asset)
        dates = day.input_dates()
    columns = _flow_columns(since)
    known = f", as known on {dates.known_on}" if dates.known_on else ""
    title = (f"Holdings changes to {dates.as_of}" + (f", and since {since}" if since else "") + known
             + " (USD at that day's price; sellers first)")
    emit(rows, columns, fmt, title=title, header=inputs_line(dates),
         row_style=lambda row: FLOW_ROW_STYLE.get(row["direction"]),
         empty="no events: record some with dattrack event add, or dattrack init --seed")


def _flow_columns(since: str | None) -> list[Column]:
    """The default view: units held, the 30-day and year-to-date change (or the change since --since)
    and the direction; --wide adds 1 and 7 days, the changes in USD, the price and the last event."""
    headers = dict(CHANGE_HEADERS, **({"since": "Since"} if since else {}))
    default = {"30d", "since"} if since else {"30d", "ytd"}
    return [
        Column("ticker", "Ticker"), Column("asset", "Asset"), Column("quantity", "Held", "qty"),
        *(Column(f"change_{name}", header, "qty", wide=name not in default) for name, header in headers.items()),
        Column("change_30d_usd", "30 days USD", "money", wide=True),
        Column("change_ytd_usd", "YTD USD", "money", wide=since is not None),
        *([Column("change_since_usd", "Since USD", "money")] if since else []),
        Column("price", "Price USD", "money", wide=True),
        Column("price_date", "Price date", "date", flag="price_stale", flag_text="stale price", wide=True),
        Column("direction", "Flow"),
        Column("last_event_date", "Last event", "date"), Column("last_event_kind", "Kind", wide=True),
    ]


STATUS_LINES = 4   # lines of a failed run's causes that `status` shows; --verbose shows them all


@commands.command()
def status(ctx: typer.Context, fmt: FormatOption = Format.table,
           verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Every cause of every run, in full.")] = False):
    """Is the daily snapshot job running? Its latest runs, the age of the newest snapshot, and what
    the database holds. A failed run is summarised in a few lines; --verbose shows all of it.

    \b
    Example:
      dattrack status"""
    from dattrack.freshness import SNAPSHOT_STALE_DAYS
    from dattrack.app.history import status as snapshot_status

    with opened(ctx) as store:
        report = snapshot_status(store)
    if fmt is Format.json:
        emit([report], [], fmt)
    elif fmt is Format.csv:
        emit(report["runs"], RUN_COLUMNS, fmt)
    else:
        shorten = _all_causes if verbose else _first_cause
        shown = [{**run, "detail": shorten(run["detail"]), "error": shorten(run["error"])} for run in report["runs"]]
        _print_status({**report, "runs": shown}, SNAPSHOT_STALE_DAYS)
    if report["latest_run_failed"]:  # cron and monitoring see it in the exit code
        run = report["runs"][0]
        causes = _causes(run["error"]) + _causes(run["detail"]) or ["see the runs above"]
        head = (f"the newest snapshot run ({run['date']}, started {run['started_at']}) "
                f"{'failed' if run['status'] == 'failed' else 'could not value or price every company'}:")
        if len(causes) == 1:
            message(f"{head} {causes[0]}")
            raise typer.Exit(1)
        message(head)
        limit = len(causes) if verbose or fmt is not Format.table else STATUS_LINES
        width = None if verbose else message_width()
        for cause in causes[:limit]:
            line = f"  {cause}"
            message(line if width is None or len(line) < width else line[:width - 2] + "…")
        if len(causes) > limit:
            message(f"  … {len(causes) - limit} more (dattrack status --verbose)")
        raise typer.Exit(1)


def _causes(text: str | None) -> list[str]:
    """A run's stored causes, one a line (older runs joined them with '; ' into one line)."""
    if not text:
        return []
    lines = text.splitlines()
    return lines if len(lines) > 1 else [part for part in text.split("; ") if part]


def _all_causes(text: str | None) -> str | None:
    return "; ".join(_causes(text)) or text


def _first_cause(text: str | None) -> str | None:
    causes = _causes(text)
    if len(causes) <= 1:
        return text
    return f"{causes[0]} (+{len(causes) - 1} more)"


def _print_status(report: dict, stale_days: int) -> None:
    from dattrack.freshness import DatedInputs, InputDates

    out = console()
    out.print(f"database: {display(report['database'])}")
    out.print(f"{report['companies']:,} companies, {report['events']:,} events, {report['prices']:,} prices, "
              f"{report['snapshots']:,} snapshot rows")
    latest = report["latest_snapshot_date"]
    if latest is None:
        out.print(f"[yellow]no snapshots yet:[/yellow] {SNAPSHOT_HINT}")
    elif report["latest_snapshot_stale"]:
        out.print(f"latest snapshot: {latest} [yellow]({report['latest_snapshot_age_days']} days old, more than "
                  f"{stale_days}: is the cron job running?)[/yellow]")
    else:
        out.print(f"latest snapshot: {latest} ({report['latest_snapshot_age_days']} days old)")
    if latest is not None:
        inputs = InputDates(latest, None, tuple(DatedInputs(**group) for group in report["latest_snapshot_inputs"]))
        style = "yellow" if inputs.stale else "dim"
        out.print(f"  valued on [{style}]{escape_markup(inputs_line(inputs, sentence=False))}[/{style}]")
    emit(report["runs"], RUN_COLUMNS, Format.table, title="Latest snapshot runs", empty="no snapshot runs recorded")
