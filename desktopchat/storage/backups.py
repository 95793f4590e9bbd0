"""Rolling backups of the history file: consistent snapshots, the newest N kept.

A snapshot is taken with SQLite's online backup API on connections of its own, a few hundred
pages per step, so the app (or the CLI) keeps writing meanwhile and the copy is still one
consistent state of the file. It is written under a temporary name and renamed when complete,
so a backup in the folder is never half a file. Keys never reach the history, so neither do
they reach a backup. No Qt: the window runs this on a worker thread.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from desktopchat.errors import StorageError

PREFIX = "history-"
SUFFIX = ".sqlite3"
STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(r"history-(\d{8}-\d{6})\.sqlite3")
PAGES_PER_STEP = 256  # ~1 MiB at 4 KiB pages: short steps, so writers are never held long
DAILY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    taken: datetime


def backup_folder(data_dir: Path) -> Path:
    return data_dir / "backups"


def list_backups(folder: Path) -> list[Backup]:
    """The backups in `folder`, newest first. Other files (and half-written ones) are ignored."""
    found: list[Backup] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return found
    for entry in entries:
        match = _NAME.fullmatch(entry.name)
        if match and entry.is_file():
            found.append(Backup(entry, datetime.strptime(match.group(1), STAMP)))
    return sorted(found, key=lambda b: b.taken, reverse=True)


def backup_due(folder: Path, now: datetime, interval: timedelta = DAILY) -> bool:
    """True when there is no backup yet, or the newest is at least `interval` old (or dated in
    the future, as after a clock change: a stale date must not stop backups for good)."""
    newest = next(iter(list_backups(folder)), None)
    return newest is None or not (now - interval < newest.taken <= now)


def snapshot(database: Path, target: Path) -> None:
    """Copy `database` into `target` (replaced) as one consistent state, via a `.partial` file."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        # Read-only and never created: a missing history is an error, not a new empty file.
        source = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
        try:
            copy = sqlite3.connect(str(partial))
            try:
                source.backup(copy, pages=PAGES_PER_STEP)
                # A snapshot of a WAL database is itself in WAL mode; make it one plain file.
                copy.execute("PRAGMA journal_mode = DELETE")
            finally:
                copy.close()
        finally:
            source.close()
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise StorageError(f"Could not back up {database} to {target}: {exc}") from exc


def take_backup(database: Path, folder: Path, now: datetime, keep: int) -> Path:
    """Snapshot the history into `folder` as history-<date>-<time>.sqlite3, then remove all but
    the newest `keep` backups. Returns the new backup's path."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"Could not create the backup folder {folder}: {exc}") from exc
    target = folder / f"{PREFIX}{now.strftime(STAMP)}{SUFFIX}"
    snapshot(database, target)
    prune(folder, keep)
    return target


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` (at least one) backups, and any half-written one left
    by a process that was killed mid-backup; returns what was deleted."""
    stale = [b.path for b in list_backups(folder)[max(1, keep):]]
    stale += sorted(folder.glob(f"{PREFIX}*{SUFFIX}.partial"))
    removed: list[Path] = []
    for path in stale:
        try:
            path.unlink()
        except OSError:
            continue  # read-only or gone: try again next time rather than fail the backup
        removed.append(path)
    return removed
