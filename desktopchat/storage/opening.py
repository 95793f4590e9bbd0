"""Opening the history file safely: check it, connect, back it up, migrate, recover.

Nothing here writes to a file until it has been read back as a desktopchat history (or is
blank), so a damaged or foreign file is reported and left byte-for-byte as it was.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from pathlib import Path

from desktopchat.errors import StorageError

from . import migrations
from .sqlerrors import storage_error
from .writers import WriterLock

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100


def check_file(path: Path) -> None:
    """Refuse, without touching it, a file that cannot be an SQLite database."""
    if path.is_symlink() and not path.exists():
        # SQLite would create the database wherever the link points, outside the data folder.
        raise StorageError(
            f"The history database {path} is a symbolic link to {os.readlink(path)}, which"
            " does not exist. desktopchat will not create a history there; restore the"
            " link's target or remove the link to start a new history."
        )
    if path.exists() and not path.is_file():
        raise StorageError(f"The history database {path} is not a file (it is a folder?).")
    if not path.exists():
        if not path.parent.is_dir():
            raise StorageError(f"The folder for the history database does not exist: {path.parent}")
        return
    try:
        with path.open("rb") as fh:
            header = fh.read(HEADER_SIZE)
        size = path.stat().st_size
    except OSError as exc:
        raise StorageError(f"The history database {path} cannot be read: {exc}.") from exc
    if size == 0:
        return  # SQLite treats an empty file as a new, blank database.
    if not header.startswith(SQLITE_MAGIC[: len(header)]) or len(header) < len(SQLITE_MAGIC):
        raise StorageError(
            f"The history database {path} is not an SQLite database. The file was left"
            " untouched; move it aside to start a new history."
        )
    if len(header) < HEADER_SIZE:
        raise StorageError(
            f"The history database {path} is truncated (only {size} bytes). The file was left"
            " untouched; restore a backup or move it aside to start a new history."
        )
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise StorageError(
            f"The history database {path} has a damaged header (page size {page_size})."
            " The file was left untouched; restore a backup or move it aside."
        )
    pages = int.from_bytes(header[28:32], "big")
    header_valid = header[24:28] == header[92:96]
    wal = path.with_name(path.name + "-wal")
    # With a live WAL the main file may legitimately lag; only judge a checkpointed file.
    wal_empty = not wal.exists() or wal.stat().st_size == 0
    if header_valid and wal_empty and pages and size < pages * page_size:
        raise StorageError(
            f"The history database {path} is truncated ({size} bytes, expected"
            f" {pages * page_size}). The file was left untouched; restore a backup or move it"
            " aside to start a new history."
        )


def connect(path: Path, busy_timeout: float) -> sqlite3.Connection:
    """A connection in autocommit mode (we issue BEGIN/COMMIT ourselves), pragmas applied."""
    try:
        db = sqlite3.connect(
            str(path), timeout=busy_timeout, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        raise storage_error(exc, path, busy_timeout) from exc
    try:
        db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        # Reading the schema first makes SQLite validate the header before anything is written.
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        db.execute("PRAGMA foreign_keys = ON")
        # NORMAL in WAL mode: a commit survives a process crash (our SIGKILL test); only a
        # power cut can lose the last transactions, never corrupt the file.
        db.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.Error as exc:
        db.close()
        raise storage_error(exc, path, busy_timeout) from exc
    return db


def backup_path(path: Path, version: int) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%S", time.localtime())
    candidate = path.with_name(f"{path.name}.bak-v{version}-{stamp}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.bak-v{version}-{stamp}-{n}")
    return candidate


def _pending(db: sqlite3.Connection, path: Path) -> tuple[list[str], list[migrations.Step]]:
    """(applied names, steps still to run); StorageError for a foreign or newer file."""
    applied = migrations.applied_names(db)
    if not applied and migrations.user_tables(db):
        raise StorageError(
            f"The file {path} is an SQLite database but not a desktopchat history"
            " (it has other tables). It was left untouched."
        )
    try:
        return applied, migrations.pending(applied)
    except ValueError as exc:
        raise StorageError(
            f"The history database {path} was written by a newer version of"
            f" desktopchat (unknown schema steps: {exc}). Update desktopchat to open it."
        ) from exc


def migrate(
    db: sqlite3.Connection,
    path: Path,
    busy_timeout: float,
    progress: migrations.Progress | None = None,
) -> Path | None:
    """Check the file is ours, switch to WAL, bring the schema up to date.

    Returns the copy made before migrating an older version (None if none was needed).
    Nothing is written until the file has been read back as a desktopchat history.
    """
    try:
        applied, steps = _pending(db, path)
        mode = db.execute("PRAGMA journal_mode").fetchone()[0]
        if str(mode).lower() != "wal":
            got = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(got).lower() != "wal":
                raise sqlite3.OperationalError("attempt to write a readonly database")
        backup = None
        if steps and applied:
            backup = backup_path(path, len(applied))
            # The backup API copies a consistent snapshot, including what is still in the WAL.
            target = sqlite3.connect(str(backup))
            try:
                db.backup(target)
            finally:
                target.close()
        if not steps:
            return backup
        db.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated meanwhile: decide again under the write lock.
            _, steps = _pending(db, path)
            migrations.apply(db, steps, progress)
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        return backup
    except sqlite3.Error as exc:
        raise storage_error(exc, path, busy_timeout) from exc
    except OSError as exc:
        raise StorageError(f"Could not copy {path} aside before upgrading it: {exc}.") from exc


def can_write(path: Path) -> bool:
    """Whether this process may write the history file (opened for update, not changed)."""
    try:
        with path.open("r+b"):
            return True
    except OSError:
        return False


def set_busy_timeout(db: sqlite3.Connection, path: Path, busy_timeout: float) -> None:
    """How long each later statement waits for another writer's lock."""
    try:
        db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    except sqlite3.Error as exc:
        raise storage_error(exc, path, busy_timeout) from exc


def claim_writer(path: Path) -> WriterLock | None:
    """Mark this process as a live writer (storage/writers.py). None where the folder takes
    no lock file (read-only): the history can still be read, and writes fail plainly."""
    try:
        return WriterLock(path)
    except OSError as exc:
        log.warning("no writer lock beside %s: %s", path, exc)
        return None


def recover_streaming(
    db: sqlite3.Connection, path: Path, busy_timeout: float, writer: WriterLock | None = None
) -> int:
    """Messages left `streaming` by a writer that is gone become `interrupted`.

    Returns how many. While another writer is alive (a second window is impossible, but the
    command line may be streaming), nothing is touched: a reply in `streaming` may be its
    live one. The rows are recovered by the next open that finds no other writer.
    """
    if writer is not None and writer.others_alive():
        return 0
    try:
        # Read first: the write lock is taken only when there is something to recover, so a
        # second copy of the app can still open (and read) while the first one is writing.
        if not db.execute("SELECT 1 FROM messages WHERE state = 'streaming' LIMIT 1").fetchone():
            return 0
        db.execute("BEGIN IMMEDIATE")
        try:
            cur = db.execute(
                "UPDATE messages SET state = 'interrupted', updated_at = ?"
                " WHERE state = 'streaming'",
                (time.time(),),
            )
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
    except sqlite3.Error as exc:
        raise storage_error(exc, path, busy_timeout) from exc
    return cur.rowcount
