"""`dattrack snapshot`: the cron job."""

from __future__ import annotations

import contextlib
from typing import Annotated

import typer

from dattrack.cli.common import Commands, day_option, opened
from dattrack.errors import BadInput
from dattrack.render.output import Column, Format, alert_line, emit, message, message_width, print_line

SUMMARY_COLUMNS = [Column("date", "Date", "date"), Column("companies", "Companies", "int"),
                   Column("rows", "Rows", "int"), Column("failures", "Not valued", "int"),
                   Column("degraded", "Prices not fetched", "int"), Column("stale", "Stale inputs", "int")]


commands = Commands()


@commands.command()
def snapshot(ctx: typer.Context,
             date: Annotated[str | None, typer.Option("--date", help="Snapshot this past date (default today).")] = None,
             since: Annotated[str | None, typer.Option("--since", help="Backfill every date from this one to --date.")] = None,
             quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on success but the ALERT lines of rules that newly hold (cron mails them).")] = False,
             offline: Annotated[bool, typer.Option("--offline", help="Use stored prices; fetch nothing.")] = False,
             sync: Annotated[bool, typer.Option("--sync", help="First record new disclosures of every company (dattrack sync).")] = False,
             known_on: Annotated[str | None, typer.Option("--known-on", help="Value each date with only what was public on this one (default: everything recorded); --date defaults to it.", show_default=False)] = None):
    """Fetch prices, value every company and store the day's rows (one transaction per date).
    Exit 0 when every company was valued, 1 when some could not be (the rest is stored).
    With --sync, new disclosures are recorded first; a company that cannot be synced is still valued.

    \b
    Example:
      dattrack snapshot --sync --quiet"""
    if sync and offline:
        raise BadInput("--sync fetches disclosures: it cannot go with --offline")
    from dattrack import deadline
    from dattrack.cli.progress import progress_bar
    from dattrack.dates import today
    from dattrack.app.prices import price_needs
    from dattrack.app.alerts import check_after_snapshot
    from dattrack.app.snapshot import positions_for, run_lock, snapshot_dates, take_snapshot

    current = today().isoformat()
    known = day_option(known_on, "--known-on")
    not_taken = None
    dates = snapshot_dates(day_option(date, "--date") or known or current, day_option(since, "--since"))
    results = []
    with opened(ctx, create=True) as store, contextlib.ExitStack() as stack:
        client = None
        if not offline:  # one HTTP client for every date of the run
            from dattrack.app import http_client

            client = stack.enter_context(http_client())
        waiting = None if quiet else (lambda: message("another snapshot is running on this database; waiting for it"))
        with run_lock(store.path, on_wait=waiting):
            sync_failed, sync_offline = _sync_first(store, client, quiet) if sync else ({}, set())
            symbols = 0 if quiet or offline else len(price_needs(store))  # the bar counts symbols fetched
            # every book replayed once for all the dates, after sync
            held = positions_for(store, dates, known) if len(dates) > 1 else {}
            for index, day in enumerate(dates):
                if not offline and deadline.passed():  # a backfill stops starting dates; those taken are kept
                    left = dates[index:]
                    not_taken = f"{left[0]}" + (f" to {left[-1]} ({len(left)} dates)" if len(left) > 1 else "")
                    break
                with progress_bar(symbols, f"snapshot {day}") as advance:
                    results.append(take_snapshot(store, day, today=current, offline=offline, client=client,
                                                 progress=advance, held=held.get(day), known_on=known))
            alerts = check_after_snapshot(store, dates)
    failed = {(r.date, t): why for r in results for t, why in r.failures.items()}
    degraded = {(r.date, t): why for r in results for t, why in r.degraded.items()
                if t not in r.offline and t not in r.late}
    stale = {(r.date, t): why for r in results for t, why in r.stale.items()}
    if not quiet:
        emit([{"date": r.date, "companies": r.companies, "rows": r.rows, "failures": len(r.failures),
               "degraded": len(r.degraded), "stale": len(r.stale)}
              for r in results], SUMMARY_COLUMNS, Format.table, title="Snapshots stored")
    for alert in alerts:  # on stdout even with --quiet: cron mails what a job prints
        print_line(alert_line(alert))
    from dattrack.app.outage import fitted, no_network_line

    hosts = [host for r in results for t in sorted(r.offline) for host in r.offline[t]]
    unnamed = [host for host in hosts if host not in sync_offline]
    if unnamed:  # one line per cause: the network, once (sync may have named it); then what was done anyway
        message(no_network_line(unnamed))
    for r in results:
        if r.offline:
            message(fitted(f"stored on {r.date} with older prices (no network): ", r.offline, "companies",
                           message_width()))
        if r.late:
            message(fitted(f"stored on {r.date} with older prices (the command's deadline passed, "
                           f"{deadline.described()}): ", r.late, "companies", message_width()))
    for (day, ticker), why in sorted(failed.items()):
        message(f"not valued {ticker} on {day}: {why}")
    for (day, ticker), why in sorted(degraded.items()):
        message(f"stored {ticker} on {day} with older prices: {why}")
    if not quiet:
        for (day, ticker), why in sorted(stale.items()):
            message(f"stored {ticker} on {day} (stale inputs): {why}")
    if not_taken:
        message(f"not taken: {not_taken}: the command's deadline passed ({deadline.described()})")
    if failed or degraded or hosts or sync_failed or not_taken or any(r.late for r in results):
        raise typer.Exit(1)


def _sync_first(store, client, quiet: bool) -> tuple[dict[str, str], set[str]]:
    """`dattrack sync` of every company; its failures are reported and returned (with the hosts
    named unreachable), never raised."""
    from dattrack.app.sync import public_rows, sync
    from dattrack.cli.sync import SYNC_COLUMNS

    report = sync(store, None, source="all", client=client)
    added = [row for row in public_rows(report.rows) if row["status"] == "added"]
    if not quiet:
        emit(added, SYNC_COLUMNS, Format.table, title="Disclosures recorded", empty="no new disclosures")
        for note in report.notes:
            message(note)
    from dattrack.app.outage import failure_lines

    for line in failure_lines(report.failed, report.offline, noun="companies", prefix="not synced", late=report.late,
                              width=message_width()):
        message(line.replace("not fetched (no network):", "not synced (no network):"))
    return report.failed, {host for hosts in report.offline.values() for host in hosts}
