"""The wire: chat requests out, typed stream events in. httpx and httpx-sse only; no Qt."""

from desktopchat.core.events import (
    ContentDelta,
    ConversationId,
    Finish,
    ReasoningDelta,
    StreamEvent,
    ToolCallDelta,
    UsageReport,
)
from desktopchat.core.reply import Reply, ToolCall, collect, complete
from desktopchat.core.request import ChatMessage, ChatRequest, WebSearchOptions
from desktopchat.core.stream import stream_chat

__all__ = [
    "ChatMessage",
    "ChatRequest",
    "ContentDelta",
    "ConversationId",
    "Finish",
    "ReasoningDelta",
    "Reply",
    "StreamEvent",
    "ToolCall",
    "ToolCallDelta",
    "UsageReport",
    "WebSearchOptions",
    "collect",
    "complete",
    "stream_chat",
]
