"""The SQLite file: opening, migrating and one write transaction per command."""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from pathlib import Path

from dattrack.errors import FILE_FAULTS, BadInput, DattrackError, OperationFailed, sqlite_failure
from dattrack.secrets import configured, scrub_values

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 60.0
BULK_CACHE_KIB = 32 * 1024
LOCK_SLICE_MS = 200   # how long one wait for another writer's lock may be (see Store._begin)


def lock_timeout(default: float) -> float:
    """DATTRACK_LOCK_TIMEOUT (seconds) when set: how long to wait for another writer or snapshot."""
    raw = os.environ.get("DATTRACK_LOCK_TIMEOUT", "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 86400 * 7:  # NaN and inf fail this too
        raise BadInput(f"DATTRACK_LOCK_TIMEOUT={raw[:20]!r} is not a number of seconds (0 to 604800)")
    return value


def os_failure(exc: OSError, path: Path | str, doing: str) -> DattrackError:
    """An OSError while creating or locking the database's files, named as what it is."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return OperationFailed(f"the disk holding {path} is full ({doing})")
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return OperationFailed(f"{path} is read-only or not accessible ({doing}: {exc.strerror})")
    if exc.errno in (errno.ENOTDIR, errno.ENAMETOOLONG, errno.ELOOP, errno.EEXIST):  # a path that cannot be
        return BadInput(f"cannot open or create the database {path}: {exc.strerror}")
    return OperationFailed(f"cannot {doing} {path}: {exc.strerror or exc}")


def ticker_filter(tickers: list[str] | None) -> tuple[str, tuple]:
    """A ` WHERE ticker IN (...)` clause and its parameters (tickers as stored); nothing when none are given."""
    if not tickers:
        return "", ()
    return f" WHERE ticker IN ({', '.join('?' * len(tickers))})", tuple(tickers)


def default_path() -> Path:
    """DATTRACK_DB, else dattrack.db in the user data directory."""
    override = os.environ.get("DATTRACK_DB")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir  # only when no path was given

    return Path(user_data_dir("dattrack", appauthor=False)) / "dattrack.db"


class Store:
    """One connection to a dattrack database. Reads run in autocommit; writes go through `write()`."""

    def __init__(self, path: Path, conn: sqlite3.Connection, lock_timeout: float = BUSY_TIMEOUT_S):
        self.path = path
        self.conn = conn
        self.lock_timeout = lock_timeout
        self._db = None

    @property
    def db(self):
        """The sqlite_utils view of the connection (imported on first use: start-up matters)."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn, execute_plugins=False)
        return self._db

    def query(self, sql: str, params=()) -> list[tuple]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise self._named(exc)

    def bulk(self) -> None:
        """A bigger page cache for a bulk write (an import of a million rows): fewer pages are
        spilled to the WAL before the transaction ends. Bounded: at most BULK_CACHE_KIB."""
        self.conn.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")

    def execute(self, sql: str, params=()) -> sqlite3.Cursor:
        """Every write goes through here (or executemany): a key a provider echoed into a text is
        never stored (dattrack.secrets)."""
        try:
            return self.conn.execute(sql, scrub_values(params, configured()))
        except sqlite3.Error as exc:
            raise self._named(exc)

    def executemany(self, sql: str, rows) -> sqlite3.Cursor:
        keys = configured()
        try:
            return self.conn.executemany(sql, (scrub_values(row, keys) for row in rows) if keys else rows)
        except sqlite3.Error as exc:
            raise self._named(exc)

    def _named(self, exc: sqlite3.Error) -> Exception:
        """A fault of the file (full, read-only, locked, corrupt) named with this database's path;
        any other sqlite error (a constraint, a missing table) goes on as it is, for the caller."""
        code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
        return sqlite_failure(exc, self.path) if code in FILE_FAULTS else exc

    @contextlib.contextmanager
    def write(self) -> Iterator["Store"]:
        """All of a command's writes, or none: BEGIN IMMEDIATE takes the write lock up front so
        two writers queue (busy timeout) instead of failing halfway."""
        if self.conn.in_transaction:  # nested: part of the enclosing command's transaction
            yield self
            return
        try:
            self._begin()
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise OperationFailed(f"the database {self.path} is busy ({exc}); try again") from None
            raise sqlite_failure(exc, self.path) from None
        try:
            yield self
        except sqlite3.Error as exc:  # a full disk mid-write: sqlite may already have rolled back
            self._rollback()
            raise self._named(exc) from None
        except BaseException:
            self._rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise self._named(exc) from None

    def _begin(self) -> None:
        """BEGIN IMMEDIATE, waiting up to the lock timeout for another writer in short slices:
        sqlite's own wait is one C call that Ctrl-C cannot break, so a long one would hold the
        command for the whole timeout; between slices Python sees the interruption at once."""
        end = time.monotonic() + self.lock_timeout
        self.conn.execute(f"PRAGMA busy_timeout = {LOCK_SLICE_MS}")
        try:
            while True:
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if not ("locked" in str(exc) or "busy" in str(exc)) or time.monotonic() >= end:
                        raise
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {int(self.lock_timeout * 1000)}")

    def _rollback(self) -> None:
        """Undo what is left of the transaction; the original error is the one reported."""
        if self.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.conn.close()


def open_store(path: Path | str | None = None, *, migrate: bool = True, create: bool = True) -> Store:
    """The database at path (default: default_path()); a missing one is created unless create=False,
    which refuses it as bad input and creates neither the file nor its folder."""
    path = Path(path).expanduser() if path is not None else default_path()
    _refuse_foreign_file(path)
    if not create and not path.exists():
        raise BadInput(f"no database at {path} (`dattrack init` makes one)")
    timeout = lock_timeout(BUSY_TIMEOUT_S)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise os_failure(exc, path, "create its directory") from None
    read_only = path.exists() and not os.access(path, os.W_OK)
    try:
        if read_only:  # reads still work; any write is refused as what it is
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=timeout,
                                   isolation_level=None, check_same_thread=False)
        else:
            conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise sqlite_failure(exc, path) from None
    try:
        _refuse_foreign_schema(conn, path)
        conn.execute("PRAGMA foreign_keys = ON")
        if not read_only and conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: a crash loses at most the last commit
        store = Store(path, conn, timeout)
        if migrate:
            _migrate(store)
    except DattrackError:
        conn.close()
        raise
    except sqlite3.Error as exc:
        conn.close()
        raise sqlite_failure(exc, path) from None
    return store


def _refuse_foreign_file(path: Path) -> None:
    """Anything but an empty file or a SQLite file is left untouched."""
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return  # open_store creates it, or names why it cannot
    except OSError as exc:
        raise os_failure(exc, path, "look at") from None
    if stat.S_ISDIR(mode):
        raise BadInput(f"{path} is a directory, not a database file")
    if not stat.S_ISREG(mode):  # a FIFO or a device: opening it could block for ever
        raise BadInput(f"{path} is not a regular file (a pipe, socket or device); a database is a file")
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise os_failure(exc, path, "read") from None
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
    from dattrack.store.schema import migrations

    if _schema_current(store, migrations.names()):
        return
    if store.conn.execute("PRAGMA query_only").fetchone()[0] or not os.access(store.path, os.W_OK):
        raise OperationFailed(f"the database {store.path} is read-only and needs an upgrade by this version of "
                              "dattrack: make it writable once")
    with store.write():
        migrations.apply(store.db)


def _schema_current(store: Store, names: tuple[str, ...]) -> bool:
    """A cheap check that needs no sqlite_utils import: every migration name is recorded."""
    try:
        applied = {row[0] for row in store.query(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = 'dattrack'")}
    except sqlite3.OperationalError:
        return False
    return set(names) <= applied
