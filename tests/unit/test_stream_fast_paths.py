"""The decoding fast paths give exactly what the plain paths gave.

SSEParser applies the WHATWG field rules inline (no per-line SSEDecoder call) and
Reply.extend folds content without apply(); both are checked against references here.
"""

from __future__ import annotations

from itertools import pairwise

from httpx_sse._decoders import SSEDecoder, SSELineDecoder
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


def reference(pieces: list[bytes]) -> list[RawEvent]:
    """The parser as it was: httpx-sse's SSEDecoder, one decode() call per line."""
    text = b"".join(pieces).decode("utf-8", "replace").removeprefix("\ufeff")
    lines_dec, events = SSELineDecoder(), SSEDecoder()
    out: list[RawEvent] = []
    for line in lines_dec.decode(text) + lines_dec.flush() if text else []:
        sse = events.decode(line)
        if sse is not None and sse.data:
            out.append(RawEvent(sse.event, sse.data))
    sse = events.decode("")
    if sse is not None and sse.data and sse.data.strip() != "[DONE]":
        out.append(RawEvent(sse.event, sse.data, at_eof=True))
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
