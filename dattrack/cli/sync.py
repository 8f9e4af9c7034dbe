"""`dattrack sync` and `dattrack filings`: disclosures from CoinGecko and SEC EDGAR."""

from __future__ import annotations

from typing import Annotated

import typer

from dattrack.cli.common import Commands, FormatOption, TickersArg, day_option, opened
from dattrack.render.output import Column, Format, emit, message, message_width

SYNC_COLUMNS = [Column("ticker", "Ticker"), Column("asset", "Asset", wide=True), Column("date", "Date", "date"),
                Column("kind", "Kind"), Column("quantity", "Quantity", "qty"), Column("amount", "Amount", "money"),
                Column("origin", "Origin", wide=True), Column("status", "Status"), Column("reason", "Reason"),
                Column("source", "Source", wide=True)]
FILING_COLUMNS = [Column("ticker", "Ticker"), Column("form", "Form"), Column("filed", "Filed", "date"),
                  Column("report_date", "Report date", "date", wide=True), Column("accession", "Accession"),
                  Column("items", "Items", wide=True), Column("in_ledger", "In ledger", "bool"),
                  Column("url", "URL", wide=True)]


commands = Commands()


@commands.command(listing=True)
def sync(ctx: typer.Context, tickers: TickersArg = None,
         source: Annotated[str, typer.Option("--source", help="coingecko, sec or all.")] = "all",
         since: Annotated[str | None, typer.Option("--since", help="Also add disclosures dated from this day on (default: only after each book's latest event).")] = None,
         dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be recorded; write nothing.")] = False,
         fmt: FormatOption = Format.table):
    """Fetch new disclosures from every source (CoinGecko treasury transactions, SEC EDGAR crypto
    holdings and facts) and record them, each public on its filing or transaction date. Exit 1
    when a company could not be synced (the others are stored).

    \b
    Example:
      dattrack sync MSTR --dry-run"""
    from dattrack.app.sync import public_rows, sync as run_sync

    with opened(ctx, create=not dry_run) as store:
        report = run_sync(store, tickers, source=source.strip().lower(), since=day_option(since, "--since"),
                          dry_run=dry_run)
    title = "Sync (dry run: nothing written)" if dry_run else "Sync"
    emit(public_rows(report.rows), SYNC_COLUMNS, fmt, title=title, empty="no disclosures found")
    for note in report.notes:
        message(note)
    for label, count in report.recorded.items():
        if count:
            message(f"{count} {label} {'would be recorded' if dry_run else 'recorded'}")
    for kind, count in report.unwritten.items():
        message(f"{count} {kind} read and not recorded: nothing records them yet")
    from dattrack.app.outage import failure_lines

    for line in failure_lines(report.failed, report.offline, noun="companies", late=report.late,
                              width=message_width()):
        message(line)
    if report.failed:
        raise typer.Exit(1)


@commands.command(listing=True)
def filings(ctx: typer.Context, tickers: TickersArg = None,
            since: Annotated[str | None, typer.Option("--since", help="Filed on or after this day.")] = None,
            form: Annotated[str | None, typer.Option("--form", help="Only this form (8-K, 6-K, 10-Q, 10-K, 20-F, 40-F...; amendments included).")] = None,
            fmt: FormatOption = Format.table):
    """Each company's SEC filings, newest first, and whether the ledger already cites each one
    (needs DATTRACK_SEC_USER_AGENT="Name email").

    \b
    Example:
      dattrack filings MSTR --form 8-K --since 2025-11-01"""
    from dattrack.app.filings import ROW_KEYS, filings as list_filings

    with opened(ctx) as store:
        report = list_filings(store, tickers, since=day_option(since, "--since"), form=form)
    emit([{k: r[k] for k in ROW_KEYS} for r in report.rows], FILING_COLUMNS, fmt, title="SEC filings",
         empty="no filings")
    for note in report.notes:
        message(note)
    for ticker, cause in sorted(report.failed.items()):
        message(f"failed {ticker}: {cause}")
    if report.failed:
        raise typer.Exit(1)
