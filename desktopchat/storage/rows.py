"""SQL rows <-> frozen values, and the small text helpers the store and importers share."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from desktopchat.errors import StorageError
from desktopchat.safe_json import mend_text

from .models import Conversation, Message

CONVERSATION_COLUMNS = (
    "id, title, profile, model, provider_conversation_id, created_at, updated_at, pinned,"
    " title_is_custom, uid, selected_leaf_id, folder_id"
)
MESSAGE_FIELDS = (
    "id, conversation_id, role, content, reasoning, tool_calls, state, finish_reason, usage,"
    " error, created_at, updated_at, parent_id, profile, model, first_token_s, tokens_per_s, uid"
)
# The same columns qualified with `m.`, for queries that join messages to something.
MESSAGE_COLUMNS_M = ", ".join(f"m.{name.strip()}" for name in MESSAGE_FIELDS.split(","))
MESSAGE_COLUMNS = MESSAGE_FIELDS
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


def conversation_from_row(row: sqlite3.Row | tuple[Any, ...]) -> Conversation:  # Any: SQL values
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
        selected_leaf_id=row[10],
        folder_id=row[11],
    )


def message_from_row(row: sqlite3.Row | tuple[Any, ...]) -> Message:  # Any: as sqlite3 types rows
    return Message(
        id=row[0],
        conversation_id=row[1],
        role=row[2],
        content=row[3],
        reasoning=row[4],
        tool_calls=_stored_list(row[5]),
        state=row[6],
        finish_reason=row[7],
        usage=_stored_dict(row[8]),
        error=row[9],
        created_at=row[10],
        updated_at=row[11],
        parent_id=row[12],
        profile=row[13],
        model=row[14],
        first_token_s=row[15],
        tokens_per_s=row[16],
        uid=row[17] or f"m{row[0]}",
    )


def dump_json(value: object) -> str:
    """JSON for a column, always standard JSON: NaN and Infinity (which Python's json writes
    and every other reader, our import included, refuses) become null, and a lone surrogate
    (a server's unpaired escape, which SQLite's UTF-8 encoding refuses) becomes U+FFFD."""
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError:  # NaN or Infinity somewhere: written as tokens, read back as null
        finite = json.loads(json.dumps(value), parse_constant=_null)
        text = json.dumps(finite, ensure_ascii=False, separators=(",", ":"))
    return mend_text(text)


def _null(_constant: str) -> None:
    return None


def _stored(text: str | None) -> object:
    """A JSON column as it was stored; None when it is missing or not readable JSON (a file
    an older version, another program or a damaged disk wrote must still open)."""
    if not text:
        return None
    try:
        return json.loads(text, parse_constant=_null)
    except (ValueError, RecursionError):
        return None


def _stored_list(text: str | None) -> list[Any]:  # Any: tool calls in the OpenAI shape
    value = _stored(text)
    return value if isinstance(value, list) else []


def _stored_dict(text: str | None) -> dict[str, object] | None:
    value = _stored(text)
    return value if isinstance(value, dict) else None


def rowid(cur: sqlite3.Cursor) -> int:
    if cur.lastrowid is None:  # pragma: no cover - an INSERT always sets it
        raise StorageError("The history database did not report the new row's id.")
    return cur.lastrowid
