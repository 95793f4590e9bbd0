"""The loopback fixture itself: chunk boundaries, drops, stalls, recording."""

from __future__ import annotations

import httpx
import pytest

from tests.support.loopback import LoopbackServer, ScriptedResponse
from tests.support.sse_script import chat_chunk, sse_body

pytestmark = pytest.mark.anyio


async def test_pieces_arrive_as_sent_and_request_recorded(
    loopback_server: LoopbackServer,
) -> None:
    loopback_server.enqueue(ScriptedResponse(headers={"X-Test": "1"}, pieces=[b"ab", b"cd"]))
    async with (
        httpx.AsyncClient() as client,
        client.stream(
            "POST", loopback_server.url(), json={"a": 1}, headers={"X-Foo": "bar"}
        ) as resp,
    ):
        got = [piece async for piece in resp.aiter_raw()]
    assert resp.headers["x-test"] == "1"
    assert b"".join(got) == b"abcd"
    req = loopback_server.requests[0]
    assert (req.method, req.path) == ("POST", "/v1/chat/completions")
    assert req.headers["x-foo"] == "bar"
    assert req.json() == {"a": 1}


async def test_unqueued_request_gets_clear_500(loopback_server: LoopbackServer) -> None:
    async with httpx.AsyncClient() as client:
        resp = await client.get(loopback_server.url("/models"))
    assert resp.status_code == 500
    assert "no scripted response" in resp.text


async def test_path_routing(loopback_server: LoopbackServer) -> None:
    loopback_server.enqueue(ScriptedResponse(pieces=[b"chat"]), path="/chat/completions")
    loopback_server.enqueue(ScriptedResponse(pieces=[b"models"]), path="/v1/models")
    async with httpx.AsyncClient() as client:
        models = await client.get(loopback_server.url("/models"))
        chat = await client.post(loopback_server.url())
    assert (models.text, chat.text) == ("models", "chat")


async def test_drop_breaks_the_body(loopback_server: LoopbackServer) -> None:
    loopback_server.enqueue(ScriptedResponse(pieces=[b"a", b"b"], drop_after=1))
    async with httpx.AsyncClient() as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post(loopback_server.url())


async def test_stall_ends_when_client_leaves(loopback_server: LoopbackServer) -> None:
    loopback_server.enqueue(ScriptedResponse(pieces=[b"a"], stall_after=1))
    async with httpx.AsyncClient(timeout=httpx.Timeout(5, read=0.2)) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.post(loopback_server.url())
    assert loopback_server.wait_closed(1)


def test_helpers_build_sse() -> None:
    body = sse_body(chat_chunk("hi", finish="stop"))
    assert body.startswith(b"data: {") and body.endswith(b"data: [DONE]\n\n")


def test_stall_released_at_teardown() -> None:
    server = LoopbackServer()
    server.enqueue(ScriptedResponse(pieces=[b"a"], stall_after=0))
    with (
        httpx.Client(timeout=httpx.Timeout(5, read=0.2)) as client,
        client.stream("POST", server.url()) as resp,
    ):
        assert resp.status_code == 200
        server.close()  # must not hang while a response is stalled
