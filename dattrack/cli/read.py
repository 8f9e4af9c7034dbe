"""`dattrack read FILE|URL`: what one document discloses, and what recording it would do."""

from __future__ import annotations

from typing import Annotated

import typer

from dattrack.cli.common import Commands, FormatOption, day_option, opened
from dattrack.render.output import Column, Format, emit, message

COLUMNS = [Column("kind", "Kind"), Column("asset", "Asset"), Column("quantity", "Quantity", "qty"),
           Column("amount", "Amount", "money"), Column("currency", "Cur", wide=True), Column("date", "Date", "date"),
           Column("period_start", "From", "date", wide=True), Column("name", "Fact", wide=True),
           Column("value", "Value", "qty", wide=True), Column("status", "Status"), Column("quote", "Quote"),
           Column("document", "Document", wide=True)]


commands = Commands()


@commands.command(listing=True)
def read(ctx: typer.Context,
         target: Annotated[str, typer.Argument(metavar="FILE|URL", help="A document: a file, or an http(s) address (SEC EDGAR archives go through the cache).")],
         ticker: Annotated[str | None, typer.Option("--ticker", help="Judge it against this company's books: status new, known or pending.")] = None,
         date: Annotated[str | None, typer.Option("--date", help="The document's date (when its text gives none) and the day it became public.")] = None,
         record: Annotated[bool, typer.Option("--record", help="Record the new disclosures for --ticker (origin filing) and put the pending ones in the inbox.")] = False,
         offline: Annotated[bool, typer.Option("--offline", help="Read only the document cache; no network.")] = False,
         fmt: FormatOption = Format.table):
    """What one document discloses (purchases, sales, units mined, holdings, facts), each with
    the words it was read from.

    \b
    Example:
      dattrack read https://www.sec.gov/Archives/edgar/data/1050446/000095017025148288/mstr-20251117.htm --ticker MSTR
      dattrack read release.pdf --ticker MSTR --date 2025-11-17 --record"""
    from dattrack.app.reading import ROW_KEYS, read as read_document

    day = day_option(date, "--date")
    if ticker is None:  # reading alone never opens (or creates) a database
        report = read_document(None, target, date=day, record_new=record, offline=offline)
    else:
        with opened(ctx) as store:
            if record:
                with store.write():
                    report = read_document(store, target, ticker=ticker, date=day, record_new=True,
                                           offline=offline)
            else:
                report = read_document(store, target, ticker=ticker, date=day, offline=offline)
    rows = [{key: row[key] for key in ROW_KEYS} for row in report.rows]
    emit(rows, COLUMNS, fmt, title=f"Read: {target}", empty="no disclosure read from this document")
    for note in report.notes:
        message(note)
    if record:
        message(f"recorded {report.recorded} events and {report.facts} facts; {report.pending} new items in the "
                f"inbox (dattrack inbox {ticker.upper()})")
