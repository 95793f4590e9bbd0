"""Checks on values read from an import file, before anything is stored.

Both importers (ours and ChatGPT's) build normalised records; `checked_record` is the last gate
every record passes, whatever its source: times are finite and in range, text can be stored as
UTF-8 (no lone surrogates), and free-form JSON (tool calls, usage) is shallow enough to read
back. Each failure is an ImportFormatError that names the conversation, message and field.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final, NotRequired, TypedDict

from desktopchat.errors import ImportFormatError

from .timestamps import known_time

MAX_JSON_DEPTH: Final = 32  # tool calls and usage are a few levels deep; this leaves room
if TYPE_CHECKING:
    from desktopchat.attachments import Attachment


class MessageRecord(TypedDict):
    """A message on its way in, as both importers build it (normalised, checked)."""

    uid: str  # "" until the importer gives it one (a file's may be missing)
    parent: str | None
    role: str
    content: str
    reasoning: str
    tool_calls: list[dict[str, object]]
    state: str
    finish_reason: str | None
    usage: dict[str, object] | None
    error: str | None
    created_at: float
    updated_at: float
    profile: NotRequired[str]  # ChatGPT's messages name none of these
    model: NotRequired[str]
    first_token_s: NotRequired[float | None]
    tokens_per_s: NotRequired[float | None]
    attachments: NotRequired[tuple[Attachment, ...]]


class Record(TypedDict):
    """A conversation on its way in, as both importers build it (normalised, checked)."""

    uid: str
    title: str
    title_is_custom: bool
    profile: str
    model: str
    provider_conversation_id: str | None
    created_at: float
    updated_at: float
    pinned: bool
    selected_leaf: str | None
    messages: list[MessageRecord]
    folder: NotRequired[str | None]  # ChatGPT's conversations are in no folder


MILLISECONDS_FROM: Final = 1e11  # seconds this large are year 5138+: surely milliseconds


def field(
    obj: Mapping[str, object],
    key: str,
    kinds: tuple[type, ...],
    where: str,
    *,
    default: Any = ...,  # Any: what the caller expects back when the field is missing
    nullable: bool = False,
) -> Any:  # Any: one of `kinds`, checked at run time (a value mypy cannot follow)
    """obj[key], checked to be one of `kinds` (missing: `default`, or an error without one)."""
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


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 24 else text[:20] + "…"


def timestamp(value: object, where: str, key: str) -> float:
    """A time in seconds since 1970, refused when not finite or out of range."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ImportFormatError(
            f"{where}: '{key}' must be a number of seconds, not {type(value).__name__}."
        )
    seconds = known_time(value)
    if seconds is None:
        hint = " (milliseconds? it must be seconds)" if value > MILLISECONDS_FROM else ""
        raise ImportFormatError(
            f"{where}: '{key}' is {_shown(value)}, not a time between 1970 and 3000{hint}."
        )
    return seconds


def optional_timestamp(obj: Mapping[str, object], key: str, where: str,
                       default: float) -> float:
    """Like `timestamp`, but a missing or null field takes `default` (ChatGPT leaves some out)."""
    value = obj.get(key)
    return default if value is None else timestamp(value, where, key)


def _storable_text(value: str, where: str, key: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ImportFormatError(
            f"{where}: '{key}' holds a lone surrogate ({value[exc.start]!r} at character"
            f" {exc.start + 1}), which is not text."
        ) from None


def _depth(value: object) -> int:
    """How deeply lists and objects nest in `value` (iterative: no recursion limit to hit)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Iterable[object] = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_JSON_DEPTH:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


def _free_json(value: object, where: str, key: str) -> None:
    if _depth(value) > MAX_JSON_DEPTH:
        raise ImportFormatError(f"{where}: '{key}' is nested more than {MAX_JSON_DEPTH} deep.")
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (ValueError, TypeError) as exc:  # NaN or Infinity inside, or not JSON at all
        raise ImportFormatError(
            f"{where}: '{key}' holds a value JSON cannot store ({exc})."
        ) from None
    # Keys and strings anywhere inside must be storable text too.
    _storable_text(text, where, key)


TEXT_FIELDS: Final = (
    "uid", "title", "profile", "model", "provider_conversation_id", "selected_leaf"
)
MESSAGE_TEXT_FIELDS: Final = (
    "uid", "parent", "role", "content", "reasoning", "state", "finish_reason", "error",
    "profile", "model",
)
TIME_FIELDS: Final = ("created_at", "updated_at")


def checked_record(record: Record, where: str) -> Record:
    """The last gate for a normalised conversation record, whichever importer built it."""
    for number, message in enumerate(record["messages"], start=1):
        at = f"{where}, message #{number}"
        for key in MESSAGE_TEXT_FIELDS:
            if isinstance(text := message.get(key), str):
                _storable_text(text, at, key)
        for key in TIME_FIELDS:
            timestamp(message.get(key), at, key)
        _free_json(message["tool_calls"], at, "tool_calls")
        if message["usage"] is not None:
            _free_json(message["usage"], at, "usage")
    # After the messages: a title made from the first message names that message's field.
    for key in TEXT_FIELDS:
        if isinstance(text := record.get(key), str):
            _storable_text(text, where, key)
    for key in TIME_FIELDS:
        timestamp(record.get(key), where, key)
    return record
