"""Sidebar folders: create, rename, order, collapse, delete (with undo), and which chats are in.

A conversation is in one folder or none (the top level). Deleting a folder never deletes a
chat: its chats go back to the top level, and `restore` (Undo) puts the folder back with the
chats that are still at the top level. Names are unique regardless of case, so an import can
find a folder by its name.
"""

from __future__ import annotations

import sqlite3
import time
import unicodedata
from collections.abc import Callable
from contextlib import AbstractContextManager

from desktopchat.errors import StorageError

from .models import Conversation, Folder, RemovedFolder
from .rows import CONVERSATION_COLUMNS, conversation_from_row, rowid

MAX_NAME_CHARS = 100
_ORDER = "ORDER BY pinned DESC, updated_at DESC, id DESC"
Connect = Callable[[], AbstractContextManager[sqlite3.Connection]]


def clean_name(name: object) -> str:
    """A folder name as stored: one line, spaces collapsed, no control characters, capped.

    StorageError for a name that is empty once cleaned (or not text at all)."""
    if not isinstance(name, str):
        raise StorageError("A folder name must be text.")
    printable = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in name)
    cleaned = " ".join(printable.split())[:MAX_NAME_CHARS].strip()
    if not cleaned:
        raise StorageError("A folder needs a name.")
    return cleaned


class FolderStore:
    """Folders of one history file, through the store's transactions and reads."""

    def __init__(self, transaction: Connect, reading: Connect) -> None:
        self._transaction = transaction
        self._reading = reading

    # -- reading ------------------------------------------------------------------------

    def in_order(self) -> list[Folder]:
        """Every folder in sidebar order, each with the number of chats in it."""
        with self._reading() as db:
            rows = db.execute(
                "SELECT f.id, f.name, f.position, f.collapsed,"
                " (SELECT count(*) FROM conversations AS c WHERE c.folder_id = f.id)"
                " FROM folders AS f ORDER BY f.position, f.id"
            ).fetchall()
        return [Folder(r[0], r[1], r[2], bool(r[3]), r[4]) for r in rows]

    def get(self, folder_id: int) -> Folder:
        for folder in self.in_order():
            if folder.id == folder_id:
                return folder
        raise StorageError(f"Folder {folder_id} does not exist (was it deleted?).")

    def by_name(self, name: str) -> Folder | None:
        wanted = clean_name(name).casefold()
        return next((f for f in self.in_order() if f.name.casefold() == wanted), None)

    def conversations_in(self, folder_id: int) -> list[Conversation]:
        """The chats of a folder, in the sidebar's order (pinned, then newest)."""
        with self._reading() as db:
            rows = db.execute(
                f"SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE folder_id = ? {_ORDER}",
                (folder_id,),
            ).fetchall()
        return [conversation_from_row(row) for row in rows]

    def top_level(self, *, limit: int = 50, offset: int = 0) -> list[Conversation]:
        """The chats in no folder, a page at a time, in the sidebar's order."""
        with self._reading() as db:
            rows = db.execute(
                f"SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE folder_id IS NULL"
                f" {_ORDER} LIMIT ? OFFSET ?",
                (max(0, limit), max(0, offset)),
            ).fetchall()
        return [conversation_from_row(row) for row in rows]

    def names_of(self, conversation_ids: list[int]) -> dict[int, str]:
        """{conversation id: its folder's name} for those of them that are in a folder."""
        found: dict[int, str] = {}
        with self._reading() as db:
            for start in range(0, len(conversation_ids), 500):
                chunk = conversation_ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for cid, name in db.execute(
                    "SELECT c.id, f.name FROM conversations AS c JOIN folders AS f"
                    f" ON f.id = c.folder_id WHERE c.id IN ({marks})",
                    chunk,
                ):
                    found[int(cid)] = str(name)
        return found

    def unused_name(self, base: str) -> str:
        """`base`, or `base 2`, `base 3`, ...: the first name no folder has."""
        taken = {f.name.casefold() for f in self.in_order()}
        name, n = clean_name(base), 1
        while name.casefold() in taken:
            n += 1
            name = f"{clean_name(base)} {n}"
        return name

    # -- changing -----------------------------------------------------------------------

    def create(self, name: str) -> Folder:
        """A new folder, last in the sidebar. StorageError when the name is taken."""
        name = clean_name(name)
        with self._transaction() as db:
            _refuse_taken(db, name, None)
            position = db.execute("SELECT coalesce(max(position) + 1, 0) FROM folders").fetchone()
            cur = db.execute(
                "INSERT INTO folders(name, position, collapsed, created_at) VALUES (?, ?, 0, ?)",
                (name, position[0], time.time()),
            )
        return self.get(rowid(cur))

    def ensure(self, name: str) -> Folder:
        """The folder with this name (any case), created when there is none (imports)."""
        with self._transaction() as db:
            folder_id, _ = ensure_in(db, name)
        return self.get(folder_id)

    def name_of(self, folder_id: int | None) -> str | None:
        """The name of a conversation's folder (None: no folder, or one since deleted)."""
        if folder_id is None:
            return None
        with self._reading() as db:
            row = db.execute("SELECT name FROM folders WHERE id = ?", (folder_id,)).fetchone()
        return None if row is None else str(row[0])

    def rename(self, folder_id: int, name: str) -> None:
        name = clean_name(name)
        with self._transaction() as db:
            _refuse_taken(db, name, folder_id)
            _changed(
                db.execute("UPDATE folders SET name = ? WHERE id = ?", (name, folder_id)), folder_id
            )

    def set_collapsed(self, folder_id: int, collapsed: bool) -> None:
        with self._transaction() as db:
            cur = db.execute(
                "UPDATE folders SET collapsed = ? WHERE id = ?", (bool(collapsed), folder_id)
            )
            _changed(cur, folder_id)

    def move(self, folder_id: int, position: int) -> None:
        """Put a folder at `position` (0: first; clamped), the others keeping their order."""
        with self._transaction() as db:
            ids = [r[0] for r in db.execute("SELECT id FROM folders ORDER BY position, id")]
            if folder_id not in ids:
                raise StorageError(f"Folder {folder_id} does not exist (was it deleted?).")
            ids.remove(folder_id)
            ids.insert(max(0, min(position, len(ids))), folder_id)
            db.executemany("UPDATE folders SET position = ? WHERE id = ?", list(enumerate(ids)))

    def move_conversation(self, conversation_id: int, folder_id: int | None) -> None:
        """Put a chat in a folder, or back at the top level (None). Its times do not change:
        filing a chat away is not a new message, so it keeps its place by date."""
        with self._transaction() as db:
            if (
                folder_id is not None
                and not db.execute("SELECT 1 FROM folders WHERE id = ?", (folder_id,)).fetchone()
            ):
                raise StorageError(f"Folder {folder_id} does not exist (was it deleted?).")
            cur = db.execute(
                "UPDATE conversations SET folder_id = ? WHERE id = ?", (folder_id, conversation_id)
            )
            if cur.rowcount == 0:
                raise StorageError(f"Conversation {conversation_id} does not exist.")

    def delete(self, folder_id: int) -> RemovedFolder:
        """Delete a folder; its chats go back to the top level. Keep the result to undo."""
        with self._transaction() as db:
            row = db.execute(
                "SELECT name, position, collapsed FROM folders WHERE id = ?", (folder_id,)
            ).fetchone()
            if row is None:
                raise StorageError(f"Folder {folder_id} does not exist (was it deleted?).")
            chats = tuple(
                r[0]
                for r in db.execute(
                    "SELECT id FROM conversations WHERE folder_id = ? ORDER BY id", (folder_id,)
                )
            )
            # Explicit, not only ON DELETE SET NULL: that needs foreign keys on, and a file
            # may be written by a connection that left them off.
            db.execute(
                "UPDATE conversations SET folder_id = NULL WHERE folder_id = ?", (folder_id,)
            )
            db.execute("DELETE FROM folders WHERE id = ?", (folder_id,))
        return RemovedFolder(row[0], row[1], bool(row[2]), chats)

    def restore(self, removed: RemovedFolder) -> Folder:
        """Undo delete: the folder again, in its place, with those of its chats that are
        still at the top level (one filed elsewhere meanwhile stays where it was put)."""
        with self._transaction() as db:
            name, n = removed.name, 1
            while _taken(db, name, None):  # a new folder took the name meanwhile
                n += 1
                name = f"{removed.name} {n}"
            db.execute(
                "UPDATE folders SET position = position + 1 WHERE position >= ?",
                (removed.position,),
            )
            cur = db.execute(
                "INSERT INTO folders(name, position, collapsed, created_at) VALUES (?, ?, ?, ?)",
                (name, removed.position, removed.collapsed, time.time()),
            )
            folder_id = rowid(cur)
            for start in range(0, len(removed.conversation_ids), 500):
                chunk = removed.conversation_ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                db.execute(
                    f"UPDATE conversations SET folder_id = ? WHERE folder_id IS NULL"
                    f" AND id IN ({marks})",
                    (folder_id, *chunk),
                )
        return self.get(folder_id)


def ensure_in(db: sqlite3.Connection, name: str) -> tuple[int, bool]:
    """(id of the folder named `name` in any case, whether it was created now), inside the
    caller's transaction: an import files each chat in the same transaction that writes it."""
    name = clean_name(name)
    for folder_id, existing in db.execute("SELECT id, name FROM folders ORDER BY position, id"):
        if existing.casefold() == name.casefold():
            return int(folder_id), False
    position = db.execute("SELECT coalesce(max(position) + 1, 0) FROM folders").fetchone()[0]
    cur = db.execute(
        "INSERT INTO folders(name, position, collapsed, created_at) VALUES (?, ?, 0, ?)",
        (name, position, time.time()),
    )
    return rowid(cur), True


def _taken(db: sqlite3.Connection, name: str, other_than: int | None) -> bool:
    rows = db.execute("SELECT id, name FROM folders").fetchall()
    return any(r[1].casefold() == name.casefold() and r[0] != other_than for r in rows)


def _refuse_taken(db: sqlite3.Connection, name: str, other_than: int | None) -> None:
    if _taken(db, name, other_than):
        raise StorageError(f"A folder named “{name}” already exists.")


def _changed(cur: sqlite3.Cursor, folder_id: int) -> None:
    if cur.rowcount == 0:
        raise StorageError(f"Folder {folder_id} does not exist (was it deleted?).")
