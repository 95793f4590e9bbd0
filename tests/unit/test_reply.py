"""Reply folding."""

from __future__ import annotations

from desktopchat.core.events import (
    ContentDelta,
    ConversationId,
    Finish,
    ReasoningDelta,
    ToolCallDelta,
    UsageReport,
)
from desktopchat.core.reply import Reply


def test_folds_every_event_kind() -> None:
    reply = Reply()
    for event in (
        ConversationId("c"),
        ReasoningDelta("think"),
        ContentDelta("Hel"),
        ContentDelta("lo"),
        ToolCallDelta(1, "id1", "f", '{"a"'),
        ToolCallDelta(1, "id1", "f", ": 1}"),
        ToolCallDelta(0, "id0", "g", "{}"),
        UsageReport({"total_tokens": 3}),
        Finish("tool_calls"),
    ):
        reply.apply(event)
    assert (reply.content, reply.reasoning) == ("Hello", "think")
    assert reply.conversation_id == "c"
    assert reply.usage == {"total_tokens": 3}
    assert reply.finish_reason == "tool_calls"
    assert reply.has_output
    assert reply.tool_calls_json() == [
        {"id": "id0", "type": "function", "function": {"name": "g", "arguments": "{}"}},
        {"id": "id1", "type": "function", "function": {"name": "f", "arguments": '{"a": 1}'}},
    ]


def test_hundred_thousand_deltas_read_while_growing() -> None:
    reply = Reply()
    for i in range(100_000):
        reply.apply(ContentDelta("x"))
        if i % 10_000 == 0:
            assert len(reply.content) == i + 1
    assert reply.content == "x" * 100_000


def test_refusal_is_content_and_tracked() -> None:
    reply = Reply()
    reply.apply(ContentDelta("No.", refusal=True))
    assert (reply.content, reply.refusal) == ("No.", "No.")
