"""The SQL of writing messages, run inside one of the store's transactions."""

from __future__ import annotations

import sqlite3
import uuid

from desktopchat.errors import StorageError
from desktopchat.safe_json import mend_text

from . import tree
from .rows import dump_json, rowid, title_from

AT_LEAF = -1  # parent_id meaning "below the conversation's selected leaf"


def retitle(db: sqlite3.Connection, conversation_id: int) -> None:
    """An automatic title follows the first user message of the branch shown (a custom one is
    left alone), so editing the first question renames the chat."""
    on_path = tree.path_ids(db, tree.leaf_of(db, conversation_id))
    first = None
    for start in range(len(on_path), 0, -500):  # root first: the first question is near it
        chunk = on_path[max(0, start - 500) : start]
        marks = ",".join("?" * len(chunk))
        first = db.execute(
            f"SELECT content FROM messages WHERE id IN ({marks}) AND role = 'user'"
            " ORDER BY id LIMIT 1",
            chunk,
        ).fetchone()
        if first is not None:
            break
    db.execute(
        "UPDATE conversations SET title = ? WHERE id = ? AND NOT title_is_custom",
        (title_from(first[0]) if first else "", conversation_id),
    )


def conversation_of(db: sqlite3.Connection, message_id: int) -> int:
    found = db.execute(
        "SELECT conversation_id FROM messages WHERE id = ?", (message_id,)
    ).fetchone()
    if found is None:
        raise StorageError(f"Message {message_id} does not exist (was it deleted?).")
    return int(found[0])


def touch(db: sqlite3.Connection, conversation_id: int, now: float) -> None:
    db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation_id))


def insert_message(
    db: sqlite3.Connection,
    conversation_id: int,
    role: str,
    content: str,
    *,
    parent_id: int | None,
    state: str,
    profile: str,
    model: str,
    now: float,
) -> int:
    """Insert a child of `parent_id` (AT_LEAF: the selected leaf) and select it."""
    if (
        db.execute("SELECT 1 FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
        is None
    ):
        raise StorageError(f"Conversation {conversation_id} does not exist.")
    if parent_id == AT_LEAF:
        parent_id = tree.leaf_of(db, conversation_id)
    elif parent_id is not None and conversation_of(db, parent_id) != conversation_id:
        raise StorageError(f"Message {parent_id} belongs to another conversation.")
    cur = db.execute(
        "INSERT INTO messages(conversation_id, parent_id, uid, role, content, state, profile,"
        " model, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            conversation_id,
            parent_id,
            uuid.uuid4().hex,
            role,
            mend_text(content),
            str(state),
            profile,
            model,
            now,
            now,
        ),
    )
    new_id = rowid(cur)
    tree.select_leaf(db, conversation_id, new_id)
    if role == "user":
        retitle(db, conversation_id)
    touch(db, conversation_id, now)
    return new_id


def finish_message(
    db: sqlite3.Connection,
    message_id: int,
    now: float,
    *,
    state: str,
    content: str,
    reasoning: str,
    tool_calls: list[dict[str, object]] | None,
    finish_reason: str | None,
    usage: dict[str, object] | None,
    error: str | None,
    first_token_s: float | None,
    tokens_per_s: float | None,
) -> None:
    conversation_id = conversation_of(db, message_id)
    db.execute(
        "UPDATE messages SET state = ?, content = ?, reasoning = ?, tool_calls = ?,"
        " finish_reason = ?, usage = ?, error = ?, updated_at = ?,"
        " first_token_s = coalesce(?, first_token_s), tokens_per_s = coalesce(?, tokens_per_s)"
        " WHERE id = ?",
        (
            str(state),
            mend_text(content),
            mend_text(reasoning),
            dump_json(tool_calls or []),
            None if finish_reason is None else mend_text(finish_reason),
            dump_json(usage) if usage is not None else None,
            None if error is None else mend_text(error),
            now,
            first_token_s,
            tokens_per_s,
            message_id,
        ),
    )
    touch(db, conversation_id, now)
