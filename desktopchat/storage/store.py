"""HistoryStore: conversations and messages in one SQLite file (WAL, FTS5, migrations)."""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from desktopchat.errors import StorageError

from . import migrations, opening
from .models import FINAL_STATES, Conversation, Message, SearchHit
from .search import search as run_search
from .sqlerrors import mapped

CONVERSATION_COLUMNS = (
    "id, title, profile, model, provider_conversation_id, created_at, updated_at, pinned,"
    " title_is_custom, uid"
)
MESSAGE_COLUMNS = (
    "id, conversation_id, role, content, reasoning, tool_calls, state, finish_reason, usage,"
    " error, created_at, updated_at"
)
TITLE_LENGTH = 60


def title_from(text: str) -> str:
    """A conversation title from the first user message: one line, about TITLE_LENGTH chars."""
    flat = " ".join(text.split())
    if len(flat) <= TITLE_LENGTH:
        return flat
    cut = flat[:TITLE_LENGTH]
    space = cut.rfind(" ")
    if space > TITLE_LENGTH // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-") + "…"


def conversation_from_row(row: sqlite3.Row | tuple[Any, ...]) -> Conversation:
    return Conversation(
        id=row[0],
        title=row[1],
        profile=row[2],
        model=row[3],
        provider_conversation_id=row[4],
        created_at=row[5],
        updated_at=row[6],
        pinned=bool(row[7]),
        title_is_custom=bool(row[8]),
        uid=row[9],
    )


def message_from_row(row: sqlite3.Row | tuple[Any, ...]) -> Message:
    return Message(
        id=row[0],
        conversation_id=row[1],
        role=row[2],
        content=row[3],
        reasoning=row[4],
        tool_calls=json.loads(row[5]) if row[5] else [],
        state=row[6],
        finish_reason=row[7],
        usage=json.loads(row[8]) if row[8] else None,
        error=row[9],
        created_at=row[10],
        updated_at=row[11],
    )


def dump_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class HistoryStore:
    """The one door to the history file. Every failure is a StorageError with a plain message."""

    def __init__(self, db: sqlite3.Connection, path: Path, busy_timeout: float) -> None:
        self._db = db
        self.path = path
        self.busy_timeout = busy_timeout
        self.recovered_interrupted = 0
        self.backup_path: Path | None = None  # the copy made before a migration, if any

    @classmethod
    def open(cls, path: Path, *, busy_timeout: float = 5.0) -> HistoryStore:
        path = Path(path)
        opening.check_file(path)
        db = opening.connect(path, busy_timeout)
        try:
            store = cls(db, path, busy_timeout)
            store.backup_path = opening.migrate(db, path, busy_timeout)
            store.recovered_interrupted = opening.recover_streaming(db, path, busy_timeout)
        except BaseException:
            db.close()
            raise
        return store

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        with self._reading():
            return len(migrations.applied_names(self._db))

    # -- transactions -------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE): all of it is saved, or none of it."""
        with mapped(self.path, self.busy_timeout):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                # After SQLITE_FULL SQLite may already have rolled back on its own.
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        with mapped(self.path, self.busy_timeout):
            yield self._db

    # -- conversations ------------------------------------------------------------------

    def create_conversation(
        self, *, title: str = "", profile: str = "", model: str = "", uid: str | None = None
    ) -> Conversation:
        now = time.time()
        with self.transaction() as db:
            cur = db.execute(
                "INSERT INTO conversations(uid, title, title_is_custom, profile, model,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    uid or str(uuid.uuid4()),
                    title.strip(),
                    bool(title.strip()),
                    profile,
                    model,
                    now,
                    now,
                ),
            )
        return self.get_conversation(_rowid(cur))

    def get_conversation(self, conversation_id: int) -> Conversation:
        with self._reading() as db:
            row = db.execute(
                f"SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE id = ?",
                (conversation_id,),
            ).fetchone()
        if row is None:
            raise StorageError(f"Conversation {conversation_id} does not exist (was it deleted?).")
        return conversation_from_row(row)

    def conversation_by_uid(self, uid: str) -> Conversation | None:
        with self._reading() as db:
            row = db.execute(
                f"SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE uid = ?", (uid,)
            ).fetchone()
        return conversation_from_row(row) if row else None

    def _update_conversation(self, conversation_id: int, sql: str, params: tuple[Any, ...]) -> None:
        with self.transaction() as db:
            cur = db.execute(
                f"UPDATE conversations SET {sql} WHERE id = ?", (*params, conversation_id)
            )
            if cur.rowcount == 0:
                raise StorageError(f"Conversation {conversation_id} does not exist.")

    def rename_conversation(self, conversation_id: int, title: str) -> None:
        title = " ".join(title.split())
        # An empty name gives the title back to the first user message.
        self._update_conversation(
            conversation_id, "title = ?, title_is_custom = ?", (title, bool(title))
        )
        if not title:
            with self.transaction() as db:
                self._retitle(db, conversation_id)

    def delete_conversation(self, conversation_id: int) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

    def set_pinned(self, conversation_id: int, pinned: bool) -> None:
        self._update_conversation(conversation_id, "pinned = ?", (bool(pinned),))

    def set_provider_conversation_id(self, conversation_id: int, value: str | None) -> None:
        self._update_conversation(conversation_id, "provider_conversation_id = ?", (value,))

    def set_conversation_profile(self, conversation_id: int, profile: str, model: str) -> None:
        self._update_conversation(conversation_id, "profile = ?, model = ?", (profile, model))

    def list_conversations(self, *, limit: int = 50, offset: int = 0) -> list[Conversation]:
        with self._reading() as db:
            rows = db.execute(
                f"SELECT {CONVERSATION_COLUMNS} FROM conversations"
                " ORDER BY pinned DESC, updated_at DESC, id DESC LIMIT ? OFFSET ?",
                (max(0, limit), max(0, offset)),
            ).fetchall()
        return [conversation_from_row(row) for row in rows]

    def all_conversation_ids(self) -> list[int]:
        """Every conversation id, oldest first (for export)."""
        with self._reading() as db:
            return [row[0] for row in db.execute("SELECT id FROM conversations ORDER BY id")]

    def count_conversations(self) -> int:
        with self._reading() as db:
            return int(db.execute("SELECT count(*) FROM conversations").fetchone()[0])

    def _retitle(self, db: sqlite3.Connection, conversation_id: int) -> None:
        first = db.execute(
            "SELECT content FROM messages WHERE conversation_id = ? AND role = 'user'"
            " ORDER BY id LIMIT 1",
            (conversation_id,),
        ).fetchone()
        db.execute(
            "UPDATE conversations SET title = ? WHERE id = ? AND NOT title_is_custom",
            (title_from(first[0]) if first else "", conversation_id),
        )

    @staticmethod
    def _conversation_of(db: sqlite3.Connection, message_id: int) -> int:
        row = db.execute("SELECT conversation_id FROM messages WHERE id = ?", (message_id,))
        found = row.fetchone()
        if found is None:
            raise StorageError(f"Message {message_id} does not exist (was it deleted?).")
        return int(found[0])

    def _touch(self, db: sqlite3.Connection, conversation_id: int, now: float) -> None:
        db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation_id))

    # -- messages -----------------------------------------------------------------------

    def messages(
        self, conversation_id: int, *, limit: int = 100, before_id: int | None = None
    ) -> list[Message]:
        with self._reading() as db:
            rows = db.execute(
                f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND id < ?"
                " ORDER BY id DESC LIMIT ?",
                (conversation_id, before_id if before_id is not None else 2**63 - 1, limit),
            ).fetchall()
        return [message_from_row(row) for row in reversed(rows)]

    def count_messages(self, conversation_id: int) -> int:
        with self._reading() as db:
            return int(
                db.execute(
                    "SELECT count(*) FROM messages WHERE conversation_id = ?", (conversation_id,)
                ).fetchone()[0]
            )

    def message(self, message_id: int) -> Message:
        with self._reading() as db:
            row = db.execute(
                f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE id = ?", (message_id,)
            ).fetchone()
        if row is None:
            raise StorageError(f"Message {message_id} does not exist (was it deleted?).")
        return message_from_row(row)

    def _insert_message(self, conversation_id: int, role: str, content: str, state: str) -> int:
        now = time.time()
        with self.transaction() as db:
            if (
                db.execute(
                    "SELECT 1 FROM conversations WHERE id = ?", (conversation_id,)
                ).fetchone()
                is None
            ):
                raise StorageError(f"Conversation {conversation_id} does not exist.")
            cur = db.execute(
                "INSERT INTO messages(conversation_id, role, content, state, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                (conversation_id, role, content, state, now, now),
            )
            if role == "user":
                self._retitle(db, conversation_id)
            self._touch(db, conversation_id, now)
        return _rowid(cur)

    def add_user_message(self, conversation_id: int, content: str) -> Message:
        return self.message(self._insert_message(conversation_id, "user", content, "complete"))

    def start_assistant_message(self, conversation_id: int) -> Message:
        return self.message(self._insert_message(conversation_id, "assistant", "", "streaming"))

    def update_assistant_message(
        self,
        message_id: int,
        *,
        content: str,
        reasoning: str = "",
        tool_calls: list[dict[str, Any]] | None = None,
    ) -> None:
        """Save the reply so far: one row, no index work (streaming rows are not in FTS)."""
        with self.transaction() as db:
            cur = db.execute(
                "UPDATE messages SET content = ?, reasoning = ?, tool_calls = ?, updated_at = ?"
                " WHERE id = ? AND state = 'streaming'",
                (content, reasoning, dump_json(tool_calls or []), time.time(), message_id),
            )
            if cur.rowcount == 0:
                raise StorageError(f"Message {message_id} does not exist or is not streaming.")

    def finish_assistant_message(
        self,
        message_id: int,
        *,
        state: str,
        content: str,
        reasoning: str = "",
        tool_calls: list[dict[str, Any]] | None = None,
        finish_reason: str | None = None,
        usage: dict[str, Any] | None = None,
        error: str | None = None,
    ) -> None:
        if state not in FINAL_STATES:
            raise ValueError(f"state must be one of {FINAL_STATES}, not {state!r}")
        now = time.time()
        with self.transaction() as db:
            conversation_id = self._conversation_of(db, message_id)
            db.execute(
                "UPDATE messages SET state = ?, content = ?, reasoning = ?, tool_calls = ?,"
                " finish_reason = ?, usage = ?, error = ?, updated_at = ? WHERE id = ?",
                (
                    state,
                    content,
                    reasoning,
                    dump_json(tool_calls or []),
                    finish_reason,
                    dump_json(usage) if usage is not None else None,
                    error,
                    now,
                    message_id,
                ),
            )
            self._touch(db, conversation_id, now)

    def edit_message(self, message_id: int, content: str) -> None:
        now = time.time()
        with self.transaction() as db:
            conversation_id = self._conversation_of(db, message_id)
            db.execute(
                "UPDATE messages SET content = ?, updated_at = ? WHERE id = ?",
                (content, now, message_id),
            )
            self._retitle(db, conversation_id)
            self._touch(db, conversation_id, now)

    def delete_messages_from(self, message_id: int) -> None:
        """Delete this message and every later one in its conversation (regenerate, edit)."""
        with self.transaction() as db:
            row = db.execute(
                "SELECT conversation_id FROM messages WHERE id = ?", (message_id,)
            ).fetchone()
            if row is None:
                return
            db.execute(
                "DELETE FROM messages WHERE conversation_id = ? AND id >= ?", (row[0], message_id)
            )
            self._touch(db, row[0], time.time())

    # -- search -------------------------------------------------------------------------

    def search(self, query: str, *, limit: int = 50) -> list[SearchHit]:
        with self._reading() as db:
            return run_search(db, query, limit=limit)


def _rowid(cur: sqlite3.Cursor) -> int:
    if cur.lastrowid is None:  # pragma: no cover - an INSERT always sets it
        raise StorageError("The history database did not report the new row's id.")
    return cur.lastrowid
