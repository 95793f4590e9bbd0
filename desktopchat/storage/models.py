"""Plain values the history store hands out. Frozen: callers never mutate storage by accident."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

# Private-use code points: they cannot appear in normal text, so the UI can split a snippet on
# them safely and style the hits without worrying about HTML or Markdown in the message.
HIT_START: Final = "\ue000"
HIT_END: Final = "\ue001"

STATES: Final = ("complete", "streaming", "stopped", "error", "interrupted")
FINAL_STATES: Final = ("complete", "stopped", "error", "interrupted")
ROLES: Final = ("system", "user", "assistant", "tool")


@dataclass(frozen=True)
class Conversation:
    id: int
    title: str
    profile: str
    model: str
    provider_conversation_id: str | None
    created_at: float
    updated_at: float
    pinned: bool
    title_is_custom: bool
    # Stable identity across export/import (a UUID, or "chatgpt:<id>" for ChatGPT imports).
    uid: str = ""


@dataclass(frozen=True)
class Message:
    id: int
    conversation_id: int
    role: str
    content: str
    reasoning: str
    tool_calls: list[dict[str, Any]] = field(hash=False)
    state: str
    finish_reason: str | None
    usage: dict[str, Any] | None = field(hash=False)
    error: str | None
    created_at: float
    updated_at: float


@dataclass(frozen=True)
class SearchHit:
    conversation_id: int
    conversation_title: str
    message_id: int | None  # None: the hit is in the conversation's title
    role: str | None
    snippet: str
    rank: float  # lower is better (FTS5 bm25 convention)


@dataclass(frozen=True)
class ImportResult:
    conversations_added: int
    messages_added: int
    conversations_skipped: int
