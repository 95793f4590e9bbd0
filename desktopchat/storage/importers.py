"""Import our versioned JSON export, or ChatGPT's conversations.json: all of it or nothing.

The file is read by `JsonStream` one conversation at a time, so memory follows the largest
conversation rather than the file. Each conversation is checked (import_checks.py) and written
in its own short transaction, so the window's own saves are never kept waiting for long. If
anything fails half-way (a malformed conversation, a full disk, Cancel raised from `progress`),
the conversations this import added are deleted again before the error goes on: a failed or
cancelled import leaves the history as it was. Conversations are matched by their stable uid,
so importing the same file twice adds nothing the second time.
"""

from __future__ import annotations

import enum
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from desktopchat.errors import ImportFormatError

from . import attachment_records, blobs
from .chatgpt import chatgpt_record
from .export import FORMAT_NAME, FORMAT_VERSION, MAX_MEASURE
from .import_checks import checked_record, field, timestamp
from .jsonstream import JsonStream
from .models import ROLES, STATES, ImportResult, MessageState
from .opening import connect
from .rows import dump_json, rowid
from .store import HistoryStore

# progress(done, total): bytes of the file read so far and its size (for a dict: conversations).
Progress = Callable[[int, int], None]
Check = Callable[[Any, str], dict[str, Any]]
TITLES_SHOWN = 20  # an import summary names at most this many added and skipped titles


class ImportKind(enum.StrEnum):
    DESKTOPCHAT = "desktopchat"  # our export: a JSON object
    CHATGPT = "chatgpt"  # ChatGPT's conversations.json: a JSON array


def _seconds_or_none(raw: Mapping[str, Any], key: str, where: str) -> float | None:
    value = field(raw, key, (int, float), where, default=None, nullable=True)
    if value is None:
        return None
    # Compared before float(): float(10**400) would raise. NaN fails the comparison too.
    if not 0 <= value <= MAX_MEASURE:
        raise ImportFormatError(
            f"{where}: '{key}' must be a finite number between 0 and {MAX_MEASURE:g}."
        )
    return float(value)


def _check_message(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ImportFormatError(f"{where} is not an object.")
    role = field(raw, "role", (str,), where)
    if role not in ROLES:
        raise ImportFormatError(f"{where}: unknown role {role!r} (expected one of {ROLES}).")
    state = field(raw, "state", (str,), where, default=MessageState.COMPLETE)
    if state not in STATES:
        raise ImportFormatError(f"{where}: unknown state {state!r} (expected one of {STATES}).")
    created = timestamp(field(raw, "created_at", (int, float), where), where, "created_at")
    tool_calls = field(raw, "tool_calls", (list,), where, default=[])
    if not all(isinstance(call, dict) for call in tool_calls):
        raise ImportFormatError(f"{where}: every tool call must be an object.")
    updated = field(raw, "updated_at", (int, float), where, default=created)
    return {
        "uid": field(raw, "uid", (str,), where, default=None, nullable=True),
        "parent": field(raw, "parent", (str,), where, default=None, nullable=True),
        "role": role,
        "content": field(raw, "content", (str,), where),
        "reasoning": field(raw, "reasoning", (str,), where, default=""),
        "tool_calls": tool_calls,
        # A reply that was streaming when exported can never resume.
        "state": MessageState.INTERRUPTED if state == MessageState.STREAMING else state,
        "finish_reason": field(raw, "finish_reason", (str,), where, default=None, nullable=True),
        "usage": field(raw, "usage", (dict,), where, default=None, nullable=True),
        "error": field(raw, "error", (str,), where, default=None, nullable=True),
        "profile": field(raw, "profile", (str,), where, default=""),
        "model": field(raw, "model", (str,), where, default=""),
        "first_token_s": _seconds_or_none(raw, "first_token_s", where),
        "tokens_per_s": _seconds_or_none(raw, "tokens_per_s", where),
        "created_at": created,
        "updated_at": timestamp(updated, where, "updated_at"),
        "attachments": attachment_records.checked(raw.get("attachments"), where),
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
    uid = field(raw, "uid", (str,), where)
    if not uid.strip():
        raise ImportFormatError(f"{where}: 'uid' is empty.")
    messages = field(raw, "messages", (list,), where)
    created = timestamp(field(raw, "created_at", (int, float), where), where, "created_at")
    updated = field(raw, "updated_at", (int, float), where, default=created)
    return {
        "uid": uid,
        "title": field(raw, "title", (str,), where, default=""),
        "title_is_custom": bool(field(raw, "title_is_custom", (bool,), where, default=False)),
        "profile": field(raw, "profile", (str,), where, default=""),
        "model": field(raw, "model", (str,), where, default=""),
        "provider_conversation_id": field(
            raw, "provider_conversation_id", (str,), where, default=None, nullable=True
        ),
        "created_at": created,
        "updated_at": timestamp(updated, where, "updated_at"),
        "pinned": bool(field(raw, "pinned", (bool,), where, default=False)),
        "selected_leaf": field(raw, "selected_leaf", (str,), where, default=None, nullable=True),
        "messages": _as_tree(
            [_check_message(m, f"{where}, message #{j + 1}") for j, m in enumerate(messages)],
            version,
            uid,
            where,
        ),
    }


def check_header(header: Mapping[str, Any], source: str) -> int:
    """The format version of an export whose top-level fields are `header`."""
    if header.get("format") != FORMAT_NAME:
        raise ImportFormatError(
            f"{source} is not a desktopchat export (format is {header.get('format')!r},"
            f" expected {FORMAT_NAME!r})."
        )
    version = header.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ImportFormatError(f"{source} has no valid format version.")
    if version > FORMAT_VERSION:
        raise ImportFormatError(
            f"{source} was written by a newer desktopchat (format version {version});"
            " update desktopchat to import it."
        )
    return version


class _Export:
    """Our export read from a stream: the header's version is known before any conversation."""

    def __init__(self, stream: JsonStream) -> None:
        self.stream = stream
        self.version = FORMAT_VERSION

    def check(self, raw: Any, where: str) -> dict[str, Any]:
        return check_conversation(raw, where, self.version)

    def conversations(self) -> Iterator[Any]:
        for raw, version in _export_conversations(self.stream):
            self.version = version
            yield raw


def _export_conversations(stream: JsonStream) -> Iterator[tuple[Any, int]]:
    """The raw conversations of our export (with its version), once the header is checked."""
    source = stream.source
    if stream.peek() != "{":
        raise ImportFormatError(f"{source} is not a desktopchat export (expected a JSON object).")
    header: dict[str, Any] = {}
    held: list[Any] | None = None  # conversations that came before 'format' and 'version'
    for key in stream.object_keys():
        if key in header or (key == "conversations" and held is not None):
            raise ImportFormatError(f"{source}: the field {key!r} appears twice.")
        if key != "conversations":
            header[key] = stream.value()
            continue
        if stream.peek() != "[":
            stream.value()  # read past it to report the problem, not a syntax error
            raise ImportFormatError(f"{source}: 'conversations' must be a list.")
        if "format" in header and "version" in header:
            version = check_header(header, source)
            held = []
            for raw in stream.items():
                yield raw, version
        else:
            held = list(stream.items())
    stream.end()
    version = check_header(header, source)
    if held is None:
        raise ImportFormatError(f"{source}: 'conversations' must be a list.")
    for raw in held:
        yield raw, version


def _insert(db: sqlite3.Connection, record: dict[str, Any]) -> int:
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
    return conversation_id


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
        blobs.link(db, ids[m["uid"]], m.get("attachments", ()))
    leaf = ids.get(record.get("selected_leaf") or "")
    if leaf is None and record["messages"]:
        leaf = max(ids.values())
    db.execute(
        "UPDATE conversations SET selected_leaf_id = ? WHERE id = ?", (leaf, conversation_id)
    )


def _remove(store: HistoryStore, ids: list[int]) -> None:
    """Undo a failed import: delete what it added (messages go with them, by cascade)."""
    with store.transaction() as db:
        db.executemany("DELETE FROM conversations WHERE id = ?", [(i,) for i in ids])
        blobs.sweep(db)  # the files only those conversations brought


def write_conversations(
    store: HistoryStore,
    raws: Iterable[Any],
    check: Check,
    report: Callable[[int], None],
) -> ImportResult:
    """Check and write each conversation in its own transaction; on any failure, undo them all."""
    added: list[int] = []
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
                    added.append(_insert(db, record))
            title = record["title"] or record["uid"]
            if present is None:
                messages += len(record["messages"])
                added_titles.append(title)
            else:
                skipped_titles.append(title)
            report(number)
    except BaseException:
        if added:
            _remove(store, added)
        raise
    return ImportResult(
        len(added_titles),
        messages,
        len(skipped_titles),
        added_titles=tuple(added_titles[:TITLES_SHOWN]),
        skipped_titles=tuple(skipped_titles[:TITLES_SHOWN]),
    )


def _from_file(
    store: HistoryStore, path: Path, kind: ImportKind | None, progress: Progress | None
) -> ImportResult:
    source = str(path)
    try:
        fh = Path(path).open("rb")  # noqa: SIM115 - a `with` below; here only open errors
        size = Path(path).stat().st_size
    except OSError as exc:
        raise ImportFormatError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    with fh:
        stream = JsonStream(fh, source)
        first = stream.peek()
        if first not in ("[", "{"):
            stream.value()  # not JSON at all: say where the syntax breaks
        if kind is None and first not in ("[", "{"):
            raise ImportFormatError(
                f"{Path(path).name} is neither a desktopchat export nor ChatGPT's"
                " conversations.json."
            )
        if kind is None:
            kind = ImportKind.CHATGPT if first == "[" else ImportKind.DESKTOPCHAT

        def report(_number: int) -> None:
            if progress is not None:
                progress(min(stream.bytes_read, size), size)

        if kind == ImportKind.CHATGPT:
            if first != "[":
                stream.value()  # a syntax error, if there is one, says more than the kind
                raise ImportFormatError(
                    f"{source} is not a ChatGPT conversations.json"
                    " (expected a list of conversations)."
                )
            raws: Iterator[Any] = _then_end(stream.items(), stream)
            result = write_conversations(store, raws, _chatgpt_check(source), report)
        else:
            export = _Export(stream)
            result = write_conversations(store, export.conversations(), export.check, report)
    if progress is not None:
        progress(size, size)
    return result


def _then_end(items: Iterator[Any], stream: JsonStream) -> Iterator[Any]:
    yield from items
    stream.end()


def _chatgpt_check(source: str) -> Check:
    return lambda raw, where: chatgpt_record(raw, f"{source}: {where}")


def import_json(
    store: HistoryStore, data: Mapping[str, Any] | Path | str, *, progress: Progress | None = None
) -> ImportResult:
    """Import a desktopchat JSON export (a dict, or a path to the file)."""
    if isinstance(data, (str, Path)):
        return _from_file(store, Path(data), ImportKind.DESKTOPCHAT, progress)
    source = "The import data"
    if not isinstance(data, Mapping):
        raise ImportFormatError(f"{source} is not a desktopchat export (expected a JSON object).")
    version = check_header(data, source)
    conversations = data.get("conversations")
    if not isinstance(conversations, list):
        raise ImportFormatError(f"{source}: 'conversations' must be a list.")
    total = len(conversations)

    def report(number: int) -> None:
        if progress is not None:
            progress(number, total)

    def check(raw: Any, where: str) -> dict[str, Any]:
        return check_conversation(raw, where, version)

    return write_conversations(store, conversations, check, report)


def import_chatgpt(
    store: HistoryStore, path: Path | str, *, progress: Progress | None = None
) -> ImportResult:
    """Import ChatGPT's conversations.json: the main path (current_node back to the root)."""
    return _from_file(store, Path(path), ImportKind.CHATGPT, progress)


def import_file(
    store: HistoryStore, path: Path | str, *, progress: Progress | None = None
) -> ImportResult:
    """Import either kind of file: a JSON object is our export, an array ChatGPT's."""
    return _from_file(store, Path(path), None, progress)


def detect_format(path: Path | str) -> ImportKind:
    """Which importer a file is for, from its first character (a BOM and spaces skipped)."""
    try:
        with Path(path).open("rb") as fh:
            first = JsonStream(fh, str(path), chunk=4096).peek()
    except OSError as exc:
        raise ImportFormatError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    if first in ("[", "{"):
        return ImportKind.CHATGPT if first == "[" else ImportKind.DESKTOPCHAT
    raise ImportFormatError(
        f"{Path(path).name} is neither a desktopchat export nor ChatGPT's conversations.json."
    )


def import_into(
    database: Path, path: Path | str, *, busy_timeout: float = 5.0, progress: Progress | None = None
) -> ImportResult:
    """`import_file` on a connection of its own, for a worker thread beside the window's store.

    Only a connection: the window's store already checked, migrated and recovered the file.
    """
    store = HistoryStore(connect(database, busy_timeout), database, busy_timeout)
    try:
        return import_file(store, path, progress=progress)
    finally:
        store.close()
