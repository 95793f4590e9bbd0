"""A server's unpaired `\\udXXX` escape never reaches a UTF-8 writer.

JSON allows `"\\ud800"`, and Python decodes it to a lone surrogate, which SQLite (and every
other UTF-8 writer) refuses: one such escape in a streamed reply made each save of that reply
raise UnicodeEncodeError, so the reply was never stored and the window stayed on
"streaming". Text from a server is mended to U+FFFD where its JSON is decoded, and storage
mends whatever else reaches it (a tool, a bug) before it binds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from desktopchat.core.models import list_models
from desktopchat.core.request import ChatMessage, ChatRequest
from desktopchat.core.stream import collect
from desktopchat.errors import BadRequestError, ProviderError
from desktopchat.safe_json import mend_tree
from desktopchat.storage.store import HistoryStore
from tests.support.loopback import LoopbackServer, ScriptedResponse

pytestmark = pytest.mark.anyio

HELLO = (ChatMessage("user", "hi"),)
LONE = b"a\\ud800b\\uDFFFc"  # two unpaired escapes (JSON text), upper and lower case
PAIR = b"\\ud83d\\ude00"  # a valid pair: one emoji, kept
SSE = {"Content-Type": "text/event-stream"}


def has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


async def test_stream_text_reasoning_and_tool_calls_are_mended(
    loopback_server: LoopbackServer,
) -> None:
    loopback_server.enqueue(ScriptedResponse(headers=SSE, pieces=[
        b'data: {"choices":[{"delta":{"content":"' + LONE + PAIR + b'"}}]}\n\n',
        b'data: {"choices":[{"delta":{"reasoning_content":"' + LONE + b'"}}]}\n\n',
        b'data: {"choices":[{"delta":{"tool_calls":[{"index":0,"id":"c\\ud800",'
        b'"function":{"name":"f","arguments":"{\\"' + LONE + b'\\": 1}"}}]}}]}\n\n',
        b'data: {"choices":[{"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n',
    ]))  # fmt: skip
    reply = await collect(ChatRequest(loopback_server.url(), HELLO), api_key=None)
    assert reply.content == "a\ufffdb\ufffdc\U0001f600"
    assert reply.reasoning == "a\ufffdb\ufffdc"
    (call,) = reply.tool_calls
    assert call.id == "c\ufffd" and '"a\\ufffdb\\ufffdc"' not in call.arguments
    assert not has_surrogate(call.arguments) and "a\ufffdb" in call.arguments


async def test_a_non_streamed_json_answer_is_mended(loopback_server: LoopbackServer) -> None:
    loopback_server.enqueue(ScriptedResponse(
        headers={"Content-Type": "application/json"},
        pieces=[b'{"choices":[{"message":{"role":"assistant","content":"' + LONE + b'"},'
                b'"finish_reason":"stop"}]}']))  # fmt: skip
    reply = await collect(ChatRequest(loopback_server.url(), HELLO), api_key=None)
    assert reply.content == "a\ufffdb\ufffdc"


async def test_error_messages_are_mended(loopback_server: LoopbackServer) -> None:
    loopback_server.enqueue(ScriptedResponse(status=400, headers={
        "Content-Type": "application/json"},
        pieces=[b'{"error":{"message":"' + LONE + b'"}}']))  # fmt: skip
    with pytest.raises(BadRequestError) as http:
        await collect(ChatRequest(loopback_server.url(), HELLO), api_key=None)
    assert "a\ufffdb\ufffdc" in http.value.message
    loopback_server.enqueue(ScriptedResponse(headers=SSE, pieces=[
        b'event: error\ndata: {"error":{"message":"' + LONE + b'"}}\n\n']))  # fmt: skip
    with pytest.raises(ProviderError) as event:
        await collect(ChatRequest(loopback_server.url(), HELLO), api_key=None)
    assert "a\ufffdb\ufffdc" in event.value.message


async def test_model_names_are_mended(loopback_server: LoopbackServer) -> None:
    loopback_server.enqueue(
        ScriptedResponse(headers={"Content-Type": "application/json"},
                         pieces=[b'{"data":[{"id":"m' + LONE + b'"}]}']),
        path="/v1/models")  # fmt: skip
    models = await list_models(loopback_server.base_url + "/models", api_key=None)
    assert models == ["ma\ufffdb\ufffdc"]


def test_storage_mends_what_reaches_it(tmp_path: Path) -> None:
    store = HistoryStore.open(tmp_path / "history.sqlite3")
    try:
        conversation = store.create_conversation(title="t")
        store.add_user_message(conversation.id, "hi\udc80")
        reply = store.start_assistant_message(conversation.id)
        store.update_assistant_message(
            reply.id, content="so far \ud800", tool_calls=[{"id": "\udfff"}]
        )
        store.finish_assistant_message(
            reply.id,
            state="error",
            content="done \ud800",
            reasoning="r\ud800",
            error="e\ud800",
            usage={"\ud800": 1},
        )
        user, final = store.current_path(conversation.id)
    finally:
        store.close()
    assert user.content == "hi\ufffd"
    assert (final.content, final.reasoning, final.error) == ("done \ufffd", "r\ufffd", "e\ufffd")


def test_mend_tree_handles_deep_values_and_keys() -> None:
    deep: list[object] = ["\ud800"]
    for _ in range(5000):  # deeper than Python's recursion limit
        deep = [deep]
    mended = mend_tree({"k\udc00": deep})
    assert list(mended) == ["k\ufffd"]
    inner = mended["k\ufffd"]
    while isinstance(inner[0], list):
        inner = inner[0]
    assert inner == ["\ufffd"]
