"""What a request sends from a stored branch (no Qt: plain records)."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktopchat.core.history import left_out, request_messages
from desktopchat.core.request import ChatMessage

CALL = {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}


@dataclass
class Row:
    role: str
    content: str
    tool_calls: list[dict[str, object]] = field(default_factory=list)


def test_a_reply_with_tool_calls_is_left_out_and_users_never_repeat() -> None:
    path = [
        Row("system", "be brief"),
        Row("user", "weather?"),
        Row("assistant", "Let me look.", [CALL]),
        Row("tool", '{"t": 18}'),
        Row("user", "well?"),
        Row("assistant", "18 degrees"),
    ]
    assert left_out(path[2]) and not left_out(path[5]) and not left_out(path[1])
    assert request_messages(path) == [
        ChatMessage("system", "be brief"),
        ChatMessage("user", "weather?\n\nwell?"),
        ChatMessage("assistant", "18 degrees"),
    ]


def test_empty_messages_are_skipped_and_split_replies_join() -> None:
    path = [Row("user", "q"), Row("assistant", "first half"), Row("assistant", " rest")]
    assert request_messages(path) == [
        ChatMessage("user", "q"),
        ChatMessage("assistant", "first half rest"),
    ]
    assert request_messages([Row("user", ""), Row("user", "x")]) == [ChatMessage("user", "x")]
