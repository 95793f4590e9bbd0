"""The decoding fast paths give exactly what the plain paths gave.

SSEParser splits lines itself and applies the WHATWG field rules inline, and
Reply.extend folds content without apply(); both are checked against references here:
the parser against httpx-sse's public EventSource, on bodies cut at arbitrary places
(a CR at the end of one piece and its LF at the start of the next included).
"""

from __future__ import annotations

from itertools import pairwise

import httpx
from httpx_sse import EventSource
from hypothesis import given, settings
from hypothesis import strategies as st

from desktopchat.core.events import (
    ContentDelta,
    ConversationId,
    Finish,
    ReasoningDelta,
    StreamEvent,
    ToolCallDelta,
    UsageReport,
)
from desktopchat.core.reply import Reply
from desktopchat.core.sse import RawEvent, SSEParser


def _public_events(body: bytes) -> list[RawEvent]:
    response = httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body)
    return [RawEvent(e.event, e.data) for e in EventSource(response).iter_sse() if e.data]


def reference(pieces: list[bytes]) -> list[RawEvent]:
    """httpx-sse's public EventSource over the whole body.

    It does not dispatch an event the body leaves open, so that event (our `at_eof`
    one) is what the same body closed by a blank line adds.
    """
    body = b"".join(pieces).removeprefix("\ufeff".encode())
    out = _public_events(body)
    closed = _public_events(body + b"\n\n")
    if len(closed) > len(out) and closed[-1].data.strip() != "[DONE]":
        out.append(closed[-1]._replace(at_eof=True))
    return out


def ours(pieces: list[bytes]) -> list[RawEvent]:
    parser = SSEParser()
    out: list[RawEvent] = []
    for piece in pieces:
        out += parser.feed(piece)
    return out + parser.close()


LINE = st.sampled_from(
    [
        "data: {\"a\": 1}", "data:x", "data:  two spaces", "data", "data:", "data: [DONE]  ",
        "event: error", "event:ping", "event", "id: 7", "id", "retry: 5", ": comment", ":",
        "unknown: field", "datax: no", " data: leading space", "data: é😀世", "", "", "",
    ]
)  # fmt: skip
EOL = st.sampled_from(["\n", "\r\n", "\r"])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(LINE, EOL), max_size=25),
    st.booleans(),
    st.booleans(),
    st.lists(st.integers(0, 400), max_size=12),
)
def test_inline_field_rules_match_httpx_sse(
    lines: list[tuple[str, str]], bom: bool, cut_last_eol: bool, cuts: list[int]
) -> None:
    text = "".join(line + eol for line, eol in lines)
    if cut_last_eol and lines:
        text = text[: -len(lines[-1][1])]  # the body ends mid-line
    body = ("\ufeff" if bom else "").encode() + text.encode()
    bounds = sorted({0, len(body), *(c for c in cuts if c <= len(body))})
    pieces = [body[a:b] for a, b in pairwise(bounds)]
    assert ours(pieces) == reference([body])


def test_event_type_resets_after_each_dispatch() -> None:
    body = b"event: error\ndata: a\n\ndata: b\n\nevent: x\n\ndata: c\n\n"
    assert ours([body]) == [
        RawEvent("error", "a"),
        RawEvent("message", "b"),
        RawEvent("message", "c"),
    ]


EVENTS: list[StreamEvent] = [
    ConversationId("c"),
    ContentDelta("a"),
    ContentDelta(""),
    ReasoningDelta("r"),
    ContentDelta("no", refusal=True),
    ToolCallDelta(0, "id", "f", "{"),
    ToolCallDelta(0, None, None, "}"),
    ContentDelta("b"),
    UsageReport({"total_tokens": 3}),
    Finish("stop"),
]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(EVENTS), max_size=30), st.integers(0, 30))
def test_extend_equals_apply(events: list[StreamEvent], read_at: int) -> None:
    one, many = Reply(), Reply()
    for event in events:
        one.apply(event)
    many.extend(events[:read_at])
    _ = many.content  # reading in between joins the pieces; later deltas must still land
    many.extend(events[read_at:])
    for reply in (one, many):
        assert reply.events == len(events)
    assert (many.content, many.reasoning, many.refusal) == (one.content, one.reasoning, one.refusal)
    assert many.tool_calls_json() == one.tool_calls_json()
    assert (many.usage, many.finish_reason, many.conversation_id) == (
        one.usage,
        one.finish_reason,
        one.conversation_id,
    )


def test_line_splitter_whatwg_line_ends_across_pieces() -> None:
    from desktopchat.core.sse import LineSplitter

    lines = LineSplitter()
    assert lines.split("a\r") == ["a"]
    assert lines.split("\nb\n") == ["b"]  # the LF completes the CRLF: not an empty line
    assert lines.split("c\r") == ["c"]
    assert lines.split("\r") == [""]  # a second CR is a line end of its own: a blank line
    assert lines.split("d") == [] and lines.split("e\r\nf") == ["de"]
    assert lines.flush() == ["f"]
