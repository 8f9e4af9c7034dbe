"""The schema, as an ordered list of migrations applied once each (sqlite_utils.Migrations).

Decimals are stored as TEXT in canonical plain notation so that nothing is ever a binary float.
Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from dattrack.assets import BY_SYMBOL

migrations = Migrations("dattrack")

# symbol, CoinGecko id, Coinbase product base, Kraken pair: the three m001 has always inserted (the
# other assets of dattrack/assets.py arrive in a later migration; m001 never changes).
BUILTIN_ASSETS = [BY_SYMBOL[symbol].row for symbol in ("BTC", "ETH", "SOL")]


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
    -- The average-cost position after every event, kept current on each write so that
    -- `holdings` costs one row per company, not one per event.
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
        [dict(zip(("symbol", "coingecko_id", "coinbase_base", "kraken_pair"), row)) for row in BUILTIN_ASSETS])


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
    db.execute("ALTER TABLE snapshots ADD COLUMN inputs_date TEXT")  # the oldest input date the row used
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
