"""Turn sqlite3 exceptions into StorageError messages a person can act on."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desktopchat.errors import HistoryBusyError, HistoryReadOnlyError, StorageError

# Primary result codes (the low byte of sqlite_errorcode); see sqlite.org/rescode.html.
_BUSY = 5
_LOCKED = 6
_READONLY = 8
_IOERR = 10
_CORRUPT = 11
_FULL = 13
_CANTOPEN = 14
_NOTADB = 26


def storage_error(exc: sqlite3.Error, path: Path, busy_timeout: float) -> StorageError:
    """A StorageError whose message says what is wrong with the history file and what to do."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(exc).lower()
    where = f"The history database {path}"
    if primary in (_BUSY, _LOCKED) or "locked" in text or "busy" in text:
        busy = HistoryBusyError(
            f"The history database is busy/locked by another program (waited {busy_timeout:g} s)."
            " Close other copies of desktopchat or any tool that has the file open, then try"
            f" again. File: {path}"
        )
        busy.__cause__ = exc
        return busy
    elif primary == _FULL or "disk is full" in text or "database or disk is full" in text:
        msg = (
            f"{where} could not be written because the disk is full. Nothing was half-saved;"
            " free some space and try again."
        )
    elif primary == _READONLY or "readonly" in text or "read-only" in text:
        read_only = HistoryReadOnlyError(
            f"{where} is read-only (the file or its folder cannot be written)."
            " Check the permissions of the file and its folder."
        )
        read_only.__cause__ = exc
        return read_only
    elif primary == _NOTADB or "not a database" in text:
        msg = (
            f"{where} is not an SQLite database, or its header is damaged. The file was left"
            " untouched; move it aside to start a new history."
        )
    elif primary == _CORRUPT or "malformed" in text:
        msg = (
            f"{where} is damaged (corrupt or truncated). The file was left untouched;"
            " restore a backup or move it aside to start a new history."
        )
    elif primary == _CANTOPEN or "unable to open" in text:
        cannot_open = (HistoryReadOnlyError if path.parent.is_dir() else StorageError)(
            f"{where} cannot be opened: the folder may be missing or read-only."
            " Check that the folder exists and can be written."
        )
        cannot_open.__cause__ = exc
        return cannot_open
    elif primary == _IOERR:
        msg = f"{where} could not be read or written (input/output error: {exc})."
    else:
        msg = f"{where} failed: {exc}."
    err = StorageError(msg)
    err.__cause__ = exc
    return err


@contextmanager
def mapped(path: Path, busy_timeout: float) -> Iterator[None]:
    """Re-raise any sqlite3 error as StorageError (keeping the original as __cause__)."""
    try:
        yield
    except sqlite3.Error as exc:
        raise storage_error(exc, path, busy_timeout) from exc
