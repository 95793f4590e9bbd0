"""SSE event data -> typed chat events (the corpus README's assembly rules).

`ChunkReader` turns each event's data into `StreamEvent`s for choice 0 (with n>1 the
other choices are ignored); `error_info` reads the many shapes of a provider's error
object (also used for HTTP error bodies, core/http.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from desktopchat.core.events import (
    ContentDelta,
    Finish,
    ReasoningDelta,
    StreamEvent,
    ToolCallDelta,
    UsageReport,
)
from desktopchat.core.reported import finish_reason, reported_usage
from desktopchat.safe_json import loads_mended, may_hold_surrogates, mend_tree


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """An error the provider reported inside the stream."""

    message: str
    code: str | int | None = None
    error_type: str | None = None


class MalformedChunk(Exception):
    """A data payload that is not a chat-completions chunk.

    `data` is the payload itself: the stream redacts it (a server may echo the key)
    before it cuts a snippet of it into a message, never the other way round.
    """

    def __init__(self, reason: str, data: str = "",
                 events: list[StreamEvent] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.data = data
        self.events = events or []  # what the payload held before the problem: kept


def kind_of(value: object) -> str:
    """A JSON value's kind, for a message: "a string", "a number", "null", ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object" if isinstance(value, dict) else "a value"


def shown_json(value: object, limit: int = 2000) -> str:
    """`value` as JSON text, at most about `limit` characters (the caller redacts and cuts
    it further: a prefix keeps every key run a shorter prefix would)."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = repr(value)
    return text[:limit]


def error_info(value: object, fallback: str = "The provider reported an error") -> ErrorInfo:
    """Read an `error` value: an object with message/code/type, a string, a list of those,
    or anything else (shown as its JSON, so nothing the server said is lost)."""
    if isinstance(value, dict):
        inner = value.get("error")
        if isinstance(inner, dict | str | list) and inner and "message" not in value:
            return error_info(inner, fallback)
        message = value.get("message") or value.get("detail") or value.get("msg")
        code = value.get("code")
        etype = value.get("type")
        if message and not isinstance(message, str):
            message = shown_json(message)  # an object or a number: its JSON, not Python's repr
        return ErrorInfo(
            message=message if isinstance(message, str) and message else fallback,
            code=code if isinstance(code, str | int) and not isinstance(code, bool) else None,
            error_type=etype if isinstance(etype, str) else None,
        )
    if isinstance(value, str) and value.strip():
        return ErrorInfo(value.strip())
    if isinstance(value, list) and value and isinstance(value[0], dict | str):
        return error_info(value[0], fallback)
    if value is None or isinstance(value, bool) or value in ("", [], {}):
        return ErrorInfo(fallback)
    return ErrorInfo(f"{fallback}: {shown_json(value)}" if fallback else shown_json(value))


_loads = json.loads
_raw_decode = json.JSONDecoder().raw_decode


def _parse(data: str) -> object:
    """json.loads without its per-call overhead on the common, clean payload."""
    try:
        value, end = _raw_decode(data)
    except ValueError:
        value = _loads(data)  # leading whitespace, or really invalid: let loads decide
    else:
        if end != len(data) and data[end:].strip():
            return _loads(data)  # raises with a clear message
    # A lone surrogate escape (which no UTF-8 store accepts) is mended to U+FFFD.
    return mend_tree(value) if may_hold_surrogates(data) else value


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
                payload: object = loads_mended(data)
            except ValueError:
                return [], error_info(data)
            return [], error_info(payload)
        try:
            chunk = _parse(data)
        except (ValueError, RecursionError) as exc:
            if data.strip() == "[DONE]":
                self.done = True
                return [], None
            raise MalformedChunk("not JSON", data) from exc
        if not isinstance(chunk, dict):
            raise MalformedChunk("not a chat-completions chunk", data)
        out: list[StreamEvent] = []
        choices = chunk.get("choices")
        if choices:
            if not isinstance(choices, list):
                raise MalformedChunk("`choices` is not a list", data)
            for choice in choices:
                if choice.__class__ is not dict:
                    raise MalformedChunk(f"a choice is {kind_of(choice)}, not an object", data)
                index = choice.get("index", 0)
                if index.__class__ is not int and index is not None:
                    raise MalformedChunk(f"a choice's `index` is {kind_of(index)}, not a number",
                                         data)
                if index == 0 or index is None:
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
                    try:
                        self._choice(choice, out)
                    except MalformedChunk as exc:
                        raise MalformedChunk(exc.reason, data, out) from None
        usage = reported_usage(chunk.get("usage"))
        if usage is not None:
            out.append(UsageReport(usage))
        err = chunk.get("error")
        if err is not None and err is not False:
            return out, error_info(err)
        return out, None

    def _choice(self, choice: dict[str, object], out: list[StreamEvent]) -> None:
        delta = choice.get("delta")
        if delta is not None:
            self.message(delta, out, "`delta`")
        reason = finish_reason(choice.get("finish_reason"))
        if reason is not None:
            out.append(Finish(reason))

    def message(self, message: object, out: list[StreamEvent], name: str) -> None:
        """A streamed `delta` or a whole answer's `message`: its events, or MalformedChunk
        naming the field of the wrong type (a string where the object should be is kept
        as text first, so no word of it is lost)."""
        if message.__class__ is not dict:
            if isinstance(message, str) and message:
                out.append(ContentDelta(message))
            raise MalformedChunk(f"{name} is {kind_of(message)}, not an object")
        assert isinstance(message, dict)
        for key, value in message.items():  # usually one or two keys: cheaper than .get()s
            if value is None:
                continue
            if key == "content":
                if value.__class__ is str:
                    if value:
                        out.append(ContentDelta(value))
                elif isinstance(value, list):
                    content_parts(value, out)
                else:
                    raise MalformedChunk(f"`content` is {kind_of(value)}, not text")
            elif key == "reasoning_content" or key == "reasoning" or key == "refusal":
                if not isinstance(value, str):
                    raise MalformedChunk(f"`{key}` is {kind_of(value)}, not text")
                if value:
                    out.append(ContentDelta(value, refusal=True) if key == "refusal"
                               else ReasoningDelta(value))
            elif key == "tool_calls":
                if not isinstance(value, list):
                    raise MalformedChunk(f"`tool_calls` is {kind_of(value)}, not a list")
                for call in value:
                    if not isinstance(call, dict):
                        raise MalformedChunk(f"a tool call is {kind_of(call)}, not an object")
                    self.tool_call(call, out)

    def tool_call(self, call: dict[str, object], out: list[StreamEvent]) -> None:
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
        if fn is not None and not isinstance(fn, dict):
            raise MalformedChunk(f"a tool call's `function` is {kind_of(fn)}, not an object")
        if isinstance(fn, dict):
            raw_name = fn.get("name")
            name = raw_name if isinstance(raw_name, str) and raw_name else None
            args = fn.get("arguments")
            if isinstance(args, str):
                arguments = args
            elif isinstance(args, dict | list):
                arguments = json.dumps(args, ensure_ascii=False)
        out.append(ToolCallDelta(key, call_id, name, arguments))


def content_parts(parts: list[object], out: list[StreamEvent]) -> None:
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
