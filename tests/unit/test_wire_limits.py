"""The wire is bounded (issue 10 §5): caps past which a request ends readably, the
partial reply kept, with memory bounded by the cap and not by what the server sends."""

from __future__ import annotations

import tracemalloc
import zlib

import pytest

from desktopchat.core.limits import (
    ERROR_BODY_LIMIT,
    MODEL_LIST_LIMIT,
    SSE_LINE_LIMIT,
)
from desktopchat.core.models import list_models
from desktopchat.core.reply import Reply
from desktopchat.core.request import ChatMessage, ChatRequest
from desktopchat.core.stream import collect
from desktopchat.errors import (
    MalformedStreamError,
    ServerError,
    StreamTimeoutError,
)
from desktopchat.settings import Profile
from desktopchat.ui.settings_actions import test_connection as try_connection
from tests.support.loopback import LoopbackServer, ScriptedResponse
from tests.support.sse_script import chat_chunk, sse_body

pytestmark = pytest.mark.anyio

HELLO = (ChatMessage("user", "hi"),)
BOMB_SIZE = 256 * 1024 * 1024  # inflated bytes; ~250 KiB on the wire
MEMORY_BOUND = 3 * SSE_LINE_LIMIT + 32 * 1024 * 1024  # far below the bomb's size


def gzip_of(head: bytes, filler: bytes, size: int) -> bytes:
    """gzip of `head` followed by `size` bytes of `filler`, built without holding them."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    out = [packer.compress(head)]
    block = filler * (1024 * 1024 // len(filler))
    for _ in range(size // len(block)):
        out.append(packer.compress(block))
    out.append(packer.flush())
    return b"".join(out)


def pieces(data: bytes, size: int = 64 * 1024) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


async def test_gzip_bomb_in_the_stream_keeps_the_partial_reply(
    loopback_server: LoopbackServer,
) -> None:
    first = sse_body(chat_chunk("Before the bomb."), done=False)
    bomb = gzip_of(first + b"data: ", b"a", BOMB_SIZE)
    loopback_server.enqueue(ScriptedResponse(
        headers={"Content-Type": "text/event-stream", "Content-Encoding": "gzip"},
        pieces=pieces(bomb)))  # fmt: skip
    tracemalloc.start()
    try:
        with pytest.raises(MalformedStreamError, match="longer than 16 MiB") as info:
            await collect(ChatRequest(loopback_server.url(), HELLO), api_key=None)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert isinstance(info.value.partial, Reply)
    assert info.value.partial.content == "Before the bomb."
    assert peak < MEMORY_BOUND, f"peak {peak >> 20} MiB"


async def test_a_line_without_end_is_capped(loopback_server: LoopbackServer) -> None:
    first = sse_body(chat_chunk("Kept."), done=False)
    line = b"data: " + b"b" * (SSE_LINE_LIMIT + 1024 * 1024)
    loopback_server.enqueue(ScriptedResponse(pieces=[first, *pieces(line, 1024 * 1024)]))
    with pytest.raises(MalformedStreamError, match="line longer") as info:
        await collect(ChatRequest(loopback_server.url(), HELLO), api_key=None)
    assert info.value.partial.content == "Kept."


async def test_an_event_of_many_short_lines_is_capped(loopback_server: LoopbackServer) -> None:
    first = sse_body(chat_chunk("Kept."), done=False)
    lines = b"data: " + b"c" * 1000 + b"\n"
    count = SSE_LINE_LIMIT // 1000 + 1024
    loopback_server.enqueue(ScriptedResponse(pieces=[first, *pieces(lines * count, 1 << 20)]))
    with pytest.raises(MalformedStreamError, match="event's data longer") as info:
        await collect(ChatRequest(loopback_server.url(), HELLO), api_key=None)
    assert info.value.partial.content == "Kept."


async def test_gzip_bomb_in_an_error_body_is_the_http_error(
    loopback_server: LoopbackServer,
) -> None:
    bomb = gzip_of(b"upstream exploded: ", b"z", BOMB_SIZE)
    loopback_server.enqueue(ScriptedResponse(
        status=500, headers={"Content-Type": "text/plain", "Content-Encoding": "gzip"},
        pieces=pieces(bomb)))  # fmt: skip
    tracemalloc.start()
    try:
        with pytest.raises(ServerError, match="upstream exploded") as info:
            await collect(ChatRequest(loopback_server.url(), HELLO), api_key=None)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert info.value.status == 500 and len(info.value.message) < ERROR_BODY_LIMIT
    assert peak < MEMORY_BOUND


async def test_gzip_bomb_as_a_model_list_is_malformed(loopback_server: LoopbackServer) -> None:
    bomb = gzip_of(b'{"data": ["', b"m", BOMB_SIZE)
    loopback_server.enqueue(ScriptedResponse(
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        pieces=pieces(bomb)), path="/models")  # fmt: skip
    tracemalloc.start()
    try:
        with pytest.raises(MalformedStreamError, match=f"larger than {MODEL_LIST_LIMIT >> 20} MiB"):
            await list_models(loopback_server.url("/models"), api_key=None)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_BOUND


async def test_a_compressed_stream_still_streams(loopback_server: LoopbackServer) -> None:
    body = sse_body(chat_chunk("Hello"), chat_chunk(" there", finish="stop"))
    packed = gzip_of(body, b" ", 0)
    loopback_server.enqueue(ScriptedResponse(
        headers={"Content-Type": "text/event-stream", "Content-Encoding": "gzip"},
        pieces=pieces(packed, 7)))  # fmt: skip
    reply = await collect(ChatRequest(loopback_server.url(), HELLO), api_key=None)
    assert (reply.content, reply.done) == ("Hello there", True)
    assert loopback_server.requests[0].headers["accept-encoding"] == "gzip, deflate"


async def test_keep_alive_comments_alone_end_as_stalled(loopback_server: LoopbackServer) -> None:
    first = sse_body(chat_chunk("Thinking…"), done=False)
    comments = [b": keep-alive\n\n"] * 40
    loopback_server.enqueue(ScriptedResponse(pieces=[first, *comments], delay=0.05))
    request = ChatRequest(loopback_server.url(), HELLO, idle_timeout=30, keepalive_limit=0.5)
    with pytest.raises(StreamTimeoutError, match="only keep-alive comments") as info:
        await collect(request, api_key=None)
    assert info.value.partial.content == "Thinking…"


async def test_comments_between_data_keep_a_stream_alive(loopback_server: LoopbackServer) -> None:
    body = [sse_body(chat_chunk(f"{i} "), done=False) + b": ping\n\n" for i in range(12)]
    body.append(sse_body(chat_chunk("end", finish="stop")))
    loopback_server.enqueue(ScriptedResponse(pieces=body, delay=0.05))
    request = ChatRequest(loopback_server.url(), HELLO, keepalive_limit=0.5)
    reply = await collect(request, api_key=None)
    assert reply.content.endswith("11 end")


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("conv-42", "conv-42"),
        ("x" * 129, None),
        ("two words", None),
        ("tab\there", None),
    ],
)
async def test_conversation_id_must_be_short_visible_ascii(
    loopback_server: LoopbackServer, sent: str, kept: str | None
) -> None:
    body = sse_body(chat_chunk("ok", finish="stop"))
    loopback_server.enqueue(ScriptedResponse(
        headers={"Content-Type": "text/event-stream", "X-Conversation-Id": sent},
        pieces=[body]))  # fmt: skip
    reply = await collect(ChatRequest(loopback_server.url(), HELLO), api_key=None)
    assert reply.conversation_id == kept
    request = ChatRequest("https://h/v1", HELLO, conversation_id=sent)
    assert request.headers(None).get("X-Conversation-Id") == kept


async def test_test_connection_reports_an_unsendable_header(
    loopback_server: LoopbackServer,
) -> None:
    profile = Profile(name="p", url=loopback_server.url(), extra_headers={"X-Name": "Zoë"})
    outcome = await try_connection(profile, api_key="sk-test")
    assert not outcome.ok and "X-Name cannot be sent" in outcome.message
    assert loopback_server.requests == []


async def test_whole_json_answer_over_its_cap_is_malformed(
    loopback_server: LoopbackServer,
) -> None:
    bomb = gzip_of(b'{"choices": [{"message": {"content": "', b"j", BOMB_SIZE)
    loopback_server.enqueue(ScriptedResponse(
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        pieces=pieces(bomb)))  # fmt: skip
    with pytest.raises(MalformedStreamError, match="JSON document over"):
        await collect(ChatRequest(loopback_server.url(), HELLO), api_key=None)


def test_bomb_helper_really_inflates() -> None:
    packed = gzip_of(b"{", b"q", 8 * 1024 * 1024)
    assert len(packed) < 64 * 1024
    assert len(zlib.decompress(packed, zlib.MAX_WBITS | 16)) == 8 * 1024 * 1024 + 1


async def test_blank_space_without_end_is_capped(loopback_server: LoopbackServer) -> None:
    bomb = gzip_of(b"", b" ", BOMB_SIZE)
    loopback_server.enqueue(ScriptedResponse(
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        pieces=pieces(bomb)))  # fmt: skip
    tracemalloc.start()
    try:
        with pytest.raises(MalformedStreamError, match="blank space"):
            await collect(ChatRequest(loopback_server.url(), HELLO), api_key=None)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_BOUND
