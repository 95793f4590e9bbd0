"""Typed events that `stream_chat` yields, one per meaningful piece of a streamed reply."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ContentDelta:
    """Visible answer text to append. `refusal` marks OpenAI `delta.refusal` text, which we
    show as content (so the user sees why nothing else came) and also track apart."""

    text: str
    refusal: bool = False


@dataclass(frozen=True, slots=True)
class ReasoningDelta:
    """Reasoning ("thinking") text to append: reasoning_content, reasoning or thinking parts."""

    text: str


@dataclass(frozen=True, slots=True)
class ToolCallDelta:
    """A piece of tool call `index`: id and name arrive once, arguments as fragments."""

    index: int
    id: str | None = None
    name: str | None = None
    arguments: str = ""


@dataclass(frozen=True, slots=True)
class UsageReport:
    """Token usage as the provider reported it (prompt_tokens, completion_tokens, ...)."""

    usage: dict[str, object]


@dataclass(frozen=True, slots=True)
class Finish:
    """The provider's finish_reason: stop, length, tool_calls, content_filter, function_call."""

    reason: str


@dataclass(frozen=True, slots=True)
class ConversationId:
    """The provider's conversation id, from an X-Conversation-Id response header."""

    value: str


StreamEvent = ContentDelta | ReasoningDelta | ToolCallDelta | UsageReport | Finish | ConversationId
