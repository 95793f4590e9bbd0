"""Stored branches -> request messages, tool turns included."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from desktopchat.core.history import request_messages
from desktopchat.core.request import ChatMessage, ChatRequest


@dataclass(frozen=True)
class Row:
    role: str
    content: str
    tool_calls: list[dict[str, Any]] = field(default_factory=list)


def call(call_id: str, name: str = "add", arguments: str = "{}") -> dict[str, Any]:
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}


def test_answered_calls_go_out_with_their_results_in_call_order() -> None:
    path = [
        Row("user", "add and echo"),
        Row("assistant", "", [call("c1"), call("c2", "echo")]),
        Row("tool", "hi", [{"id": "c2", "name": "echo"}]),
        Row("tool", "3", [{"id": "c1", "name": "add"}]),
        Row("assistant", "3 and hi"),
    ]
    messages = request_messages(path)
    assert [m.role for m in messages] == ["user", "assistant", "tool", "tool", "assistant"]
    assert messages[1].tool_calls == (call("c1"), call("c2", "echo"))
    assert (messages[2].tool_call_id, messages[2].content) == ("c1", "3")
    assert (messages[3].tool_call_id, messages[3].content) == ("c2", "hi")
    wire = ChatRequest(url="http://127.0.0.1/v1/chat/completions", messages=tuple(messages)).body()
    assert wire["messages"][1] == {"role": "assistant", "content": None,
                                   "tool_calls": [call("c1"), call("c2", "echo")]}
    assert wire["messages"][2] == {"role": "tool", "content": "3", "tool_call_id": "c1"}


def test_a_reply_whose_calls_are_not_all_answered_is_left_out() -> None:
    path = [
        Row("user", "weather?"),
        Row("assistant", "Let me look.", [call("c1", "get_weather"), call("c2")]),
        Row("tool", "sunny", [{"id": "c1"}]),
        Row("user", "never mind"),
    ]
    assert request_messages(path) == [ChatMessage("user", "weather?\n\nnever mind")]


def test_call_ids_repeated_by_later_turns_pair_with_their_own_results() -> None:
    path = [
        Row("user", "twice"),
        Row("assistant", "", [call("call_0")]),
        Row("tool", "first", [{"id": "call_0"}]),
        Row("assistant", "", [call("call_0")]),
        Row("tool", "second", [{"id": "call_0"}]),
    ]
    contents = [m.content for m in request_messages(path) if m.role == "tool"]
    assert contents == ["first", "second"]


def test_stored_tool_results_make_a_complete_request(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from desktopchat.storage.store import HistoryStore

    with HistoryStore.open(tmp_path / "history.sqlite3") as store:
        conversation = store.create_conversation(profile="p", model="m")
        store.add_user_message(conversation.id, "add 1 and 2, echo hi")
        reply = store.start_assistant_message(conversation.id)
        store.finish_assistant_message(reply.id, state="complete", content="",
                                       tool_calls=[call("c1"), call("c2", "echo")],
                                       finish_reason="tool_calls")
        second = store.add_tool_result(conversation.id, reply.id, call_id="c2", name="echo",
                                       content="hi", details={"decision": "always"})
        store.add_tool_result(conversation.id, second.id, call_id="c1", name="add",
                              content="3", details={"decision": "run"})
        path = store.current_path(conversation.id)
        assert [m.role for m in path] == ["user", "assistant", "tool", "tool"]
        assert path[2].tool_calls == [{"decision": "always", "id": "c2", "name": "echo"}]
        messages = request_messages(path)
        assert [(m.role, m.tool_call_id, m.content) for m in messages[2:]] == [
            ("tool", "c1", "3"), ("tool", "c2", "hi")]
        assert second.id in [h.message_id for h in store.search("hi")]  # results are searchable
