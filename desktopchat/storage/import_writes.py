"""Writing checked import records: each conversation in its own short transaction, skipped
when its uid is already in the history, and every one of them deleted again on any failure."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable

from . import blobs
from .folders import ensure_in
from .import_checks import Record, checked_record
from .models import ImportResult
from .rows import dump_json, rowid
from .store import HistoryStore

# check(raw, where): the import record of one raw conversation, or ImportFormatError.
Check = Callable[[object, str], Record]
TITLES_SHOWN = 20  # an import summary names at most this many added and skipped titles


def _insert(db: sqlite3.Connection, record: Record, made_folders: list[int]) -> int:
    """Write one conversation (filed in its folder, by name); `made_folders` gets the ids of
    folders made for it, so a failed import can take them away again."""
    cur = db.execute(
        "INSERT INTO conversations(uid, title, title_is_custom, profile, model,"
        " provider_conversation_id, created_at, updated_at, pinned)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            record["uid"],
            record["title"],
            record["title_is_custom"],
            record["profile"],
            record["model"],
            record["provider_conversation_id"],
            record["created_at"],
            record["updated_at"],
            record["pinned"],
        ),
    )
    conversation_id = rowid(cur)
    _write_messages(db, conversation_id, record)
    if folder := record.get("folder"):
        folder_id, created = ensure_in(db, folder)
        db.execute(
            "UPDATE conversations SET folder_id = ? WHERE id = ?", (folder_id, conversation_id)
        )
        if created:
            made_folders.append(folder_id)
    return conversation_id


def _write_messages(db: sqlite3.Connection, conversation_id: int, record: Record) -> None:
    """Insert the tree (parents first), then select the recorded leaf (default: the last)."""
    ids: dict[str, int] = {}
    for m in record["messages"]:
        cur = db.execute(
            "INSERT INTO messages(conversation_id, parent_id, uid, role, content, reasoning,"
            " tool_calls, state, finish_reason, usage, error, profile, model, first_token_s,"
            " tokens_per_s, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                conversation_id,
                ids[m["parent"]] if m["parent"] is not None else None,
                m["uid"],
                m["role"],
                m["content"],
                m["reasoning"],
                dump_json(m["tool_calls"]),
                m["state"],
                m["finish_reason"],
                dump_json(m["usage"]) if m["usage"] is not None else None,
                m["error"],
                m.get("profile", ""),
                m.get("model", ""),
                m.get("first_token_s"),
                m.get("tokens_per_s"),
                m["created_at"],
                m["updated_at"],
            ),
        )
        ids[m["uid"]] = rowid(cur)
        blobs.link(db, ids[m["uid"]], m.get("attachments", ()))
    leaf = ids.get(record.get("selected_leaf") or "")
    if leaf is None and record["messages"]:
        leaf = max(ids.values())
    db.execute(
        "UPDATE conversations SET selected_leaf_id = ? WHERE id = ?", (leaf, conversation_id)
    )


def _remove(store: HistoryStore, ids: list[int], folders: list[int]) -> None:
    """Undo a failed import: delete what it added (messages go with them, by cascade), and
    the folders it made, unless the user filed a chat in one meanwhile."""
    with store.transaction() as db:
        db.executemany("DELETE FROM conversations WHERE id = ?", [(i,) for i in ids])
        blobs.sweep(db)  # the files only those conversations brought
        db.executemany(
            "DELETE FROM folders WHERE id = ?"
            " AND NOT EXISTS (SELECT 1 FROM conversations WHERE folder_id = folders.id)",
            [(i,) for i in folders],
        )


def write_conversations(
    store: HistoryStore,
    raws: Iterable[object],
    check: Check,
    report: Callable[[int], None],
) -> ImportResult:
    """Check and write each conversation in its own transaction; on any failure, undo them all."""
    added: list[int] = []
    made_folders: list[int] = []
    added_titles: list[str] = []
    skipped_titles: list[str] = []
    messages = 0
    try:
        for number, raw in enumerate(raws, start=1):
            where = f"conversation #{number}"
            record = checked_record(check(raw, where), where)
            with store.transaction() as db:
                present = db.execute(
                    "SELECT 1 FROM conversations WHERE uid = ?", (record["uid"],)
                ).fetchone()
                if present is None:
                    added.append(_insert(db, record, made_folders))
            title = record["title"] or record["uid"]
            if present is None:
                messages += len(record["messages"])
                added_titles.append(title)
            else:
                skipped_titles.append(title)
            report(number)
    except BaseException:
        if added:
            _remove(store, added, made_folders)
        raise
    return ImportResult(
        len(added_titles),
        messages,
        len(skipped_titles),
        added_titles=tuple(added_titles[:TITLES_SHOWN]),
        skipped_titles=tuple(skipped_titles[:TITLES_SHOWN]),
    )
