"""The wire: chat requests out, typed stream events in. httpx (and, for the command line's
one request, the standard library's http.client); no Qt.

request.py     ChatRequest -> URL, headers, JSON body
transport.py   the one door for the key: transport rule, loopback, sendable headers
headers.py     what may be sent as a header (shared with settings validation)
http.py        the httpx client (loopback never proxied)
http_errors.py HTTP error answers -> errors; Retry-After
inflate.py     compressed bodies inflated in bounded steps (body.py: for httpx responses)
sse.py         bytes -> SSE events (WHATWG lines and fields)
chunks.py      SSE data -> typed events; provider error objects
answer.py      a whole non-streamed JSON answer -> the same events
decoding.py    a 2xx body -> event batches: the one parser both senders feed; the end rules
stream.py      stream_chat / stream_batches / collect over httpx: the request, retries
direct.py      the same over http.client, where no proxy can apply (the command line)
reply.py       Reply: events folded into the answer
models.py      the provider's model list (GET /models)
limits.py      every size and time limit, documented
providers.py   built-in presets (data)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# Where each public name lives. They are imported on first use (PEP 562), so a module that
# needs one light piece of core (the command line building a request) does not pay for
# httpx and the whole stream machinery when it imports it.
_HOMES = {
    "ContentDelta": "events",
    "ConversationId": "events",
    "Finish": "events",
    "ReasoningDelta": "events",
    "StreamEvent": "events",
    "ToolCallDelta": "events",
    "UsageReport": "events",
    "list_models": "models",
    "Reply": "reply",
    "ToolCall": "reply",
    "ChatMessage": "request",
    "ChatRequest": "request",
    "WebSearchOptions": "request",
    "collect": "stream",
    "stream_chat": "stream",
}

if TYPE_CHECKING:
    from desktopchat.core.events import (
        ContentDelta,
        ConversationId,
        Finish,
        ReasoningDelta,
        StreamEvent,
        ToolCallDelta,
        UsageReport,
    )
    from desktopchat.core.models import list_models
    from desktopchat.core.reply import Reply, ToolCall
    from desktopchat.core.request import ChatMessage, ChatRequest, WebSearchOptions
    from desktopchat.core.stream import collect, stream_chat


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


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
    "list_models",
    "stream_chat",
]
