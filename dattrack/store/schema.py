"""The schema, as an ordered list of migrations applied once each (sqlite_utils.Migrations).

Decimals are stored as TEXT in canonical plain notation so that nothing is ever a binary float.
Never edit a migration that has shipped: add a new one, decorated with `@migrations()`, at the end.

This module imports no sqlite_utils: opening a current database checks the recorded names
against `migrations.names()` and needs nothing more; sqlite_utils is imported when a migration
is applied (or listed as pending).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


class Registry:
    """The dattrack migration set: registered here in order, handed to sqlite_utils.Migrations on use."""

    def __init__(self, name: str):
        self.name = name
        self._functions: list[Callable] = []
        self._built = None

    def __call__(self) -> Callable[[Callable], Callable]:
        def register(function: Callable) -> Callable:
            self._functions.append(function)
            self._built = None
            return function

        return register

    def names(self) -> tuple[str, ...]:
        return tuple(function.__name__ for function in self._functions)

    def _migrations(self):
        if self._built is None:
            from sqlite_utils.migrations import Migrations

            built = Migrations(self.name)
            for function in self._functions:
                built()(function)
            self._built = built
        return self._built

    def apply(self, db: "Database", **kwargs) -> None:
        self._migrations().apply(db, **kwargs)

    def pending(self, db: "Database") -> list:
        return self._migrations().pending(db)


migrations = Registry("dattrack")


def builtin_assets(symbols=("BTC", "ETH", "SOL")) -> list[tuple]:
    """symbol, CoinGecko id, Coinbase product base, Kraken pair of built-in assets (dattrack/assets.py); m001
    inserts the three it always has: the others arrive in a later migration, and m001 never changes."""
    from dattrack.assets import BY_SYMBOL

    return [BY_SYMBOL[symbol].row for symbol in symbols]


@migrations()
def m001_ledger(db: Database) -> None:
    db.executescript("""
    CREATE TABLE companies (
        ticker TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        currency TEXT NOT NULL DEFAULT 'USD',
        quote_symbol TEXT NOT NULL,
        exchange TEXT,
        kind TEXT NOT NULL DEFAULT 'treasury' CHECK (kind IN ('treasury', 'miner', 'other')),
        asset TEXT NOT NULL DEFAULT 'BTC',
        cik INTEGER,
        note TEXT,
        source TEXT
    );
    CREATE TABLE assets (
        symbol TEXT PRIMARY KEY,
        coingecko_id TEXT,
        coinbase_base TEXT,
        kraken_pair TEXT
    );
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        ticker TEXT NOT NULL REFERENCES companies(ticker),
        date TEXT NOT NULL,
        asset TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('buy', 'sell', 'mine', 'receive', 'balance')),
        quantity TEXT NOT NULL,
        amount TEXT,
        source TEXT,
        note TEXT,
        closes_day INTEGER NOT NULL DEFAULT 0  -- 1 for a balance: it applies after the day's other events
    );
    CREATE INDEX events_book ON events (ticker, asset, date, closes_day, id);
    -- Each book's average-cost position after its last event, kept current on each write so
    -- that `holdings` costs one row per company, not one per event.
    CREATE TABLE positions (
        ticker TEXT NOT NULL REFERENCES companies(ticker),
        asset TEXT NOT NULL,
        quantity TEXT NOT NULL,
        cost_basis TEXT NOT NULL,       -- the known part when units of unknown cost are held
        cost_complete INTEGER NOT NULL,
        unknown_quantity TEXT NOT NULL DEFAULT '0',  -- units held with no disclosed cost
        last_date TEXT,
        PRIMARY KEY (ticker, asset)
    );
    CREATE TABLE facts (
        id INTEGER PRIMARY KEY,
        ticker TEXT NOT NULL REFERENCES companies(ticker),
        name TEXT NOT NULL,
        date TEXT NOT NULL,
        value TEXT NOT NULL,
        source TEXT,
        UNIQUE (ticker, name, date)
    );
    CREATE TABLE prices (
        symbol TEXT NOT NULL,
        date TEXT NOT NULL,
        price TEXT NOT NULL,
        currency TEXT NOT NULL,
        source TEXT,
        fetched_at TEXT NOT NULL,
        basis_date TEXT,  -- share closes: the day whose share structure the price is expressed in
        PRIMARY KEY (symbol, date)
    );
    """)
    db["assets"].insert_all(
        [dict(zip(("symbol", "coingecko_id", "coinbase_base", "kraken_pair"), row)) for row in builtin_assets()])


@migrations()
def m002_snapshots(db: Database) -> None:
    """The daily history: one row per company and asset per date, written by `dattrack snapshot`.
    Company-wide figures (share price, market cap, NAV, mNAV) repeat on each of its asset rows."""
    db.executescript("""
    CREATE TABLE snapshots (
        date TEXT NOT NULL,
        ticker TEXT NOT NULL,
        asset TEXT NOT NULL,
        quantity TEXT NOT NULL,
        cost_basis TEXT,
        cost_complete INTEGER NOT NULL,
        currency TEXT NOT NULL,
        price TEXT,               -- asset price in USD
        price_date TEXT,
        price_source TEXT,
        value TEXT,               -- in the company's currency
        value_usd TEXT,
        unrealized_pnl TEXT,      -- in the company's currency
        unrealized_pnl_usd TEXT,
        share_price TEXT,         -- in the company's currency
        share_price_date TEXT,
        share_price_source TEXT,
        fx TEXT,                  -- company currency per USD (null for USD companies)
        fx_date TEXT,
        shares_basic TEXT,
        shares_basic_date TEXT,
        market_cap TEXT,          -- USD
        nav TEXT,                 -- USD, all assets of the company
        mnav TEXT,
        ev_mnav TEXT,
        problems TEXT,            -- why something above is null, '; '-separated
        taken_at TEXT NOT NULL,
        PRIMARY KEY (date, ticker, asset)
    );
    CREATE INDEX snapshots_company ON snapshots (ticker, date);
    CREATE TABLE snapshot_runs (
        id INTEGER PRIMARY KEY,
        date TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        companies INTEGER NOT NULL,
        rows INTEGER NOT NULL,
        failures INTEGER NOT NULL,
        offline INTEGER NOT NULL,
        detail TEXT
    );
    """)


@migrations()
def m003_views(db: Database) -> None:
    """Read-only views for sqlite-utils and datasette: current_holdings, latest_snapshot, latest_mnav."""
    from dattrack.store.views import create_views

    create_views(db)


@migrations()
def m004_snapshot_honesty(db: Database) -> None:
    """Snapshot rows say whether their inputs were stale and how old the oldest was; the run log
    says whether a run succeeded, stored rows with problems, or failed outright (and why), so that
    `status` can tell a failed newest run from a good one."""
    from dattrack.store.views import LATEST_MNAV_V2

    db.execute("ALTER TABLE snapshots ADD COLUMN stale INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE snapshots ADD COLUMN inputs_date TEXT")  # the oldest price date it rests on (facts excluded)
    db.execute("ALTER TABLE snapshot_runs ADD COLUMN status TEXT NOT NULL DEFAULT 'ok'"
               " CHECK (status IN ('ok', 'partial', 'failed'))")
    db.execute("ALTER TABLE snapshot_runs ADD COLUMN error TEXT")  # why a failed run stored nothing
    db.execute("UPDATE snapshot_runs SET status = 'partial' WHERE failures > 0")
    db.execute("DROP VIEW IF EXISTS latest_mnav")
    db.execute(LATEST_MNAV_V2)


@migrations()
def m005_lots(db: Database) -> None:
    """The lot books of each (company, asset) as of its last event, one row per lot method,
    kept current on every write (as positions is for average cost). The lots column goes last
    so that reading the totals never touches it. A book with a position but no lot rows (one
    recorded before this migration) is replayed when read, and saved by `init` or its next write."""
    db.execute("""
    CREATE TABLE lot_books (
        ticker TEXT NOT NULL REFERENCES companies(ticker),
        asset TEXT NOT NULL,
        method TEXT NOT NULL CHECK (method IN ('fifo', 'lifo', 'hifo')),
        quantity TEXT NOT NULL,
        cost_basis TEXT NOT NULL,          -- the known part when units of unknown cost are held
        unknown_quantity TEXT NOT NULL,    -- units held in lots of unknown cost
        lots TEXT NOT NULL,                -- one held lot a line: seq, quantity, cost, rank (tab-separated)
        PRIMARY KEY (ticker, asset, method)
    )
    """)  # one statement: executescript would commit the migration's transaction


@migrations()
def m006_provenance(db: Database) -> None:
    """Provenance and sync: every event keeps `origin` and `recorded_at`; event ids are never reused
    (AUTOINCREMENT); companies get `coingecko_id`; `sync_runs` logs each `dattrack sync`.

    The events table is rebuilt (SQLite cannot add AUTOINCREMENT to a table): its other indexes and
    triggers are re-created from their stored SQL, and views are left alone (legacy rename mode), so
    whatever other migrations built on `events` survives. Existing rows get origin `seed` when they
    match the bundled data set (ticker, date, kind, quantity, source), `manual` otherwise;
    their recorded_at is unknown (null)."""
    conn = db.conn
    extras = [sql for (sql,) in conn.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'events' AND type IN ('index', 'trigger')"
        " AND sql IS NOT NULL AND name != 'events_book'")]
    old_info = {row[1]: row for row in conn.execute("PRAGMA table_info(events)")}
    old_columns = list(old_info)
    conn.execute("""
    CREATE TABLE events_m006 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ticker TEXT NOT NULL REFERENCES companies(ticker),
        date TEXT NOT NULL,
        asset TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('buy', 'sell', 'mine', 'receive', 'balance')),
        quantity TEXT NOT NULL,
        amount TEXT,
        source TEXT,
        note TEXT,
        closes_day INTEGER NOT NULL DEFAULT 0,
        origin TEXT NOT NULL DEFAULT 'manual'
            CHECK (origin IN ('manual', 'import', 'seed', 'coingecko', 'sec', 'treasury-list')),
        recorded_at TEXT
    )""")
    kept = [c for c in old_columns if c not in ("origin", "recorded_at")]
    # Columns another migration added to events come along (they must exist in the new table too).
    for column in kept:
        if column not in ("id", "ticker", "date", "asset", "kind", "quantity", "amount", "source", "note",
                          "closes_day"):
            _, _, kind, _, default, _ = old_info[column]
            conn.execute(f'ALTER TABLE events_m006 ADD COLUMN "{column}" {kind or ""}'
                         + (f" DEFAULT {default}" if default is not None else ""))
    names = ", ".join(f'"{c}"' for c in kept)
    conn.execute(f"INSERT INTO events_m006 ({names}) SELECT {names} FROM events")
    legacy = conn.execute("PRAGMA legacy_alter_table").fetchone()[0]
    conn.execute("PRAGMA legacy_alter_table = ON")  # views naming events keep naming events
    try:
        conn.execute("DROP TABLE events")
        conn.execute("ALTER TABLE events_m006 RENAME TO events")
    finally:
        conn.execute(f"PRAGMA legacy_alter_table = {int(legacy)}")
    conn.execute("CREATE INDEX events_book ON events (ticker, asset, date, closes_day, id)")
    for sql in extras:
        conn.execute(sql)
    # sqlite_sequence already holds the highest copied id: the next event continues after it.
    _mark_seed_events(conn)
    conn.execute("ALTER TABLE companies ADD COLUMN coingecko_id TEXT")
    conn.execute("""
    CREATE TABLE sync_runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        sources TEXT NOT NULL,
        companies INTEGER NOT NULL,
        added INTEGER NOT NULL,
        known INTEGER NOT NULL,
        skipped INTEGER NOT NULL,
        failures INTEGER NOT NULL,
        dry_run INTEGER NOT NULL,
        detail TEXT
    )""")


def _mark_seed_events(conn) -> None:
    """origin = seed for the rows `init --seed` loaded from the bundled events file."""
    import csv
    import io
    from decimal import Decimal, InvalidOperation
    from importlib import resources

    try:
        text = resources.files("dattrack.data").joinpath("events.csv").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return
    bundled = set()
    for row in csv.DictReader(io.StringIO(text)):
        try:
            quantity = Decimal(row["quantity"])
        except (InvalidOperation, KeyError, TypeError):
            continue
        bundled.add((row["ticker"].strip().upper(), row["date"].strip(), row["kind"].strip().lower(), quantity,
                     (row.get("source") or "").strip() or None))
    seeded = []
    for event_id, ticker, date, kind, quantity, source in conn.execute(
            "SELECT id, ticker, date, kind, quantity, source FROM events"):
        if (ticker, date, kind, Decimal(quantity), source) in bundled:
            seeded.append((event_id,))
    conn.executemany("UPDATE events SET origin = 'seed' WHERE id = ?", seeded)


@migrations()
def m007_capital_stack(db: Database) -> None:
    """SPEC 7: instruments (debt and preferred claims) with dated outstanding amounts, and alert rules
    with their state (so a rule that holds is reported once, until it stops holding and holds again)."""
    for statement in ("""
    CREATE TABLE instruments (
        id INTEGER PRIMARY KEY,
        ticker TEXT NOT NULL REFERENCES companies(ticker),
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('loan', 'note', 'convertible', 'preferred')),
        currency TEXT NOT NULL,
        rate TEXT,                  -- annual interest or dividend, a fraction
        maturity TEXT,
        conversion_price TEXT,      -- in the instrument's currency, per share
        seniority INTEGER NOT NULL, -- 1 = most senior
        collateral_asset TEXT,      -- crypto-backed loans: the asset pledged
        margin_ltv TEXT,
        liquidation_ltv TEXT,
        note TEXT,
        UNIQUE (ticker, name)
    )""", """
    -- Dated outstanding amounts (issued, repaid, converted): the latest on or before a date is in force.
    CREATE TABLE instrument_amounts (
        instrument_id INTEGER NOT NULL REFERENCES instruments(id),
        date TEXT NOT NULL,
        outstanding TEXT NOT NULL,  -- in the instrument's currency
        collateral TEXT,            -- units pledged from this date; NULL = as before
        source TEXT,
        PRIMARY KEY (instrument_id, date)
    )""", """
    CREATE TABLE alerts (
        id INTEGER PRIMARY KEY,
        ticker TEXT NOT NULL REFERENCES companies(ticker),
        metric TEXT NOT NULL,
        op TEXT,                    -- NULL for the `sell` rule
        threshold TEXT,             -- the LIMIT of the rule, as entered
        created TEXT NOT NULL,      -- the date the rule was added: a `sell` rule watches sells after it
        holding INTEGER NOT NULL DEFAULT 0,  -- the rule held at the last check (reported then)
        checked_date TEXT,          -- the snapshot date of the last check
        last_value TEXT,
        last_fired TEXT,            -- the snapshot date it was last reported
        seen_event_id INTEGER NOT NULL DEFAULT 0  -- `sell`: events up to this id were seen by the last check
    )"""):
        db.execute(statement)  # one at a time: executescript would commit the migration's transaction


@migrations()
def m008_known_on(db: Database) -> None:
    """SPEC 10: when each figure became public. Events, facts and instrument amounts get `known_on`
    (the date the disclosure was public) and `estimate` (why a figure is rounded, derived or
    estimated; null when it is as disclosed); instruments get `origin`. A snapshot's `quantity`
    and `cost_complete` may be null: before a book's first disclosure its quantity is unknown.

    Events are rebuilt once more, without the CHECK constraints on kind and origin: both are checked
    in Python (app/inputs.py), so a new origin never needs a rebuild. Facts are rebuilt to be unique
    on (ticker, name, date, known_on): a later known_on for the same figure is a revision, and both
    are kept; instrument amounts likewise on (instrument_id, date, known_on).

    Existing rows are filled as SPEC 10 says: seed rows from the `known_on` column of the bundled
    data (else the row's date), SEC rows from the filing date their note names, CoinGecko rows from
    their transaction date, the rest from the UTC date of `recorded_at`, else the row's date. An
    event is never public before its own date; a fact or an instrument amount may be (announced
    ahead: a split's effective date, a note's issue)."""
    conn = db.conn
    _rebuild(conn, "events", """
    CREATE TABLE events_m008 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ticker TEXT NOT NULL REFERENCES companies(ticker),
        date TEXT NOT NULL,
        asset TEXT NOT NULL,
        kind TEXT NOT NULL,                 -- buy, sell, mine, receive, balance (checked in app/inputs.py)
        quantity TEXT NOT NULL,
        amount TEXT,
        source TEXT,
        note TEXT,
        closes_day INTEGER NOT NULL DEFAULT 0,  -- 1 for a balance: it applies after the day's other events
        origin TEXT NOT NULL DEFAULT 'manual',  -- where the row came from (checked in app/inputs.py)
        recorded_at TEXT,                   -- UTC time it was written; null for rows older than m006
        known_on TEXT NOT NULL,             -- the date the disclosure was public (never before `date`)
        estimate TEXT                       -- null, or why the figure is rounded, derived or estimated
    )""", known_on=f"""CASE
        WHEN origin = 'sec' AND {_FILED} GLOB '{_ISO_GLOB}' THEN max(date, {_FILED})
        WHEN origin = 'coingecko' THEN date
        WHEN recorded_at GLOB '{_ISO_GLOB}*' THEN max(date, substr(recorded_at, 1, 10))
        ELSE date END""", indexes=["CREATE INDEX events_book ON events (ticker, asset, date, closes_day, id)"],
             skipped={"events_book"})
    conn.executemany("UPDATE events SET known_on = ? WHERE id = ?", _seed_event_dates(conn))

    _rebuild(conn, "facts", """
    CREATE TABLE facts_m008 (
        id INTEGER PRIMARY KEY,
        ticker TEXT NOT NULL REFERENCES companies(ticker),
        name TEXT NOT NULL,
        date TEXT NOT NULL,
        value TEXT NOT NULL,
        source TEXT,
        known_on TEXT NOT NULL,             -- the date the figure was public; a later one is a revision
        estimate TEXT,
        UNIQUE (ticker, name, date, known_on)
    )""", known_on="date")
    conn.executemany("UPDATE facts SET known_on = ? WHERE id = ?", _fact_dates(conn))

    conn.execute("ALTER TABLE instruments ADD COLUMN origin TEXT NOT NULL DEFAULT 'manual'")
    _rebuild(conn, "instrument_amounts", """
    CREATE TABLE instrument_amounts_m008 (
        instrument_id INTEGER NOT NULL REFERENCES instruments(id),
        date TEXT NOT NULL,
        outstanding TEXT NOT NULL,  -- in the instrument's currency
        collateral TEXT,            -- units pledged from this date; NULL = as before
        source TEXT,
        known_on TEXT NOT NULL,     -- the date the amount was public; a later one is a revision
        estimate TEXT,
        PRIMARY KEY (instrument_id, date, known_on)
    )""", known_on="date")
    seeded, dates = _seed_instrument_dates(conn)
    conn.executemany("UPDATE instruments SET origin = 'seed' WHERE id = ?", [(i,) for i in seeded])
    conn.executemany("UPDATE instrument_amounts SET known_on = ? WHERE instrument_id = ? AND date = ?", dates)

    _rebuild(conn, "snapshots", """
    CREATE TABLE snapshots_m008 (
        date TEXT NOT NULL,
        ticker TEXT NOT NULL,
        asset TEXT NOT NULL,
        quantity TEXT,            -- null: no disclosure yet on that date (unknown, not zero)
        cost_basis TEXT,
        cost_complete INTEGER,    -- null with the quantity
        currency TEXT NOT NULL,
        price TEXT,               -- asset price in USD
        price_date TEXT,
        price_source TEXT,
        value TEXT,               -- in the company's currency
        value_usd TEXT,
        unrealized_pnl TEXT,      -- in the company's currency
        unrealized_pnl_usd TEXT,
        share_price TEXT,         -- in the company's currency
        share_price_date TEXT,
        share_price_source TEXT,
        fx TEXT,                  -- company currency per USD (null for USD companies)
        fx_date TEXT,
        shares_basic TEXT,
        shares_basic_date TEXT,
        market_cap TEXT,          -- USD
        nav TEXT,                 -- USD, all assets of the company
        mnav TEXT,
        ev_mnav TEXT,
        problems TEXT,            -- why something above is null, '; '-separated
        taken_at TEXT NOT NULL,
        stale INTEGER NOT NULL DEFAULT 0,
        inputs_date TEXT,         -- the oldest price date the row rests on (facts excluded)
        PRIMARY KEY (date, ticker, asset)
    )""")


_ISO_GLOB = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
# The filing date in a synced SEC balance's note: "SEC EDGAR 10-Q filed 2025-11-03: CryptoAssetNumberOfUnits ..."
_FILED = "substr(note, instr(note, ' filed ') + 7, 10)"


def _rebuild(conn, table: str, create: str, *, known_on: str | None = None, indexes: tuple[str, ...] | list[str] = (),
             skipped: set[str] = frozenset()) -> None:
    """Rebuild `table` as `create` makes it (a table named TABLE_m008), copying every row, with
    `known_on` computed by the given SQL expression over the old row when given. The table's other
    indexes and triggers (all but `skipped`, re-created by `indexes`) are re-created from their
    stored SQL, views are left alone (legacy rename mode), and columns other migrations added to
    the table come along."""
    new = f"{table}_m008"
    extras = [sql for name, sql in conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL",
        (table,)) if name not in skipped]
    old_info = {row[1]: row for row in conn.execute(f"PRAGMA table_info({table})")}
    conn.execute(create)
    new_columns = [row[1] for row in conn.execute(f"PRAGMA table_info({new})")]
    for column, (_, _, kind, _, default, _) in old_info.items():
        if column not in new_columns:
            conn.execute(f'ALTER TABLE {new} ADD COLUMN "{column}" {kind or ""}'
                         + (f" DEFAULT {default}" if default is not None else ""))
    kept = [c for c in old_info if c not in ("known_on", "estimate")]
    names = ", ".join(f'"{c}"' for c in kept)
    if known_on is None:
        conn.execute(f"INSERT INTO {new} ({names}) SELECT {names} FROM {table}")
    else:
        conn.execute(f"INSERT INTO {new} ({names}, known_on) SELECT {names}, {known_on} FROM {table}")
    legacy = conn.execute("PRAGMA legacy_alter_table").fetchone()[0]
    conn.execute("PRAGMA legacy_alter_table = ON")  # views naming the table keep naming it
    try:
        conn.execute(f"DROP TABLE {table}")
        conn.execute(f"ALTER TABLE {new} RENAME TO {table}")
    finally:
        conn.execute(f"PRAGMA legacy_alter_table = {int(legacy)}")
    for sql in (*indexes, *extras):
        conn.execute(sql)


def _bundled(name: str) -> list[dict]:
    """The rows of a bundled data/ file (none when the package has no such file)."""
    import csv
    import io
    from importlib import resources

    try:
        text = resources.files("dattrack.data").joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return []
    return list(csv.DictReader(io.StringIO(text)))


def _public_on(row: dict, date: str, *, announced: bool = False) -> str:
    """A bundled row's known_on: its column when that is an ISO date, not before `date` unless the
    figure can be announced ahead (a fact, an instrument amount); else `date`."""
    import datetime as dt

    text = (row.get("known_on") or "").strip()
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return date
    return text if len(text) == 10 and (announced or text >= date) else date


def _seed_event_dates(conn) -> list[tuple[str, int]]:
    """(known_on, id) for the seed events: the bundled row's known_on when the event is one of them
    (ticker, date, kind, quantity, source, as m006 matched them), else the event's date."""
    from decimal import Decimal, InvalidOperation

    bundled = {}
    for row in _bundled("events.csv"):
        try:
            key = (row["ticker"].strip().upper(), row["date"].strip(), row["kind"].strip().lower(),
                   Decimal(row["quantity"]), (row.get("source") or "").strip() or None)
        except (InvalidOperation, KeyError, TypeError, AttributeError):
            continue
        bundled[key] = row
    found = []
    for event_id, ticker, date, kind, quantity, source in conn.execute(
            "SELECT id, ticker, date, kind, quantity, source FROM events WHERE origin = 'seed'"):
        row = bundled.get((ticker, date, kind, Decimal(quantity), source))
        found.append((date if row is None else _public_on(row, date), event_id))
    return found


def _fact_dates(conn) -> list[tuple[str, int]]:
    """(known_on, id) for facts public after their date: a bundled fact (ticker, name, date, source)
    with a known_on, or a fact synced from SEC EDGAR whose accession an SEC event's note dates."""
    import re

    bundled = {(r.get("ticker", "").strip().upper(), r.get("name", "").strip().lower(), r.get("date", "").strip(),
                (r.get("source") or "").strip() or None): r for r in _bundled("facts.csv")}
    filed = {}
    for source, note in conn.execute("SELECT source, note FROM events WHERE origin = 'sec' AND source IS NOT NULL"):
        match = re.search(r" filed (\d{4}-\d{2}-\d{2})", note or "")
        if match:
            filed[source.split()[-1]] = match.group(1)   # "10-Q 0001050446-25-000123" -> its accession
    found = []
    for fact_id, ticker, name, date, source in conn.execute("SELECT id, ticker, name, date, source FROM facts"):
        row = bundled.get((ticker, name, date, source))
        if row is not None:
            known_on = _public_on(row, date, announced=True)
        else:
            accession = re.search(r"accession (\S+)", source or "")
            known_on = _public_on({"known_on": filed.get(accession.group(1))} if accession else {}, date)
        if known_on != date:
            found.append((known_on, fact_id))
    return found


def _seed_instrument_dates(conn) -> tuple[list[int], list[tuple[str, int, str]]]:
    """The ids of the instruments the bundled instruments.csv added (by ticker and name), and
    (known_on, instrument_id, date) for their amounts that the file dates later than their date."""
    rows = _bundled("instruments.csv")
    names = {}
    for row in rows:
        names.setdefault((row.get("ticker", "").strip().upper(), (row.get("name") or "").strip()), []).append(row)
    seeded, dates = [], []
    for instrument_id, ticker, name in conn.execute("SELECT id, ticker, name FROM instruments"):
        found = names.get((ticker, name))
        if not found:
            continue
        seeded.append(instrument_id)
        for row in found:
            date = (row.get("date") or "").strip()
            known_on = _public_on(row, date, announced=True)
            if known_on != date:
                dates.append((known_on, instrument_id, date))
    return seeded, dates


@migrations()
def m009_filings(db: Database) -> None:
    """SPEC 9: the inbox (what was read from a document but not recorded: pending until accepted or
    rejected; a rejected item stays, fingerprinted, so reading the document again never brings it
    back), the documents a sync read (a failed one is tried again by the next run), and the built-in
    assets of dattrack/assets.py that the assets table lacks."""
    for statement in ("""
    CREATE TABLE inbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ticker TEXT NOT NULL REFERENCES companies(ticker),
        kind TEXT NOT NULL,             -- buy, sell, mine, balance, fact
        asset TEXT,
        quantity TEXT,
        amount TEXT,                    -- in `currency`, as printed
        currency TEXT,
        date TEXT,                      -- period end or as-of; NULL when neither text nor caller gave one
        period_start TEXT,
        name TEXT,                      -- a fact's name
        value TEXT,                     -- a fact's value
        quote TEXT NOT NULL,
        document TEXT NOT NULL,         -- URL or file
        source TEXT,                    -- "FORM ACCESSION URL" for an SEC document
        known_on TEXT NOT NULL,
        reason TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',   -- pending, accepted, rejected
        event_id INTEGER,               -- what accepting it recorded
        recorded_at TEXT NOT NULL,
        decided_at TEXT,
        UNIQUE (ticker, fingerprint)
    )""", """
    CREATE TABLE documents_read (
        ticker TEXT NOT NULL REFERENCES companies(ticker),
        accession TEXT NOT NULL,
        name TEXT NOT NULL,
        form TEXT,
        filed TEXT,
        status TEXT NOT NULL,           -- read, failed
        error TEXT,
        read_at TEXT NOT NULL,
        PRIMARY KEY (ticker, accession, name)
    )"""):
        db.execute(statement)
    from dattrack.assets import ASSETS

    db.conn.executemany("INSERT OR IGNORE INTO assets (symbol, coingecko_id, coinbase_base, kraken_pair)"
                        " VALUES (?, ?, ?, ?)", [asset.row for asset in ASSETS])


@migrations()
def m010_capital(db: Database) -> None:
    """SPEC 11: the capital stack from the filings, and share issuance.

    Instruments get what a filing names them by and states of them: `member` (the XBRL member),
    `liquidation_preference` (per share, preferreds) and `matches` (a filing's instrument: the
    hand-typed one that describes the same claim, which is never overwritten). Each dated amount may
    carry the `rate` in force from that date (NULL = as before: rates change, STRC's did), the
    preferred `shares` outstanding, its `basis` (face, carrying, liquidation preference) and the XBRL
    `tag` it was read from. `issuance`: shares sold for cash per program and period (8-K "ATM Update"
    tables), one row per disclosure.

    Rows the bundled data set added before this migration get what its file states and the loader of
    the time dropped: the dated rates of instruments.csv, and the collateral of secured notes and
    convertibles."""
    conn = db.conn
    for statement in (
        "ALTER TABLE instruments ADD COLUMN member TEXT",
        "ALTER TABLE instruments ADD COLUMN liquidation_preference TEXT",
        "ALTER TABLE instruments ADD COLUMN matches INTEGER REFERENCES instruments(id)",
        "ALTER TABLE instrument_amounts ADD COLUMN rate TEXT",
        "ALTER TABLE instrument_amounts ADD COLUMN shares TEXT",
        "ALTER TABLE instrument_amounts ADD COLUMN basis TEXT",
        "ALTER TABLE instrument_amounts ADD COLUMN tag TEXT",
        """
    CREATE TABLE issuance (
        id INTEGER PRIMARY KEY,
        ticker TEXT NOT NULL REFERENCES companies(ticker),
        date TEXT NOT NULL,             -- the period end (or "as of")
        period_start TEXT,
        security TEXT NOT NULL,         -- the common stock's ticker, or a preferred series (STRK, ...)
        shares TEXT,
        notional TEXT,                  -- preferreds: face value of the shares sold
        net_proceeds TEXT,
        capacity_left TEXT,             -- of the program, after the period
        currency TEXT NOT NULL DEFAULT 'USD',
        source TEXT,
        quote TEXT,
        origin TEXT NOT NULL,
        known_on TEXT NOT NULL,
        recorded_at TEXT
    )""",
        # One disclosure, one row: the same program's figures for the same period are known.
        """CREATE UNIQUE INDEX issuance_row ON issuance (ticker, security, date, coalesce(period_start, ''),
            coalesce(shares, ''), coalesce(notional, ''), coalesce(net_proceeds, ''), coalesce(capacity_left, ''))""",
        "CREATE INDEX issuance_by_date ON issuance (ticker, date)",
    ):
        conn.execute(statement)
    _fill_bundled_terms(conn)


def _fill_bundled_terms(conn) -> None:
    """The seed instruments' dated rates and the collateral of their secured notes and convertibles, as
    data/instruments.csv states them (the loader before m010 kept an instrument's first rate only and
    dropped collateral that was not a loan's)."""
    rows = _bundled("instruments.csv")
    by_name: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        by_name.setdefault((row.get("ticker", "").strip().upper(), (row.get("name") or "").strip()), []).append(row)
    for instrument_id, ticker, name, kind in conn.execute(
            "SELECT id, ticker, name, kind FROM instruments WHERE origin = 'seed'").fetchall():
        found = by_name.get((ticker, name), [])
        for row in found[1:]:
            stated = (row.get("rate") or "").strip()
            if stated:
                conn.execute("UPDATE instrument_amounts SET rate = ? WHERE instrument_id = ? AND date = ?",
                             (stated, instrument_id, (row.get("date") or "").strip()))
        if kind in ("note", "convertible"):
            terms = found[0] if found else {}
            asset = next(((r.get("collateral_asset") or "").strip() for r in found
                          if (r.get("collateral_asset") or "").strip()), "")
            if asset:
                conn.execute("UPDATE instruments SET collateral_asset = ?, margin_ltv = ?, liquidation_ltv = ?"
                             " WHERE id = ?", (asset, (terms.get("margin_ltv") or "").strip() or None,
                                               (terms.get("liquidation_ltv") or "").strip() or None, instrument_id))
            for row in found:
                units = (row.get("collateral") or "").strip()
                if units:
                    conn.execute("UPDATE instrument_amounts SET collateral = ? WHERE instrument_id = ? AND date = ?",
                                 (units, instrument_id, (row.get("date") or "").strip()))
