"""The capital stack's writers for what the filings source reads (app/sources/filings.py): the share
issuance rows of 8-K "ATM Update" tables and the instruments of 10-Q/10-K inline XBRL. Registered by
record type, run in the company's transaction by `sync` and by `read --record` (app/reading._hand_on)."""

from __future__ import annotations

from dattrack.app.sources import Written, register_writer
from dattrack.app.sources.filings import FiledInstrument, FiledIssuance
from dattrack.store import Store


def write_issuance(store: Store, company: dict, records: list[FiledIssuance], dry_run: bool) -> Written:
    """Each ATM row not recorded yet (origin filing); a row read again is known."""
    from dattrack.app.issuance import filed_rows, record_issuance

    added = record_issuance(store, company, filed_rows(records), origin="filing", dry_run=dry_run)
    return Written(added, "issuance rows")


def write_instruments(store: Store, company: dict, records: list[FiledInstrument], dry_run: bool) -> Written:
    """Each instrument's amount at its filing's period end, and 0 for what the newest filing no longer lists."""
    from dattrack.app.filed_instruments import record_filed_instruments

    written, notes = record_filed_instruments(store, company, records, dry_run=dry_run)
    return Written(written, "instrument amounts from 10-Q/10-K", notes=tuple(notes))


register_writer(FiledIssuance, write_issuance)
register_writer(FiledInstrument, write_instruments)
