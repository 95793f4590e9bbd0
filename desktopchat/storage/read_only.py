"""Opening a history that cannot be written (a read-only file or folder): for reading only.

The window still opens on it, says it cannot save, and every change fails with the
read-only message (SQLite's `query_only`), so nothing the user types is taken and then
lost. A WAL-mode file in a folder that refuses the `-shm` file SQLite needs even to read
is opened as immutable (what is on disk, read as it is). With no history file at all (a
read-only folder on a first start), an empty history in memory stands in, read-only too.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from desktopchat.errors import HistoryReadOnlyError, StorageError

from . import migrations, opening
from .sqlerrors import storage_error

if TYPE_CHECKING:
    from .store import HistoryStore

log = logging.getLogger("desktopchat")


def open_or_read_only(path: Path, *, open_timeout: float,
                      progress: migrations.Progress | None = None) -> HistoryStore:
    """HistoryStore.open, or, when the file or its folder cannot be written, the history
    opened to read (`read_only` set either way when it cannot be written)."""
    from .store import HistoryStore

    try:
        store = HistoryStore.open(path, open_timeout=open_timeout, progress=progress)
    except HistoryReadOnlyError as exc:
        log.warning("history opened read-only: %s", exc.message)
        return HistoryStore.open_read_only(path)
    if store.read_only:
        log.warning("history opened read-only: %s cannot be written", path)
    return store


def connect_read_only(path: Path, busy_timeout: float) -> sqlite3.Connection:
    """A read-only connection to `path` with an up-to-date schema (StorageError if older)."""
    if not path.exists():
        db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        migrations.apply(db, migrations.pending([]))
    else:
        db = _open_existing(path, busy_timeout)
        try:
            _, steps = opening._pending(db, path)
        except BaseException:
            db.close()
            raise
        if steps:
            db.close()
            raise StorageError(
                f"The history database {path} is read-only and was written by an older "
                "version of desktopchat; it must be upgraded before it can be opened, which "
                "needs the file and its folder to be writable."
            )
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA query_only = ON")  # every write fails plainly: nothing is half-taken
    return db


def _open_existing(path: Path, busy_timeout: float) -> sqlite3.Connection:
    uri = "file:" + quote(str(path.resolve()))
    last: sqlite3.Error | None = None
    for mode in ("mode=ro", "immutable=1"):
        try:
            db = sqlite3.connect(f"{uri}?{mode}", uri=True, timeout=busy_timeout,
                                 isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            last = exc
            continue
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as exc:  # WAL without a writable folder for its -shm file
            db.close()
            last = exc
            continue
        return db
    assert last is not None
    raise storage_error(last, path, busy_timeout) from last
