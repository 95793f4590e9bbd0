"""Issue 10: every JSON the app reads from a server is checked for its shape. A part of
the wrong type (a `message` that is a string, a choice that is a list, a model list of
numbers, an error that is a number) is a readable error that says what was there, never
an empty reply or a silently empty list. Through the real loopback server."""

from __future__ import annotations

import json
from typing import Any

import pytest

from desktopchat.core.models import list_models
from desktopchat.core.request import ChatMessage, ChatRequest
from desktopchat.core.stream import collect
from desktopchat.errors import BadRequestError, MalformedStreamError, ProviderError
from tests.support.loopback import LoopbackServer, ScriptedResponse
from tests.support.sse_script import chat_chunk, sse_body

pytestmark = pytest.mark.anyio
JSON = {"Content-Type": "application/json"}
SSE = {"Content-Type": "text/event-stream"}
KEY = "sk-shape-7Qx2Lm9Vb4Rt8Wz1Kp6Yd3Hn"


def _req(server: LoopbackServer) -> ChatRequest:
    return ChatRequest(server.url(), (ChatMessage("user", "hi"),))


def answer(choice: Any, **extra: Any) -> bytes:
    return json.dumps({"id": "x", "object": "chat.completion", "choices": [choice],
                       **extra}).encode()


@pytest.mark.parametrize(("choice", "words", "kept"), [
    ({"index": 0, "message": f"Hello there {KEY}", "finish_reason": "stop"},
     "`message` is not a chat message: `message` is a string, not an object",
     "Hello there [redacted]"),
    ({"index": 0, "message": ["a", "b"]}, "`message` is a list", ""),
    ({"index": 0, "message": {"content": 42}}, "`content` is a number, not text", ""),
    ({"index": 0, "message": {"content": "kept", "reasoning_content": {"x": 1}}},
     "`reasoning_content` is an object, not text", "kept"),
    ({"index": 0, "message": {"content": "kept", "tool_calls": {"id": "c"}}},
     "`tool_calls` is an object, not a list", "kept"),
    ({"index": 0, "message": {"tool_calls": [{"id": "c", "function": "f()"}]}},
     "`function` is a string", ""),
    ({"index": 0, "finish_reason": None}, "no `message`", ""),
    ("just text", "its choice is a string, not an object", ""),
    ([{"message": {"content": "x"}}], "its choice is a list", ""),
    ({"index": "0", "message": {"content": "x"}}, "`index` is a string, not a number", ""),
])  # fmt: skip
async def test_a_whole_answer_of_the_wrong_shape_is_malformed(
        loopback_server: LoopbackServer, choice: Any, words: str, kept: str) -> None:
    loopback_server.enqueue(ScriptedResponse(headers=JSON, pieces=[answer(choice)]))
    with pytest.raises(MalformedStreamError) as info:
        await collect(_req(loopback_server), api_key=KEY)
    message = info.value.message
    assert message.startswith("The server answered with JSON instead of a stream, and ")
    assert words in message and KEY[5:] not in message
    assert "(" in message  # what was there is quoted
    assert info.value.partial is not None and info.value.partial.content == kept.replace(
        "[redacted]", KEY)  # the reply keeps the text; storage scrubs it (Reply.storable)
    assert info.value.partial.storable(KEY)["content"] == kept


async def test_empty_choices_and_no_choice_0_are_malformed(
        loopback_server: LoopbackServer) -> None:
    loopback_server.enqueue(ScriptedResponse(headers=JSON, pieces=[
        json.dumps({"choices": [], "usage": {"total_tokens": 3}}).encode()]))
    with pytest.raises(MalformedStreamError, match="has no choices"):
        await collect(_req(loopback_server), api_key=None)
    loopback_server.enqueue(ScriptedResponse(headers=JSON, pieces=[
        answer({"index": 2, "message": {"content": "other"}})]))
    with pytest.raises(MalformedStreamError, match="no choice 0") as info:
        await collect(_req(loopback_server), api_key=None)
    assert '"other"' in info.value.message


@pytest.mark.parametrize(("chunk", "words", "kept"), [
    ({"choices": [{"index": 0, "delta": "streamed words"}]}, "`delta` is a string",
     "before streamed words"),
    ({"choices": [["x"]]}, "a choice is a list, not an object", "before "),
    ({"choices": [{"delta": {"content": True}}]}, "`content` is true/false", "before "),
    ({"choices": [{"delta": {"tool_calls": ["junk"]}}]}, "a tool call is a string", "before "),
    ({"choices": [{"index": "0", "delta": {"content": "x"}}]}, "`index` is a string", "before "),
])  # fmt: skip
async def test_a_stream_chunk_of_the_wrong_shape_is_malformed(
        loopback_server: LoopbackServer, chunk: Any, words: str, kept: str) -> None:
    loopback_server.enqueue(ScriptedResponse(headers=SSE, pieces=[
        sse_body(chat_chunk("before "), done=False), sse_body(chunk, done=False),
        sse_body(chat_chunk("after", finish="stop"))]))
    with pytest.raises(MalformedStreamError, match="not a chat-completions stream") as info:
        await collect(_req(loopback_server), api_key=None)
    assert words in info.value.message
    assert info.value.partial is not None and info.value.partial.content == kept


@pytest.mark.parametrize(("body", "words"), [
    ({"data": "gpt-4o"}, "its model list is a string, not a list: \"gpt-4o\""),
    ({"data": [1, 2, 3]}, "none of its 3 entries names a model (the first is a number: 1)"),
    ({"models": [{"id": 7}]}, "the first is an object: {\"id\": 7}"),
    ([None], "the first is null"),
])  # fmt: skip
async def test_a_model_list_of_the_wrong_shape_says_what_was_there(
        loopback_server: LoopbackServer, body: Any, words: str) -> None:
    loopback_server.enqueue(ScriptedResponse(headers=JSON, pieces=[json.dumps(body).encode()]),
                            path="/models")
    with pytest.raises(MalformedStreamError, match="could not be read") as info:
        await list_models(loopback_server.url("/models"), api_key=None)
    assert words in info.value.message


async def test_a_model_list_keeps_its_good_entries(loopback_server: LoopbackServer) -> None:
    body = {"data": [1, {"id": "b"}, "a", {"id": None}]}
    loopback_server.enqueue(ScriptedResponse(headers=JSON, pieces=[json.dumps(body).encode()]),
                            path="/models")
    assert await list_models(loopback_server.url("/models"), api_key=None) == ["a", "b"]


@pytest.mark.parametrize(("error", "words", "http_words"), [
    (42, "The provider reported an error: 42", '(HTTP 400 Bad Request): {"error": 42}'),
    ({"message": {"reason": "quota", "left": 0}}, '{"reason": "quota", "left": 0}', None),
    ([{"message": "first of a list"}], "first of a list", None),
])  # fmt: skip
async def test_an_error_of_an_odd_shape_keeps_its_words(
        loopback_server: LoopbackServer, error: Any, words: str, http_words: str | None) -> None:
    body = json.dumps({"error": error}).encode()
    loopback_server.enqueue(ScriptedResponse(headers=JSON, pieces=[body]))  # 200, whole answer
    with pytest.raises(ProviderError) as info:
        await collect(_req(loopback_server), api_key=None)
    assert words in info.value.message
    loopback_server.enqueue(ScriptedResponse(headers=SSE, pieces=[
        sse_body(chat_chunk("x"), done=False), b"data: " + body + b"\n\n"]))  # mid-stream
    with pytest.raises(ProviderError) as info:
        await collect(_req(loopback_server), api_key=None)
    assert words in info.value.message
    loopback_server.enqueue(ScriptedResponse(status=400, headers=JSON, pieces=[body]))
    with pytest.raises(BadRequestError) as info:
        await collect(_req(loopback_server), api_key=None)
    assert (http_words or words) in info.value.message


async def test_a_long_json_error_message_is_cut_after_redaction(
        loopback_server: LoopbackServer) -> None:
    said = "y" * 3995 + KEY + " tail" * 2000
    loopback_server.enqueue(ScriptedResponse(status=400, headers=JSON, pieces=[
        json.dumps({"error": {"message": said}}).encode()]))
    with pytest.raises(BadRequestError) as info:
        await collect(_req(loopback_server), api_key=KEY)
    message = info.value.message
    assert len(message) < 4200 and message.endswith("…") and KEY[:8] not in message
