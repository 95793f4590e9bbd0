"""Import our versioned JSON export, or ChatGPT's conversations.json, in one transaction.

Everything is parsed and checked before the first write; the writes then happen in a single
transaction, so a malformed file (or a failure half-way) imports nothing. Conversations are
matched by their stable uid, so importing the same file twice adds nothing the second time.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from desktopchat.errors import ImportFormatError

from .chatgpt import parse_chatgpt
from .export import FORMAT_NAME, FORMAT_VERSION
from .models import ROLES, STATES, ImportResult
from .rows import dump_json, rowid
from .store import HistoryStore

Progress = Callable[[int, int], None]


def load_json_file(path: Path) -> Any:
    try:
        with Path(path).open("rb") as fh:
            return json.load(fh)
    except OSError as exc:
        raise ImportFormatError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"{path} is not a UTF-8 text file.") from exc
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from exc


def _field(
    obj: Mapping[str, Any],
    key: str,
    kinds: tuple[type, ...],
    where: str,
    *,
    default: Any = ...,
    nullable: bool = False,
) -> Any:
    if key not in obj:
        if default is ...:
            raise ImportFormatError(f"{where}: the field '{key}' is missing.")
        return default
    value = obj[key]
    if value is None and nullable:
        return None
    # bool is an int in Python; a number field must not accept true/false.
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        names = " or ".join(k.__name__ for k in kinds)
        raise ImportFormatError(f"{where}: '{key}' must be {names}, not {type(value).__name__}.")
    return value


def _seconds_or_none(raw: Mapping[str, Any], key: str, where: str) -> float | None:
    value = _field(raw, key, (int, float), where, default=None, nullable=True)
    if value is None:
        return None
    if not math.isfinite(value) or value < 0:
        raise ImportFormatError(f"{where}: '{key}' must be a finite number of seconds >= 0.")
    return float(value)


def _check_message(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ImportFormatError(f"{where} is not an object.")
    role = _field(raw, "role", (str,), where)
    if role not in ROLES:
        raise ImportFormatError(f"{where}: unknown role {role!r} (expected one of {ROLES}).")
    state = _field(raw, "state", (str,), where, default="complete")
    if state not in STATES:
        raise ImportFormatError(f"{where}: unknown state {state!r} (expected one of {STATES}).")
    created = float(_field(raw, "created_at", (int, float), where))
    tool_calls = _field(raw, "tool_calls", (list,), where, default=[])
    if not all(isinstance(call, dict) for call in tool_calls):
        raise ImportFormatError(f"{where}: every tool call must be an object.")
    return {
        "uid": _field(raw, "uid", (str,), where, default=None, nullable=True),
        "parent": _field(raw, "parent", (str,), where, default=None, nullable=True),
        "role": role,
        "content": _field(raw, "content", (str,), where),
        "reasoning": _field(raw, "reasoning", (str,), where, default=""),
        "tool_calls": tool_calls,
        # A reply that was streaming when exported can never resume.
        "state": "interrupted" if state == "streaming" else state,
        "finish_reason": _field(raw, "finish_reason", (str,), where, default=None, nullable=True),
        "usage": _field(raw, "usage", (dict,), where, default=None, nullable=True),
        "error": _field(raw, "error", (str,), where, default=None, nullable=True),
        "profile": _field(raw, "profile", (str,), where, default=""),
        "model": _field(raw, "model", (str,), where, default=""),
        "first_token_s": _seconds_or_none(raw, "first_token_s", where),
        "tokens_per_s": _seconds_or_none(raw, "tokens_per_s", where),
        "created_at": created,
        "updated_at": float(_field(raw, "updated_at", (int, float), where, default=created)),
    }


def _as_tree(
    messages: list[dict[str, Any]], version: int, uid: str, where: str
) -> list[dict[str, Any]]:
    """Messages ordered parents first, each with a `uid` and a `parent` uid.

    Version 1 files hold one path in order: each message's parent is the one before it.
    """
    if version < 2:
        previous = None
        for j, message in enumerate(messages):
            message["uid"], message["parent"] = f"{uid}#{j + 1}", previous
            previous = message["uid"]
        return messages
    by_uid: dict[str, dict[str, Any]] = {}
    for j, message in enumerate(messages):
        if not message["uid"]:
            raise ImportFormatError(f"{where}, message #{j + 1}: 'uid' is missing or empty.")
        if message["uid"] in by_uid:
            raise ImportFormatError(f"{where}: two messages share the uid {message['uid']!r}.")
        by_uid[message["uid"]] = message
    children: dict[str | None, list[dict[str, Any]]] = {}
    for message in messages:
        if message["parent"] is not None and message["parent"] not in by_uid:
            raise ImportFormatError(
                f"{where}: message {message['uid']!r} names a parent {message['parent']!r}"
                " that is not in the file."
            )
        children.setdefault(message["parent"], []).append(message)
    ordered: list[dict[str, Any]] = []
    todo = list(reversed(children.get(None, [])))
    while todo:
        message = todo.pop()
        ordered.append(message)
        todo.extend(reversed(children.get(message["uid"], [])))
    if len(ordered) != len(messages):
        raise ImportFormatError(f"{where}: the messages' 'parent' links form a loop.")
    return ordered


def check_conversation(raw: Any, where: str, version: int = FORMAT_VERSION) -> dict[str, Any]:
    """A validated, normalised conversation record (our export shape); ImportFormatError if not."""
    if not isinstance(raw, dict):
        raise ImportFormatError(f"{where} is not an object.")
    uid = _field(raw, "uid", (str,), where)
    if not uid.strip():
        raise ImportFormatError(f"{where}: 'uid' is empty.")
    messages = _field(raw, "messages", (list,), where)
    created = float(_field(raw, "created_at", (int, float), where))
    return {
        "uid": uid,
        "title": _field(raw, "title", (str,), where, default=""),
        "title_is_custom": bool(_field(raw, "title_is_custom", (bool,), where, default=False)),
        "profile": _field(raw, "profile", (str,), where, default=""),
        "model": _field(raw, "model", (str,), where, default=""),
        "provider_conversation_id": _field(
            raw, "provider_conversation_id", (str,), where, default=None, nullable=True
        ),
        "created_at": created,
        "updated_at": float(_field(raw, "updated_at", (int, float), where, default=created)),
        "pinned": bool(_field(raw, "pinned", (bool,), where, default=False)),
        "selected_leaf": _field(raw, "selected_leaf", (str,), where, default=None, nullable=True),
        "messages": _as_tree(
            [_check_message(m, f"{where}, message #{j + 1}") for j, m in enumerate(messages)],
            version,
            uid,
            where,
        ),
    }


def parse_export(data: Any, source: str) -> list[dict[str, Any]]:
    if not isinstance(data, dict):
        raise ImportFormatError(f"{source} is not a desktopchat export (expected a JSON object).")
    if data.get("format") != FORMAT_NAME:
        raise ImportFormatError(
            f"{source} is not a desktopchat export (format is {data.get('format')!r},"
            f" expected {FORMAT_NAME!r})."
        )
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ImportFormatError(f"{source} has no valid format version.")
    if version > FORMAT_VERSION:
        raise ImportFormatError(
            f"{source} was written by a newer desktopchat (format version {version});"
            " update desktopchat to import it."
        )
    conversations = data.get("conversations")
    if not isinstance(conversations, list):
        raise ImportFormatError(f"{source}: 'conversations' must be a list.")
    return [
        check_conversation(c, f"conversation #{i + 1}", version)
        for i, c in enumerate(conversations)
    ]


def write_records(
    store: HistoryStore, records: list[dict[str, Any]], progress: Progress | None
) -> ImportResult:
    """Insert validated records in ONE transaction, skipping uids already present."""
    added = skipped = messages_added = 0
    total = len(records)
    with store.transaction() as db:
        for done, record in enumerate(records, start=1):
            if db.execute("SELECT 1 FROM conversations WHERE uid = ?", (record["uid"],)).fetchone():
                skipped += 1
            else:
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
                _write_messages(db, rowid(cur), record)
                added += 1
                messages_added += len(record["messages"])
            if progress is not None:
                progress(done, total)
    return ImportResult(added, messages_added, skipped)


def _write_messages(db: sqlite3.Connection, conversation_id: int, record: dict[str, Any]) -> None:
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
    leaf = ids.get(record.get("selected_leaf") or "")
    if leaf is None and record["messages"]:
        leaf = max(ids.values())
    db.execute(
        "UPDATE conversations SET selected_leaf_id = ? WHERE id = ?", (leaf, conversation_id)
    )


def import_json(
    store: HistoryStore, data: Mapping[str, Any] | Path | str, *, progress: Progress | None = None
) -> ImportResult:
    """Import a desktopchat JSON export (a dict, or a path to the file)."""
    if isinstance(data, (str, Path)):
        source = str(data)
        data = load_json_file(Path(data))
    else:
        source = "The import data"
    return write_records(store, parse_export(data, source), progress)


def import_chatgpt(
    store: HistoryStore, path: Path | str, *, progress: Progress | None = None
) -> ImportResult:
    """Import ChatGPT's conversations.json: every branch, with `current_node` selected."""
    records = parse_chatgpt(load_json_file(Path(path)), str(path))
    return write_records(store, records, progress)
