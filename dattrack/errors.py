"""The two kinds of failure a user can see; the CLI maps each to one line and an exit code.
A fault of the database file (sqlite's result code) is mapped to one of them here, for the
store and for the boundary alike."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the kernel stays light: sqlite3 is the store's import
    import sqlite3


class DattrackError(Exception):
    """Base of every error dattrack reports as a one-line message."""

    exit_code = 1


class BadInput(DattrackError):
    """The user asked for something invalid; nothing was written (exit 2)."""

    exit_code = 2


class OperationFailed(DattrackError):
    """A well-formed request that could not be carried out: network, missing price, failed check (exit 1)."""

    exit_code = 1


# sqlite result codes (primary, the low byte of the extended code) and what each means to a user.
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR = 3, 5, 6, 8, 10
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 11, 13, 14, 26
FILE_FAULTS = frozenset({SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR, SQLITE_CORRUPT,
                         SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB})


def sqlite_failure(exc: sqlite3.Error, path: Path | str) -> DattrackError:
    """A sqlite error as what it is for the user: a full disk, a read-only place or a lock is an
    operation that failed (exit 1, cron retries); a corrupt or foreign file is a bad file (exit 2)."""
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    text = str(exc)
    if code == SQLITE_FULL or "disk is full" in text:
        return OperationFailed(f"the disk holding {path} is full; nothing was written")
    if code == SQLITE_READONLY or "readonly" in text:
        return OperationFailed(f"the database {path} is read-only (file or directory not writable); nothing was written")
    if code in (SQLITE_BUSY, SQLITE_LOCKED) or "locked" in text:
        return OperationFailed(f"the database {path} is locked by another program; try again later")
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB) or "malformed" in text or "not a database" in text:
        return BadInput(f"the database {path} is corrupt ({text}); restore it from a backup or `dattrack export`")
    if code == SQLITE_IOERR or "disk I/O error" in text:
        return OperationFailed(f"a disk error on {path} ({text}){_space_hint(path)}")
    if code in (SQLITE_CANTOPEN, SQLITE_PERM):
        import os

        folder = Path(path).parent
        if folder.is_dir() and not os.access(folder, os.W_OK):  # WAL needs its -wal and -shm files beside it
            return OperationFailed(f"the directory {folder} of the database is read-only; nothing was written")
        return OperationFailed(f"cannot open the database {path} ({text}): check that it and its directory "
                               "are readable and writable")
    return OperationFailed(f"database error on {path}: {text}")


def _space_hint(path: Path | str) -> str:
    import shutil

    try:
        free = shutil.disk_usage(Path(path).parent).free
    except OSError:
        return ""
    return "; the disk is full" if free < 1024 * 1024 else ""


