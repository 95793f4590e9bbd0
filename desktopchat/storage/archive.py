"""File → Export all…: one zip archive of everything the app keeps, except keys.

The archive holds:
- `conversations.json`: every conversation in our JSON export format (attachments embedded),
  which File → Import (or `desktopchat import`) restores into any history;
- `history.sqlite3`: a consistent snapshot of the history database itself;
- the settings files (`settings.json`, `tools.json`), which never hold keys (those stay in the
  system keyring and are not exported);
- `README.txt`: how to restore each part.

Both parts come from one snapshot, so they agree with each other even while a reply is being
saved. The JSON is written one conversation at a time straight into the zip, so memory stays
small for any history. The archive is written under a temporary name and renamed when
complete. No Qt: the window runs this on a worker thread.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktopchat.errors import StorageError

from .backups import snapshot
from .export import FORMAT_NAME, FORMAT_VERSION, conversation_record
from .store import HistoryStore

Progress = Callable[[int, int], None]  # (conversations written, total); may raise to cancel

RESTORE_TEXT = """\
desktopchat archive
===================

conversations.json  Every conversation, in desktopchat's JSON export format.
                    To restore: File → Import… in desktopchat, or
                    `desktopchat import conversations.json`. Conversations already in the
                    history are skipped, so importing twice adds nothing twice.
history.sqlite3     The whole history database as it was when the archive was made.
                    To restore it instead: quit desktopchat, move the current
                    history.sqlite3 (and any history.sqlite3-wal / -shm beside it) out of the
                    data folder, and put this file in its place.
settings.json       Profiles and preferences; tools.json: tool servers. API keys are not
                    here: they stay in the system keyring. To restore: quit desktopchat and
                    copy them into the config folder (Help → About shows both folders).
"""


@dataclass(frozen=True, slots=True)
class ArchiveSummary:
    path: Path
    conversations: int
    size: int  # bytes


def write_archive(
    database: Path,
    target: Path,
    *,
    config_files: Sequence[Path] = (),
    progress: Progress | None = None,
) -> ArchiveSummary:
    """Write the archive of `database` and the existing `config_files` to `target` (a .zip).

    An exception raised by `progress` (a cancel) propagates, and nothing is left behind."""
    partial = target.with_name(target.name + ".partial")
    try:
        with tempfile.TemporaryDirectory(prefix=".desktopchat-export-", dir=target.parent) as tmp:
            copy = Path(tmp) / "history.sqlite3"
            snapshot(database, copy)
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                count = _write_conversations(archive, copy, progress)
                archive.write(copy, "history.sqlite3")
                for file in config_files:
                    if file.is_file():
                        archive.write(file, file.name)
                archive.writestr("README.txt", RESTORE_TEXT)
        os.replace(partial, target)
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        partial.unlink(missing_ok=True)
        raise StorageError(f"Could not write the archive {target}: {exc}") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return ArchiveSummary(target, count, target.stat().st_size)


def _write_conversations(
    archive: zipfile.ZipFile, database: Path, progress: Progress | None
) -> int:
    # The snapshot is ours alone: opening it recovers any reply that was mid-stream when it
    # was taken (marked interrupted, as a restore would find it), and nothing else waits.
    store = HistoryStore.open(database)
    try:
        ids = store.all_conversation_ids()
        with archive.open("conversations.json", "w") as raw:

            def write(text: str) -> None:
                raw.write(text.encode("utf-8"))

            header = {"format": FORMAT_NAME, "version": FORMAT_VERSION,
                      "exported_at": time.time()}
            write(json.dumps(header, ensure_ascii=False)[:-1] + ', "conversations": [\n')
            for done, cid in enumerate(ids):
                if progress is not None:
                    progress(done, len(ids))
                record = conversation_record(store, store.get_conversation(cid))
                write(("" if done == 0 else ",\n") + json.dumps(record, ensure_ascii=False))
            write("\n]}\n")
        if progress is not None:
            progress(len(ids), len(ids))
        return len(ids)
    finally:
        store.close()
