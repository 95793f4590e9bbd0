"""Attachments in the history database: content-addressed blobs and per-message links.

A file is stored once however many messages carry it (its SHA-256 is the key). Links name
the blob, the file name and the kind, in the order the user attached them. Deleting
messages drops their links (ON DELETE CASCADE); `sweep` then frees the blobs nothing links
to any more, which the store runs only when no undo can still need them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from desktopchat.attachments import KINDS, Attachment, Kind
from desktopchat.errors import StorageError


def put(db: sqlite3.Connection, attachment: Attachment) -> str:
    """Store the blob unless it is there already; its SHA-256."""
    sha = attachment.sha256
    db.execute(
        "INSERT OR IGNORE INTO blobs(sha256, mime, size, data) VALUES (?, ?, ?, ?)",
        (sha, attachment.mime, attachment.size, attachment.data),
    )
    return sha


def link(db: sqlite3.Connection, message_id: int, attachments: Sequence[Attachment]) -> None:
    """Attach `attachments` to a message, after any it has."""
    start = db.execute(
        "SELECT coalesce(max(position) + 1, 0) FROM message_blobs WHERE message_id = ?",
        (message_id,),
    ).fetchone()[0]
    for offset, attachment in enumerate(attachments):
        if attachment.kind not in KINDS:
            raise StorageError(f"Unknown attachment kind {attachment.kind!r}.")
        sha = put(db, attachment)
        db.execute(
            "INSERT INTO message_blobs(message_id, position, sha256, name, kind)"
            " VALUES (?, ?, ?, ?, ?)",
            (message_id, start + offset, sha, attachment.name, str(attachment.kind)),
        )


def of_messages(db: sqlite3.Connection, message_ids: Iterable[int]) -> dict[int, list[Attachment]]:
    """Each message's attachments in order; messages without any are left out."""
    ids = list(dict.fromkeys(message_ids))
    found: dict[int, list[Attachment]] = {}
    for start in range(0, len(ids), 500):  # SQLite's variable limit
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = db.execute(
            "SELECT l.message_id, l.name, l.kind, b.mime, b.data FROM message_blobs AS l"
            f" JOIN blobs AS b ON b.sha256 = l.sha256 WHERE l.message_id IN ({marks})"
            " ORDER BY l.message_id, l.position",
            chunk,
        )
        for message_id, name, kind, mime, data in rows:
            if kind in KINDS:
                found.setdefault(message_id, []).append(
                    Attachment(name, Kind(kind), mime, bytes(data)))
    return found


def sweep(db: sqlite3.Connection) -> int:
    """Free every blob no message links to; how many were freed."""
    cursor = db.execute(
        "DELETE FROM blobs WHERE NOT EXISTS"
        " (SELECT 1 FROM message_blobs AS l WHERE l.sha256 = blobs.sha256)"
    )
    return cursor.rowcount


def count(db: sqlite3.Connection) -> int:
    return int(db.execute("SELECT count(*) FROM blobs").fetchone()[0])
