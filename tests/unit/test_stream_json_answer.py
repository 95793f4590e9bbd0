"""A server that ignores `stream: true` and answers one application/json chat.completion."""

from __future__ import annotations

import json
from typing import Any

import pytest

from desktopchat.core.answer import completion_events
from desktopchat.core.chunks import MalformedChunk
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
from desktopchat.core.request import ChatMessage, ChatRequest
from desktopchat.core.stream import collect, stream_chat
from desktopchat.errors import (
    InterruptedStreamError,
    MalformedStreamError,
    ProviderError,
    StreamTimeoutError,
)
from tests.support.loopback import LoopbackServer, ScriptedResponse
from tests.support.sse_script import chat_chunk, sse_body

pytestmark = pytest.mark.anyio
JSON = {"Content-Type": "application/json; charset=utf-8"}
USAGE = {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12}


def _req(server: LoopbackServer, **kw: Any) -> ChatRequest:
    return ChatRequest(server.url(), (ChatMessage("user", "hi"),), **kw)


def completion(
    message: dict[str, Any], finish: str | None = "stop", **extra: Any
) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 0,
        "model": "m",
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        **extra,
    }


async def _events(
    server: LoopbackServer, *pieces: bytes, headers: dict[str, str] | None = None, **kw: Any
) -> list[StreamEvent]:
    server.enqueue(ScriptedResponse(headers=headers or JSON, pieces=list(pieces)))
    return [e async for e in stream_chat(_req(server, **kw), api_key=None)]


async def _collect(server: LoopbackServer, *pieces: bytes, **kw: Any) -> Reply:
    server.enqueue(ScriptedResponse(headers=JSON, pieces=list(pieces)))
    return await collect(_req(server, **kw), api_key=None)


async def test_whole_completion_becomes_the_stream_events(loopback_server: LoopbackServer) -> None:
    message = {
        "role": "assistant",
        "reasoning_content": "think first",
        "content": "The answer",
        "tool_calls": [
            {"id": "call_a", "type": "function",
             "function": {"name": "search", "arguments": '{"q": "x"}'}},
            {"id": "call_b", "type": "function",
             "function": {"name": "clock", "arguments": {"tz": "UTC"}}},
        ],
    }  # fmt: skip
    body = json.dumps(completion(message, "tool_calls", usage=USAGE)).encode()
    headers = {**JSON, "X-Conversation-Id": "conv-7"}
    events = await _events(loopback_server, body, headers=headers)
    assert events == [
        ConversationId("conv-7"),
        ReasoningDelta("think first"),
        ContentDelta("The answer"),
        ToolCallDelta(0, "call_a", "search", '{"q": "x"}'),
        ToolCallDelta(1, "call_b", "clock", '{"tz": "UTC"}'),
        UsageReport(USAGE),
        Finish("tool_calls"),
    ]


async def test_collect_folds_it_like_a_stream(loopback_server: LoopbackServer) -> None:
    body = json.dumps(completion({"content": "héllo 😀", "reasoning": "hm"}, usage=USAGE))
    raw = body.encode().replace(b"\\u00e9", "é".encode()).replace(b"\\ud83d\\ude00", "😀".encode())
    cut = raw.index("😀".encode()) + 2  # a UTF-8 character and the JSON split across pieces
    reply = await _collect(loopback_server, b"\xef\xbb\xbf \n", raw[:cut], raw[cut:])
    assert (reply.content, reply.reasoning, reply.usage) == ("héllo 😀", "hm", USAGE)
    assert (reply.finish_reason, reply.done, reply.tool_calls) == ("stop", True, [])


async def test_content_parts_refusal_and_other_choices(loopback_server: LoopbackServer) -> None:
    doc = completion({"content": [{"type": "thinking", "thinking": "why"},
                                  {"type": "text", "text": "a"}, "b"]})  # fmt: skip
    doc["choices"].insert(0, {"index": 1, "message": {"content": "other choice"}})
    doc["choices"].append({"index": 0, "message": {"content": "a second choice 0"}})
    assert await _events(loopback_server, json.dumps(doc).encode()) == [
        ReasoningDelta("why"), ContentDelta("a"), ContentDelta("b"), Finish("stop"),
    ]  # fmt: skip
    refused = completion({"content": None, "refusal": "I can't help with that."})
    reply = await _collect(loopback_server, json.dumps(refused).encode())
    assert (reply.content, reply.refusal) == ("I can't help with that.",) * 2


async def test_no_finish_reason_is_still_complete(loopback_server: LoopbackServer) -> None:
    body = json.dumps(completion({"content": "ok"}, None)).encode()
    reply = await _collect(loopback_server, body)
    assert (reply.content, reply.finish_reason, reply.done) == ("ok", None, True)


async def test_error_object_is_a_provider_error(loopback_server: LoopbackServer) -> None:
    err = {"error": {"message": "model overloaded", "type": "server_error", "code": "busy"}}
    with pytest.raises(ProviderError, match="model overloaded") as info:
        await _collect(loopback_server, json.dumps(err).encode())
    assert (info.value.code, info.value.error_type) == ("busy", "server_error")
    assert info.value.partial is not None and info.value.partial.content == ""


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b'{"choices": [ {"message": nope} ]}', "could not be read"),
        (b'{"id": "x", "object": "list", "data": []}', "keys: data, id, object"),
        (b'{"choices": "all of them"}', "not a chat completion"),
        (b'[{"choices": []}]', "not an object"),
    ],
)
async def test_bad_json_is_malformed(
    loopback_server: LoopbackServer, body: bytes, words: str
) -> None:
    with pytest.raises(MalformedStreamError, match=words) as info:
        await _collect(loopback_server, body)
    assert "JSON" in info.value.message


async def test_cut_off_document_is_interrupted(loopback_server: LoopbackServer) -> None:
    body = json.dumps(completion({"content": "x" * 100})).encode()
    with pytest.raises(InterruptedStreamError, match="ended before"):
        await _collect(loopback_server, body[:60])
    loopback_server.enqueue(ScriptedResponse(headers=JSON, pieces=[body[:60], b"x"], drop_after=1))
    with pytest.raises(InterruptedStreamError, match="connection broke"):
        await collect(_req(loopback_server), api_key=None)


async def test_stall_mid_document_is_idle_timeout(loopback_server: LoopbackServer) -> None:
    body = json.dumps(completion({"content": "slow"})).encode()
    loopback_server.enqueue(ScriptedResponse(headers=JSON, pieces=[body[:20], body[20:]],
                                             stall_after=1))  # fmt: skip
    with pytest.raises(StreamTimeoutError):
        await collect(_req(loopback_server, idle_timeout=0.3), api_key=None)


async def test_sse_labelled_as_json_still_streams(loopback_server: LoopbackServer) -> None:
    body = sse_body(chat_chunk("He"), chat_chunk("llo", finish="stop"))
    reply = await _collect(loopback_server, b"\n", body[:9], body[9:])
    assert (reply.content, reply.finish_reason, reply.done) == ("Hello", "stop", True)


async def test_json_on_an_event_stream_is_still_sse(loopback_server: LoopbackServer) -> None:
    # Only a JSON content type switches modes: a JSON body labelled as SSE is no stream.
    body = json.dumps(completion({"content": "x"})).encode()
    loopback_server.enqueue(ScriptedResponse(pieces=[body]))
    with pytest.raises(InterruptedStreamError):
        await collect(_req(loopback_server), api_key=None)


def test_completion_events_edge_shapes() -> None:
    calls = [
        {"id": "c1", "function": {"name": "f", "arguments": "{}"}},
        {"id": "c2", "index": 5, "function": {"name": "g"}},
    ]
    doc = {"choices": [{"delta": {"tool_calls": calls}}], "usage": "not a dict"}
    events, problem = completion_events(doc)
    assert problem is None
    assert events == [ToolCallDelta(0, "c1", "f", "{}"), ToolCallDelta(5, "c2", "g", "")]
    # Behaviour changed (issue 10): a call that is not an object and an empty `choices`
    # were skipped silently (an empty reply); they are now a malformed answer.
    with pytest.raises(MalformedChunk, match="a tool call is a string"):
        completion_events({"choices": [{"delta": {"tool_calls": [calls[0], "junk"]}}]})
    with pytest.raises(MalformedChunk, match="no choices"):
        completion_events({"choices": []})
    for bad in ([1], "text", None):
        with pytest.raises(MalformedChunk, match="not an object"):
            completion_events(bad)
