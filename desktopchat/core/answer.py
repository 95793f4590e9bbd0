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
    error_info,
    kind_of,
    shown_json,
)
from desktopchat.core.events import Finish, StreamEvent, UsageReport
from desktopchat.core.limits import JSON_BODY_LIMIT
from desktopchat.core.reply import Reply
from desktopchat.core.reported import finish_reason, reported_usage
from desktopchat.errors import InterruptedStreamError, MalformedStreamError
from desktopchat.redact import redact_truncated
from desktopchat.safe_json import loads_mended

QUOTED = 200  # characters of a bad part of an answer quoted in a message (after redaction)
JSON_SPACE = b"\xef\xbb\xbf \t\r\n"  # a BOM's bytes and JSON whitespace, for sniffing


def is_json(content_type: str | None) -> bool:
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    return kind in ("application/json", "text/json") or kind.endswith("+json")


class AnswerBody:
    """A whole JSON answer gathered piece by piece (capped), then read into events."""

    def __init__(self, head: bytes, reply: Reply, api_key: str | None = None) -> None:
        self._body = bytearray(head)
        self._reply = reply
        self._api_key = api_key  # redacted from what a message quotes

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
            reply.extend(exc.events)  # what the answer held before the bad part: kept
            quoted = redact_truncated(exc.data, QUOTED, self._api_key) if exc.data else ""
            raise MalformedStreamError(
                f"The server answered with JSON instead of a stream, and {exc.reason}"
                + (f" ({quoted})." if quoted else "."),
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
    then usage and the finish reason, so a Reply folds it exactly like a stream. A part of
    the wrong type (a `message` that is a string, a choice that is a list, ...) raises
    MalformedChunk naming it, with what was there (a string is kept as the reply's text).
    """
    if not isinstance(body, dict):
        raise MalformedChunk("the JSON answer is not an object", shown_json(body))
    err = body.get("error")
    choices = body.get("choices")
    if err is not None and err is not False:
        return [], error_info(err)
    if not isinstance(choices, list):
        keys = ", ".join(sorted(map(str, body))[:8]) or "none"
        raise MalformedChunk(f"the JSON answer is not a chat completion (keys: {keys})")
    if not choices:
        raise MalformedChunk("the JSON answer has no choices (`choices` is empty)",
                             shown_json(body))
    for each in choices:
        index = each.get("index", 0) if isinstance(each, dict) else 0
        if index.__class__ is not int and index is not None:
            raise MalformedChunk(f"a choice's `index` is {kind_of(index)}, not a number",
                                 shown_json(each))
    choice = next((c for c in choices
                   if not isinstance(c, dict) or c.get("index", 0) in (0, None)), None)
    if choice is None:
        raise MalformedChunk("the JSON answer has no choice 0", shown_json(choices))
    if not isinstance(choice, dict):
        raise MalformedChunk(f"its choice is {kind_of(choice)}, not an object",
                             shown_json(choice))
    out: list[StreamEvent] = []
    name, message = "`message`", choice.get("message")
    if message is None:
        name, message = "`delta`", choice.get("delta")  # a lone chunk sent as the whole answer
    reason = choice.get("finish_reason")
    if message is None and reason is None:
        raise MalformedChunk("its choice has no `message`", shown_json(choice))
    if message is not None:
        try:
            ChunkReader().message(_indexed(message), out, name)
        except MalformedChunk as exc:
            raise MalformedChunk(f"its {name} is not a chat message: {exc.reason}",
                                 shown_json(message), out) from None
    usage = reported_usage(body.get("usage"))
    if usage is not None:
        out.append(UsageReport(usage))
    reason = finish_reason(reason)
    if reason is not None:
        out.append(Finish(reason))  # last, as the end of a stream would be
    return out, None


def _indexed(message: object) -> object:
    """`message` with an index on each tool call (a whole message lists each call once, and
    some servers leave the index out)."""
    if isinstance(message, dict) and isinstance(message.get("tool_calls"), list):
        calls = [{**call, "index": position}
                 if isinstance(call, dict) and not isinstance(call.get("index"), int) else call
                 for position, call in enumerate(message["tool_calls"])]
        return {**message, "tool_calls": calls}
    return message
