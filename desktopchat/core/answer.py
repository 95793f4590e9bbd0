"""A whole non-streamed answer: a server that ignored `stream: true` and sent one
`application/json` chat.completion object. Its events are those a stream of it would
have yielded, so a Reply folds it exactly like a stream.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from desktopchat.core.chunks import (
    ChunkReader,
    ErrorInfo,
    MalformedChunk,
    content_parts,
    error_info,
)
from desktopchat.core.events import (
    ContentDelta,
    Finish,
    ReasoningDelta,
    StreamEvent,
    UsageReport,
)
from desktopchat.core.limits import JSON_BODY_LIMIT
from desktopchat.core.reply import Reply
from desktopchat.core.reported import finish_reason, reported_usage
from desktopchat.errors import InterruptedStreamError, MalformedStreamError
from desktopchat.safe_json import loads_mended

JSON_SPACE = b"\xef\xbb\xbf \t\r\n"  # a BOM's bytes and JSON whitespace, for sniffing


def is_json(content_type: str | None) -> bool:
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    return kind in ("application/json", "text/json") or kind.endswith("+json")


class AnswerBody:
    """A whole JSON answer gathered piece by piece (capped), then read into events."""

    def __init__(self, head: bytes, reply: Reply) -> None:
        self._body = bytearray(head)
        self._reply = reply

    def add(self, piece: bytes) -> None:
        self._body += piece
        if len(self._body) > JSON_BODY_LIMIT:
            raise MalformedStreamError(
                f"The server answered with a JSON document over {JSON_BODY_LIMIT >> 20} MiB "
                "instead of a stream; not reading it.",
                partial=self._reply,
            )

    def events(self) -> tuple[list[StreamEvent], ErrorInfo | None]:
        """The answer's events, folded into the reply; the provider's error, if it sent one."""
        reply = self._reply
        text = self._body.decode("utf-8", "replace").lstrip("\ufeff")
        self._body = bytearray()
        try:
            value = loads_mended(text)
        except json.JSONDecodeError as exc:
            if exc.pos >= len(text.rstrip()):  # the document just stops: the body was cut off
                raise InterruptedStreamError(
                    "The server's JSON answer ended before it was complete.", partial=reply
                ) from None
            raise MalformedStreamError(
                f"The server answered with JSON that could not be read ({exc.msg} at "
                f"character {exc.pos}).",
                partial=reply,
            ) from None
        except RecursionError:
            raise MalformedStreamError(
                "The server answered with JSON nested too deeply to read.", partial=reply
            ) from None
        try:
            events, problem = completion_events(value)
        except MalformedChunk as exc:
            raise MalformedStreamError(
                f"The server answered with JSON instead of a stream, and {exc.reason}.",
                partial=reply,
            ) from None
        reply.extend(events)
        if problem is None:
            reply.done = True  # the whole document arrived and was read
        return events, problem


async def read_answer(
    head: bytes, pieces: AsyncIterator[bytes], reply: Reply
) -> tuple[list[StreamEvent], ErrorInfo | None]:
    """The events of a whole JSON answer whose first bytes are `head`; folded into `reply`."""
    body = AnswerBody(head, reply)
    async for piece in pieces:
        body.add(piece)
    return body.events()


def completion_events(body: object) -> tuple[list[StreamEvent], ErrorInfo | None]:
    """The events of a whole `chat.completion` object, as if it had been streamed.

    For servers that ignore `stream: true` and answer `application/json`: choice 0's
    `message` becomes reasoning, content (string or typed parts), refusal and tool calls,
    then usage and the finish reason, so a Reply folds it exactly like a stream.
    """
    if not isinstance(body, dict):
        raise MalformedChunk("the JSON answer is not an object", repr(body))
    err = body.get("error")
    choices = body.get("choices")
    if err is not None and err is not False:
        return [], error_info(err)
    if not isinstance(choices, list):
        keys = ", ".join(sorted(map(str, body))[:8]) or "none"
        raise MalformedChunk(f"the JSON answer is not a chat completion (keys: {keys})")
    out: list[StreamEvent] = []
    reason: object = None
    for choice in choices:
        if isinstance(choice, dict) and choice.get("index", 0) in (0, None):
            message = choice.get("message")
            if not isinstance(message, dict):
                message = choice.get("delta")  # a lone chunk sent as the whole answer
            if isinstance(message, dict):
                _message(message, out)
            reason = choice.get("finish_reason")
            break  # n>1: only choice 0, as when streaming
    usage = reported_usage(body.get("usage"))
    if usage is not None:
        out.append(UsageReport(usage))
    reason = finish_reason(reason)
    if reason is not None:
        out.append(Finish(reason))  # last, as the end of a stream would be
    return out, None


def _message(message: dict[str, object], out: list[StreamEvent]) -> None:
    for key in ("reasoning_content", "reasoning"):
        value = message.get(key)
        if isinstance(value, str) and value:
            out.append(ReasoningDelta(value))
            break
    content = message.get("content")
    if isinstance(content, str):
        if content:
            out.append(ContentDelta(content))
    elif isinstance(content, list):
        content_parts(content, out)
    refusal = message.get("refusal")
    if isinstance(refusal, str) and refusal:
        out.append(ContentDelta(refusal, refusal=True))
    calls = message.get("tool_calls")
    if isinstance(calls, list):
        reader = ChunkReader()
        for position, call in enumerate(calls):
            if isinstance(call, dict):
                if not isinstance(call.get("index"), int):
                    call = {**call, "index": position}  # a whole message lists each call once
                reader.tool_call(call, out)
