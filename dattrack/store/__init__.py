"""The SQLite file: opening, migrating and one write transaction per command."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from dattrack.errors import BadInput, OperationFailed

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 60.0
BULK_CACHE_KIB = 32 * 1024


def ticker_filter(tickers: list[str] | None) -> tuple[str, tuple]:
    """A ` WHERE ticker IN (...)` clause and its parameters; nothing when no tickers are given."""
    if not tickers:
        return "", ()
    return f" WHERE ticker IN ({', '.join('?' * len(tickers))})", tuple(t.upper() for t in tickers)


def default_path() -> Path:
    """DATTRACK_DB, else dattrack.db in the user data directory."""
    override = os.environ.get("DATTRACK_DB")
    if override:
        return Path(override)
    from platformdirs import user_data_dir  # only when no path was given

    return Path(user_data_dir("dattrack", appauthor=False)) / "dattrack.db"


class Store:
    """One connection to a dattrack database. Reads run in autocommit; writes go through `write()`."""

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = path
        self.conn = conn
        self._db = None

    @property
    def db(self):
        """The sqlite_utils view of the connection (imported on first use: start-up matters)."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn, execute_plugins=False)
        return self._db

    def query(self, sql: str, params=()) -> list[tuple]:
        return self.conn.execute(sql, params).fetchall()

    def bulk(self) -> None:
        """A bigger page cache for a bulk write (an import of a million rows): fewer pages are
        spilled to the WAL before the transaction ends. Bounded: at most BULK_CACHE_KIB."""
        self.conn.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")

    def execute(self, sql: str, params=()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    @contextlib.contextmanager
    def write(self) -> Iterator["Store"]:
        """All of a command's writes, or none: BEGIN IMMEDIATE takes the write lock up front so
        two writers queue (busy timeout) instead of failing halfway."""
        if self.conn.in_transaction:  # nested: part of the enclosing command's transaction
            yield self
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise OperationFailed(f"the database {self.path} is busy ({exc}); try again") from None
        try:
            yield self
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()


def open_store(path: Path | str | None = None, *, migrate: bool = True) -> Store:
    path = Path(path) if path is not None else default_path()
    _refuse_foreign_file(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    except (OSError, sqlite3.OperationalError) as exc:
        raise BadInput(f"cannot open or create the database {path}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        _refuse_foreign_schema(conn, path)
        conn.execute("PRAGMA foreign_keys = ON")
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: a crash loses at most the last commit
        store = Store(path, conn)
        if migrate:
            _migrate(store)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise BadInput(f"{path} is not a usable dattrack database ({exc})") from None
    return store


def _refuse_foreign_file(path: Path) -> None:
    """Anything but an empty file or a SQLite file is left untouched."""
    if not path.exists():
        return
    if path.is_dir():
        raise BadInput(f"{path} is a directory, not a database file")
    with open(path, "rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header and header != SQLITE_HEADER:
        raise BadInput(f"{path} is not a SQLite database; refusing to touch it")


def _refuse_foreign_schema(conn: sqlite3.Connection, path: Path) -> None:
    """An empty database becomes a dattrack one; any other must carry dattrack's migrations."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        return
    ours = "_sqlite_migrations" in tables and conn.execute(
        "SELECT 1 FROM _sqlite_migrations WHERE migration_set = 'dattrack' LIMIT 1").fetchone()
    if not ours:
        raise BadInput(f"{path} is a SQLite database but not a dattrack one; refusing to touch it")


def _migrate(store: Store) -> None:
    if _schema_current(store):
        return
    from dattrack.store.schema import migrations

    with store.write():
        migrations.apply(store.db)


def _schema_current(store: Store) -> bool:
    """A cheap check that needs no sqlite_utils import: every migration name is recorded."""
    from dattrack.store.versions import MIGRATION_NAMES

    try:
        applied = {row[0] for row in store.query(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = 'dattrack'")}
    except sqlite3.OperationalError:
        return False
    return set(MIGRATION_NAMES) <= applied
