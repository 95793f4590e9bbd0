"""stream_chat over the loopback server: hand-written SSE cases, HTTP errors, faults."""

from __future__ import annotations

import json

import anyio
import httpx
import pytest

from desktopchat.core import stream as stream_mod
from desktopchat.core.events import ContentDelta, ConversationId, Finish
from desktopchat.core.reply import Reply
from desktopchat.core.request import ChatMessage, ChatRequest
from desktopchat.core.stream import collect, stream_chat
from desktopchat.errors import (
    AuthError,
    InsecureTransportError,
    InterruptedStreamError,
    MalformedStreamError,
    NetworkError,
    ProviderError,
    RateLimitError,
    ServerError,
    StreamTimeoutError,
)
from tests.support.loopback import LoopbackServer, ScriptedResponse, unused_port
from tests.support.sse_script import chat_chunk, sse_body

pytestmark = pytest.mark.anyio
KEY = "sk-secret-key-1234"
MSGS = (ChatMessage("user", "hi"),)


def _req(server: LoopbackServer, **kw: object) -> ChatRequest:
    return ChatRequest(server.url(), MSGS, **kw)  # type: ignore[arg-type]


def _data(text: str, finish: str | None = None) -> str:
    return json.dumps(chat_chunk(text, finish=finish))


async def _collect(server: LoopbackServer, *pieces: bytes, **kw: object) -> Reply:
    server.enqueue(ScriptedResponse(pieces=list(pieces)))
    return await collect(_req(server, **kw), api_key=KEY)


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
async def test_line_endings(loopback_server: LoopbackServer, eol: str) -> None:
    body = f"data: {_data('a')}{eol}{eol}: comment{eol}data:{_data('b', 'stop')}{eol}{eol}"
    body += f"data: [DONE]{eol}{eol}"
    reply = await _collect(loopback_server, body.encode())
    assert (reply.content, reply.finish_reason, reply.done) == ("ab", "stop", True)


async def test_multiline_data_and_other_event_names(loopback_server: LoopbackServer) -> None:
    chunk = chat_chunk("multi", finish="stop")
    lines = json.dumps(chunk, indent=1).split("\n")
    body = "event: ping\ndata: \n\n" + "".join(f"data: {line}\n" for line in lines) + "\n"
    body += "event: message\nid: 7\nretry: 10\ndata: [DONE]   \n\n"
    reply = await _collect(loopback_server, body.encode())
    assert (reply.content, reply.done) == ("multi", True)


async def test_utf8_character_split_across_pieces(loopback_server: LoopbackServer) -> None:
    body = sse_body(chat_chunk("héllo 😀 世界", finish="stop"))
    raw = body.replace(b"\\u00e9", "é".encode()).replace(b"\\ud83d\\ude00", "😀".encode())
    raw = raw.replace(b"\\u4e16\\u754c", "世界".encode())
    cut = raw.index("😀".encode()) + 2
    reply = await _collect(loopback_server, raw[:cut], raw[cut:])
    assert reply.content == "héllo 😀 世界"


async def test_final_event_without_blank_line(loopback_server: LoopbackServer) -> None:
    body = f"data: {_data('a')}\n\ndata: {_data('b', 'stop')}"
    reply = await _collect(loopback_server, body.encode())
    assert (reply.content, reply.finish_reason, reply.done) == ("ab", "stop", False)


async def test_bitseek_close_without_done_after_finish(loopback_server: LoopbackServer) -> None:
    body = sse_body(chat_chunk("Hi"), chat_chunk(None, finish="stop"), done=False)
    reply = await _collect(loopback_server, body)
    assert (reply.content, reply.finish_reason, reply.done) == ("Hi", "stop", False)


async def test_zeebee_error_event(loopback_server: LoopbackServer) -> None:
    err = {"error": {"message": "Error message", "type": "error_type", "code": "error_code"}}
    body = sse_body(chat_chunk("partial"), err)
    with pytest.raises(ProviderError) as info:
        await _collect(loopback_server, body)
    e = info.value
    assert (e.code, e.error_type) == ("error_code", "error_type")
    assert "Error message" in e.message and e.partial.content == "partial"


async def test_event_error_with_plain_text(loopback_server: LoopbackServer) -> None:
    with pytest.raises(ProviderError, match="upstream exploded"):
        await _collect(loopback_server, b"event: error\ndata: upstream exploded\n\n")


async def test_conversation_id_header_comes_first(loopback_server: LoopbackServer) -> None:
    body = sse_body(chat_chunk("x", finish="stop"))
    loopback_server.enqueue(ScriptedResponse(headers={"X-Conversation-Id": "c-9"}, pieces=[body]))
    events = [e async for e in stream_chat(_req(loopback_server), api_key=None)]
    assert events[0] == ConversationId("c-9")
    assert events[1:] == [ContentDelta("x"), Finish("stop")]


async def test_malformed_json_keeps_partial(loopback_server: LoopbackServer) -> None:
    body = sse_body(chat_chunk("ok"), done=False) + b"data: {not json\n\n"
    with pytest.raises(MalformedStreamError) as info:
        await _collect(loopback_server, body)
    assert info.value.partial.content == "ok"


async def test_401_json(loopback_server: LoopbackServer) -> None:
    body = json.dumps({"error": {"message": f"Bad key {KEY}", "code": "invalid_api_key"}})
    loopback_server.enqueue(
        ScriptedResponse(401, {"Content-Type": "application/json"}, [body.encode()])
    )
    with pytest.raises(AuthError) as info:
        await collect(_req(loopback_server), api_key=KEY)
    assert info.value.status == 401 and info.value.code == "invalid_api_key"
    assert KEY not in str(info.value) and KEY not in repr(info.value)
    assert "Bad key" in info.value.message


async def test_502_html_from_proxy(loopback_server: LoopbackServer) -> None:
    page = b"<html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>"
    loopback_server.enqueue(ScriptedResponse(502, {"Content-Type": "text/html"}, [page]))
    with pytest.raises(ServerError, match="web page: 502 Bad Gateway") as info:
        await collect(_req(loopback_server), api_key=None)
    assert "<" not in info.value.message


async def test_500_plain_text(loopback_server: LoopbackServer) -> None:
    loopback_server.enqueue(ScriptedResponse(500, {"Content-Type": "text/plain"}, [b"boom"]))
    with pytest.raises(ServerError, match="boom"):
        await collect(_req(loopback_server), api_key=None)


async def test_429_retried_then_succeeds(loopback_server: LoopbackServer) -> None:
    loopback_server.enqueue(ScriptedResponse(429, {"Retry-After": "0"}, [b"{}"]))
    loopback_server.enqueue(ScriptedResponse(pieces=[sse_body(chat_chunk("ok", finish="stop"))]))
    reply = await collect(_req(loopback_server), api_key=None)
    assert reply.content == "ok" and len(loopback_server.requests) == 2


async def test_429_without_retry_after_is_not_retried(loopback_server: LoopbackServer) -> None:
    loopback_server.enqueue(ScriptedResponse(429, {"Content-Type": "application/json"}, [b"{}"]))
    with pytest.raises(RateLimitError) as info:
        await collect(_req(loopback_server), api_key=None)
    assert info.value.retry_after is None and len(loopback_server.requests) == 1


async def test_long_retry_after_is_reported_not_waited(loopback_server: LoopbackServer) -> None:
    loopback_server.enqueue(ScriptedResponse(429, {"Retry-After": "3600"}, [b"slow down"]))
    with pytest.raises(RateLimitError) as info:
        await collect(_req(loopback_server), api_key=None)
    assert info.value.retry_after == 3600 and len(loopback_server.requests) == 1


async def test_503_retry_cap(loopback_server: LoopbackServer) -> None:
    for _ in range(4):
        loopback_server.enqueue(ScriptedResponse(503, {"Retry-After": "0"}, [b"busy"]))
    with pytest.raises(ServerError, match="busy"):
        await collect(_req(loopback_server), api_key=None)
    assert len(loopback_server.requests) == 3


async def test_drop_mid_stream_is_interrupted(loopback_server: LoopbackServer) -> None:
    pieces = [sse_body(chat_chunk("Hel"), done=False), sse_body(chat_chunk("lo"), done=False)]
    loopback_server.enqueue(ScriptedResponse(pieces=[*pieces, b"x"], drop_after=2))
    with pytest.raises(InterruptedStreamError) as info:
        await collect(_req(loopback_server), api_key=None)
    assert info.value.partial.content == "Hello"
    assert len(loopback_server.requests) == 1  # never retried once content arrived


async def test_close_without_finish_is_interrupted(loopback_server: LoopbackServer) -> None:
    with pytest.raises(InterruptedStreamError) as info:
        await _collect(loopback_server, sse_body(chat_chunk("part"), done=False))
    assert info.value.partial.content == "part"


async def test_stall_is_idle_timeout(loopback_server: LoopbackServer) -> None:
    pieces = [sse_body(chat_chunk("slow"), done=False), b"never"]
    loopback_server.enqueue(ScriptedResponse(pieces=pieces, stall_after=1))
    # The idle timeout also covers the wait for the response head and the first chunk: 0.3 s
    # was less than a loaded CI machine sometimes needs for those, and the timeout then hit
    # before "slow" arrived. 1.5 s still ends the stall quickly.
    with pytest.raises(StreamTimeoutError) as info:
        await collect(_req(loopback_server, idle_timeout=1.5), api_key=None)
    assert info.value.partial.content == "slow"
    assert len(loopback_server.requests) == 1


async def test_cancel_closes_connection(loopback_server: LoopbackServer) -> None:
    pieces = [sse_body(chat_chunk("first"), done=False), b"never"]
    loopback_server.enqueue(ScriptedResponse(pieces=pieces, stall_after=1))
    reply = Reply()
    got_first = anyio.Event()

    async def consume() -> None:
        async for _ in stream_chat(_req(loopback_server), api_key=None, reply=reply):
            got_first.set()

    async with httpx.AsyncClient() as _unused, anyio.create_task_group() as tg:
        tg.start_soon(consume)
        await got_first.wait()
        tg.cancel_scope.cancel()
    assert reply.content == "first"
    with anyio.fail_after(30):  # polls a condition; a loaded machine may need seconds
        while loopback_server.connections_closed < 1:
            await anyio.to_thread.run_sync(loopback_server.wait_closed, 1, 0.5)


async def test_connection_refused_is_network_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream_mod, "CONNECT_BACKOFF", (0.0, 0.0))
    url = f"http://127.0.0.1:{unused_port()}/v1/chat/completions"
    with pytest.raises(NetworkError, match="after 3 attempts"):
        await collect(ChatRequest(url, MSGS), api_key=None)


async def test_insecure_transport_refused_before_sending(
    loopback_server: LoopbackServer,
) -> None:
    with pytest.raises(InsecureTransportError):
        await collect(ChatRequest("http://example.invalid/v1/c", MSGS), api_key=KEY)
    # loopback and explicit permission are fine
    await _collect(loopback_server, sse_body(chat_chunk("ok", finish="stop")))


async def test_bad_url_is_network_error() -> None:
    with pytest.raises(NetworkError):
        await collect(ChatRequest("ftp://x/y", MSGS), api_key=None)


async def test_shared_client_is_not_closed(loopback_server: LoopbackServer) -> None:
    loopback_server.enqueue(ScriptedResponse(pieces=[sse_body(chat_chunk("a", finish="stop"))]))
    async with httpx.AsyncClient() as http:
        await collect(_req(loopback_server), api_key=None, http=http)
        assert not http.is_closed


async def test_request_on_the_wire(loopback_server: LoopbackServer) -> None:
    await _collect(loopback_server, sse_body(chat_chunk("a", finish="stop")), model="m")
    sent = loopback_server.requests[0]
    assert sent.json() == {"messages": [{"role": "user", "content": "hi"}], "stream": True,
                           "model": "m"}  # fmt: skip
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert sent.headers["accept"] == "text/event-stream"
