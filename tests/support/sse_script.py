"""Scripted SSE bodies for the loopback server: chunks in OpenAI's shape, and their pieces.

`sse_body` joins chunks into one body; `sse_pieces` makes one piece (one network write) per
chunk, so a test can hold a response after any of them (ScriptedResponse.hold_after);
`text_pieces` is the common case: a reply's texts, then the finish chunk, then [DONE].
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

DONE = b"data: [DONE]\n\n"


def sse_body(*chunks: Mapping[str, Any], done: bool = True) -> bytes:
    """`data: <json>\\n\\n` per chunk, then `data: [DONE]\\n\\n` when `done`."""
    out = [b"data: " + json.dumps(c).encode() + b"\n\n" for c in chunks]
    if done:
        out.append(DONE)
    return b"".join(out)


def sse_pieces(*chunks: Mapping[str, Any], done: bool = True) -> list[bytes]:
    """One piece per chunk, then `data: [DONE]` as a piece of its own when `done`."""
    out = [sse_body(c, done=False) for c in chunks]
    if done:
        out.append(DONE)
    return out


def text_pieces(
    *texts: str, finish: str = "stop", usage: dict[str, Any] | None = None
) -> list[bytes]:
    """A streamed reply: one content chunk per text, the finish chunk (with `usage`), [DONE]."""
    return sse_pieces(*[chat_chunk(t) for t in texts], chat_chunk(finish=finish, usage=usage))


def chat_chunk(
    content: str | None = None,
    reasoning: str | None = None,
    finish: str | None = None,
    *,
    tool_calls: list[dict[str, Any]] | None = None,
    usage: dict[str, Any] | None = None,
    role: str | None = None,
    index: int = 0,
) -> dict[str, Any]:
    """One OpenAI-style chat.completion.chunk dict."""
    delta: dict[str, Any] = {}
    if role is not None:
        delta["role"] = role
    if content is not None:
        delta["content"] = content
    if reasoning is not None:
        delta["reasoning_content"] = reasoning
    if tool_calls is not None:
        delta["tool_calls"] = tool_calls
    chunk: dict[str, Any] = {
        "id": "chatcmpl-loopback",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "loopback",
        "choices": [{"index": index, "delta": delta, "finish_reason": finish}],
    }
    if usage is not None:
        chunk["usage"] = usage
    return chunk
