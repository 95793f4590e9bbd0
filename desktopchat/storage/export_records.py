"""Our versioned JSON export read back: the header checked, then each conversation checked and
normalised into an import record (version 1's single path becomes a tree of uids)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from desktopchat.errors import ImportFormatError, StorageError

from . import attachment_records
from .export import FORMAT_NAME, FORMAT_VERSION, MAX_MEASURE
from .folders import clean_name
from .import_checks import MessageRecord, Record, field, timestamp
from .jsonstream import JsonStream
from .models import ROLES, STATES, MessageState


def _seconds_or_none(raw: Mapping[str, object], key: str, where: str) -> float | None:
    value = field(raw, key, (int, float), where, default=None, nullable=True)
    if value is None:
        return None
    # Compared before float(): float(10**400) would raise. NaN fails the comparison too.
    if not 0 <= value <= MAX_MEASURE:
        raise ImportFormatError(
            f"{where}: '{key}' must be a finite number between 0 and {MAX_MEASURE:g}."
        )
    return float(value)


def _check_message(raw: object, where: str) -> MessageRecord:
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
        "uid": field(raw, "uid", (str,), where, default=None, nullable=True) or "",
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
    messages: list[MessageRecord], version: int, uid: str, where: str
) -> list[MessageRecord]:
    """Messages ordered parents first, each with a `uid` and a `parent` uid.

    Version 1 files hold one path in order: each message's parent is the one before it.
    """
    if version < 2:
        previous = None
        for j, message in enumerate(messages):
            message["uid"], message["parent"] = f"{uid}#{j + 1}", previous
            previous = message["uid"]
        return messages
    by_uid: dict[str, MessageRecord] = {}
    for j, message in enumerate(messages):
        if not message["uid"]:
            raise ImportFormatError(f"{where}, message #{j + 1}: 'uid' is missing or empty.")
        if message["uid"] in by_uid:
            raise ImportFormatError(f"{where}: two messages share the uid {message['uid']!r}.")
        by_uid[message["uid"]] = message
    children: dict[str | None, list[MessageRecord]] = {}
    for message in messages:
        if message["parent"] is not None and message["parent"] not in by_uid:
            raise ImportFormatError(
                f"{where}: message {message['uid']!r} names a parent {message['parent']!r}"
                " that is not in the file."
            )
        children.setdefault(message["parent"], []).append(message)
    ordered: list[MessageRecord] = []
    todo = list(reversed(children.get(None, [])))
    while todo:
        message = todo.pop()
        ordered.append(message)
        todo.extend(reversed(children.get(message["uid"], [])))
    if len(ordered) != len(messages):
        raise ImportFormatError(f"{where}: the messages' 'parent' links form a loop.")
    return ordered


def _folder_name(raw: str | None) -> str | None:
    """A folder name as it will be stored; a name with nothing printable in it files the chat
    at the top level, like no name at all."""
    if raw is None:
        return None
    try:
        return clean_name(raw)
    except StorageError:
        return None


def check_conversation(raw: object, where: str, version: int = FORMAT_VERSION) -> Record:
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
        "folder": _folder_name(field(raw, "folder", (str,), where, default=None, nullable=True)),
        "messages": _as_tree(
            [_check_message(m, f"{where}, message #{j + 1}") for j, m in enumerate(messages)],
            version,
            uid,
            where,
        ),
    }


def check_header(header: Mapping[str, object], source: str) -> int:
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


class ExportReader:
    """Our export read from a stream: the header's version is known before any conversation."""

    def __init__(self, stream: JsonStream) -> None:
        self.stream = stream
        self.version = FORMAT_VERSION

    def check(self, raw: object, where: str) -> Record:
        return check_conversation(raw, where, self.version)

    def conversations(self) -> Iterator[object]:
        for raw, version in export_conversations(self.stream):
            self.version = version
            yield raw


def export_conversations(stream: JsonStream) -> Iterator[tuple[object, int]]:
    """The raw conversations of our export (with its version), once the header is checked."""
    source = stream.source
    if stream.peek() != "{":
        raise ImportFormatError(f"{source} is not a desktopchat export (expected a JSON object).")
    header: dict[str, object] = {}
    held: list[object] | None = None  # conversations that came before 'format' and 'version'
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
