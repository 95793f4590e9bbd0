"""Bytes -> SSE events (httpx-sse's decoder) -> typed chat events (DESIGN.md §3).

httpx-sse's `SSELineDecoder` splits lines per WHATWG (CR, LF, CRLF); `SSEParser` applies
the field rules (comments; `data:` with or without a space; multi-line data; `event:`).
Around them we add what a chat client needs and httpx-sse leaves to the caller:

- bytes are decoded here with an incremental UTF-8 decoder, so a character split
  across network pieces survives, whatever charset the server claims (SSE is UTF-8);
- a leading BOM is dropped and events with empty data are not dispatched (WHATWG);
- at end of body, an event that lacks its closing blank line is still read if it is
  a complete JSON chunk (so the last words are not lost), but a bare `[DONE]` there is
  not counted as one (the corpus's `undispatched_tail` rule).

`ChunkReader` turns each event's data into `StreamEvent`s for choice 0 (with n>1 the
other choices are ignored), following the corpus README's assembly rules.
"""

from __future__ import annotations

import codecs
import json
from dataclasses import dataclass
from typing import Any, NamedTuple

from httpx_sse._decoders import SSELineDecoder

from desktopchat.core.events import (
    ContentDelta,
    Finish,
    ReasoningDelta,
    StreamEvent,
    ToolCallDelta,
    UsageReport,
)


class RawEvent(NamedTuple):
    event: str
    data: str
    at_eof: bool = False  # dispatched only because the body ended


_new_raw = tuple.__new__  # RawEvent(...) goes through a Python-level __new__; this does not


class SSEParser:
    """Feed body pieces, get complete SSE events; `close()` returns a trailing event.

    The WHATWG field rules are applied inline rather than through httpx-sse's
    `SSEDecoder.decode` (one Python call per line, two lines per chunk): on a fast local
    server that call was the biggest single cost of decoding. `id` and `retry` are
    parsed and ignored, as before (we never reconnect).
    """

    __slots__ = ("_data", "_event", "_lines", "_started", "_utf8")

    def __init__(self) -> None:
        self._utf8 = codecs.getincrementaldecoder("utf-8")("replace")
        self._lines = SSELineDecoder()
        self._started = False
        self._event = ""
        self._data: list[str] = []

    def feed(self, data: bytes) -> list[RawEvent]:
        text = self._utf8.decode(data)
        if not text:
            return []
        if not self._started:
            self._started = True
            if text[0] == "\ufeff":
                text = text[1:]
                if not text:
                    return []
        return self._dispatch(self._lines.decode(text))

    def close(self) -> list[RawEvent]:
        tail = self._utf8.decode(b"", final=True)
        lines = self._lines.decode(tail) if tail else []
        lines += self._lines.flush()
        out = self._dispatch(lines)
        data = "\n".join(self._data)  # an event still open when the body ended
        self._data = []
        if data and data.strip() != "[DONE]":
            out.append(RawEvent(self._event or "message", data, at_eof=True))
        return out

    def _dispatch(self, lines: list[str]) -> list[RawEvent]:
        out: list[RawEvent] = []
        event = self._event
        data = self._data
        for line in lines:
            if not line:  # blank line: dispatch (unless the data buffer is empty) and reset
                if data:
                    joined = data[0] if len(data) == 1 else "\n".join(data)
                    if joined:
                        out.append(_new_raw(RawEvent, (event or "message", joined, False)))
                    data = []
                event = ""
            elif line[:6] == "data: ":  # the usual shape, without partition()
                data.append(line[6:])
            elif line[0] != ":":  # ":" starts a comment
                name, _, value = line.partition(":")
                if value[:1] == " ":
                    value = value[1:]
                if name == "data":
                    data.append(value)
                elif name == "event":
                    event = value
        self._event = event
        self._data = data
        return out


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """An error the provider reported inside the stream."""

    message: str
    code: str | int | None = None
    error_type: str | None = None


class MalformedChunk(Exception):
    """A data payload that is not a chat-completions chunk."""


def error_info(value: object, fallback: str = "The provider reported an error") -> ErrorInfo:
    """Read an `error` value: an object with message/code/type, a string, or anything else."""
    if isinstance(value, dict):
        inner = value.get("error")
        if isinstance(inner, dict | str) and "message" not in value:
            return error_info(inner, fallback)
        message = value.get("message") or value.get("detail") or value.get("msg")
        code = value.get("code")
        etype = value.get("type")
        return ErrorInfo(
            message=str(message) if message else fallback,
            code=code if isinstance(code, str | int) and not isinstance(code, bool) else None,
            error_type=etype if isinstance(etype, str) else None,
        )
    if isinstance(value, str) and value.strip():
        return ErrorInfo(value.strip())
    return ErrorInfo(fallback)


_loads = json.loads
_raw_decode = json.JSONDecoder().raw_decode


def _parse(data: str) -> Any:
    """json.loads without its per-call overhead on the common, clean payload."""
    try:
        value, end = _raw_decode(data)
    except ValueError:
        return _loads(data)  # leading whitespace, or really invalid: let loads decide
    if end != len(data) and data[end:].strip():
        return _loads(data)  # raises with a clear message
    return value


class ChunkReader:
    """Turns SSE data payloads into events; remembers tool-call keys and [DONE]."""

    __slots__ = ("_last_tool", "_max_key", "_tool_ids", "done")

    def __init__(self) -> None:
        self.done = False
        self._tool_ids: set[str] = set()
        self._last_tool: int | None = None
        self._max_key = -1

    def read(self, event: str, data: str) -> tuple[list[StreamEvent], ErrorInfo | None]:
        """Events from one SSE event, and the provider error it carried, if any."""
        if event == "error":
            try:
                payload: Any = _loads(data)
            except ValueError:
                return [], error_info(data)
            return [], error_info(payload)
        try:
            chunk = _parse(data)
        except (ValueError, RecursionError) as exc:
            if data.strip() == "[DONE]":
                self.done = True
                return [], None
            raise MalformedChunk(f"not JSON: {_snippet(data)}") from exc
        if not isinstance(chunk, dict):
            raise MalformedChunk(f"not a chat-completions chunk: {_snippet(data)}")
        out: list[StreamEvent] = []
        choices = chunk.get("choices")
        if choices:
            if not isinstance(choices, list):
                raise MalformedChunk(f"`choices` is not a list: {_snippet(data)}")
            for choice in choices:
                if choice.__class__ is dict and choice.get("index", 0) in (0, None):
                    delta = choice.get("delta")
                    # The usual chunk, `{"content": "..."}` and no finish: skip _choice.
                    if (
                        delta.__class__ is dict
                        and len(delta) == 1
                        and choice.get("finish_reason") is None
                    ):
                        text = delta.get("content")
                        if text.__class__ is str:
                            if text:
                                out.append(ContentDelta(text))
                            continue
                    self._choice(choice, out)
        usage = chunk.get("usage")
        if isinstance(usage, dict):
            out.append(UsageReport(usage))
        err = chunk.get("error")
        if err is not None and err is not False:
            return out, error_info(err)
        return out, None

    def _choice(self, choice: dict[str, Any], out: list[StreamEvent]) -> None:
        delta = choice.get("delta")
        if delta.__class__ is dict:
            for key, value in delta.items():  # usually one or two keys: cheaper than .get()s
                if value is None:
                    continue
                if key == "content":
                    if value.__class__ is str:
                        if value:
                            out.append(ContentDelta(value))
                    elif isinstance(value, list):
                        _parts(value, out)
                elif key == "reasoning_content" or key == "reasoning":
                    if isinstance(value, str) and value:
                        out.append(ReasoningDelta(value))
                elif key == "refusal":
                    if isinstance(value, str) and value:
                        out.append(ContentDelta(value, refusal=True))
                elif key == "tool_calls" and isinstance(value, list):
                    for call in value:
                        if isinstance(call, dict):
                            self._tool_call(call, out)
        reason = choice.get("finish_reason")
        if reason and isinstance(reason, str):
            out.append(Finish(reason))

    def _tool_call(self, call: dict[str, Any], out: list[StreamEvent]) -> None:
        raw_id = call.get("id")
        call_id = raw_id if isinstance(raw_id, str) and raw_id else None
        index = call.get("index")
        if isinstance(index, int) and not isinstance(index, bool):
            key = index
        elif call_id is not None and call_id not in self._tool_ids:
            key = self._max_key + 1  # no index (Mistral): an unseen id starts a new call
        else:
            key = self._last_tool if self._last_tool is not None else 0
        if call_id is not None:
            self._tool_ids.add(call_id)
        self._last_tool = key
        if key > self._max_key:
            self._max_key = key
        fn = call.get("function")
        name: str | None = None
        arguments = ""
        if isinstance(fn, dict):
            raw_name = fn.get("name")
            name = raw_name if isinstance(raw_name, str) and raw_name else None
            args = fn.get("arguments")
            if isinstance(args, str):
                arguments = args
            elif isinstance(args, dict | list):
                arguments = json.dumps(args, ensure_ascii=False)
        out.append(ToolCallDelta(key, call_id, name, arguments))


def completion_events(body: object) -> tuple[list[StreamEvent], ErrorInfo | None]:
    """The events of a whole `chat.completion` object, as if it had been streamed.

    For servers that ignore `stream: true` and answer `application/json`: choice 0's
    `message` becomes reasoning, content (string or typed parts), refusal and tool calls,
    then usage and the finish reason, so a Reply folds it exactly like a stream.
    """
    if not isinstance(body, dict):
        raise MalformedChunk(f"the JSON answer is not an object: {_snippet(repr(body))}")
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
    usage = body.get("usage")
    if isinstance(usage, dict):
        out.append(UsageReport(usage))
    if reason and isinstance(reason, str):
        out.append(Finish(reason))  # last, as the end of a stream would be
    return out, None


def _message(message: dict[str, Any], out: list[StreamEvent]) -> None:
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
        _parts(content, out)
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
                reader._tool_call(call, out)


def _parts(parts: list[Any], out: list[StreamEvent]) -> None:
    """Typed content parts: text -> content; thinking (Mistral) -> reasoning."""
    for part in parts:
        if isinstance(part, str):
            if part:
                out.append(ContentDelta(part))
            continue
        if not isinstance(part, dict):
            continue
        kind = part.get("type")
        if kind == "text":
            text = part.get("text")
            if isinstance(text, str) and text:
                out.append(ContentDelta(text))
        elif kind == "thinking":
            inner = part.get("thinking")
            if isinstance(inner, str) and inner:
                out.append(ReasoningDelta(inner))
            elif isinstance(inner, list):
                for sub in inner:
                    text = sub.get("text") if isinstance(sub, dict) else None
                    if isinstance(text, str) and text:
                        out.append(ReasoningDelta(text))


def _snippet(text: str, limit: int = 120) -> str:
    text = text.strip()
    return repr(text if len(text) <= limit else text[:limit] + "…")
