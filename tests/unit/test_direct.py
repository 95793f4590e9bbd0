"""core.direct (the command line's standard-library sender) against core.stream (httpx):
the SSE conformance corpus, and the same scripted answers giving the same reply, the same
error and the same words; when it may be used at all (never where a proxy could apply)."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desktopchat.core import direct
from desktopchat.core.reply import Reply
from desktopchat.core.request import ChatMessage, ChatRequest
from desktopchat.core.stream import collect
from desktopchat.errors import ApiError
from tests.support.corpus import CorpusCase, load_case
from tests.support.loopback import LoopbackServer, ScriptedResponse, unused_port
from tests.support.sse_script import chat_chunk, sse_body
from tests.unit.test_conformance import CASES, _check, _split

pytestmark = pytest.mark.anyio
MESSAGES = (ChatMessage("user", "hi"),)
KEY = "sk-direct-test-0123456789"


Outcome = tuple[Reply, ApiError | None]


def direct_collect(request: ChatRequest, api_key: str | None = KEY) -> Outcome:
    reply = Reply()
    try:
        for _ in direct.stream_batches(request, api_key=api_key, reply=reply):
            pass
    except ApiError as exc:
        assert exc.partial is reply
        return reply, exc
    return reply, None


async def httpx_collect(request: ChatRequest, api_key: str | None = KEY) -> Outcome:
    try:
        return await collect(request, api_key=api_key), None
    except ApiError as exc:
        assert isinstance(exc.partial, Reply)
        return exc.partial, exc


# -- the conformance corpus ---------------------------------------------------------------


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("cut", ["whole", "seed 1", "seed 2", "one byte"])
def test_corpus_through_the_direct_sender(
    sse_corpus: Path, name: str, cut: str, loopback_server: LoopbackServer
) -> None:
    case: CorpusCase = load_case(sse_corpus, name)
    if cut == "whole":
        pieces = [case.body]
    elif cut == "one byte":
        pieces = [case.body[i : i + 1] for i in range(len(case.body))]
    else:
        pieces = _split(case.body, int(cut.split()[1]))
    loopback_server.enqueue(ScriptedResponse(case.status, case.headers, pieces))
    _check(case, *direct_collect(ChatRequest(loopback_server.url(), MESSAGES, idle_timeout=5.0),
                                 "sk-test"))


# -- the same answer, the same outcome ------------------------------------------------------


def _gzip(data: bytes, filler: bytes = b"", size: int = 0) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    out = [packer.compress(data)]
    block = filler * (1024 * 1024 // len(filler)) if filler else b""
    for _ in range(size // max(len(block), 1) if block else 0):
        out.append(packer.compress(block))
    out.append(packer.flush())
    return b"".join(out)


def _chunks(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


GZIP_SSE = {"Content-Type": "text/event-stream", "Content-Encoding": "gzip"}
JSON_HEAD = {"Content-Type": "application/json"}
ANSWERS: dict[str, Callable[[], list[ScriptedResponse]]] = {
    "stream": lambda: [ScriptedResponse(pieces=[
        sse_body(chat_chunk(reasoning="hmm")), sse_body(chat_chunk("Hel"), done=False),
        sse_body(chat_chunk("lo", finish="stop"))])],
    "conversation id header": lambda: [ScriptedResponse(
        headers={"Content-Type": "text/event-stream", "X-Conversation-Id": "conv-7"},
        pieces=[sse_body(chat_chunk("ok", finish="stop"))])],
    "401 json": lambda: [ScriptedResponse(401, JSON_HEAD, [
        b'{"error": {"message": "Incorrect API key sk-direct-test-0123456789", '
        b'"code": "invalid_api_key"}}'])],
    "502 html": lambda: [ScriptedResponse(502, {"Content-Type": "text/html"}, [
        b"<html><title>502 Bad Gateway</title></html>"])],
    "429 then success": lambda: [
        ScriptedResponse(429, {"Retry-After": "0"}, [b"{}"]),
        ScriptedResponse(pieces=[sse_body(chat_chunk("ok", finish="stop"))])],
    "429 without retry-after": lambda: [ScriptedResponse(429, JSON_HEAD, [b"{}"])],
    "503 three times": lambda: [
        ScriptedResponse(503, {"Retry-After": "0"}, [b"busy"]) for _ in range(3)],
    "redirect": lambda: [ScriptedResponse(307, {"Location": "https://elsewhere.example/v1"},
                                          [b""])],
    "provider error mid-stream": lambda: [ScriptedResponse(pieces=[sse_body(
        chat_chunk("partial"), {"error": {"message": "boom", "type": "t", "code": "c"}})])],
    "malformed chunk": lambda: [ScriptedResponse(pieces=[
        sse_body(chat_chunk("a"), done=False) + b"data: {not json\n\n"])],
    "close without finish": lambda: [ScriptedResponse(
        pieces=[sse_body(chat_chunk("part"), done=False)])],
    "close after finish, no [DONE]": lambda: [ScriptedResponse(
        pieces=[sse_body(chat_chunk("done", finish="stop"), done=False)])],
    "dropped mid-stream": lambda: [ScriptedResponse(pieces=[
        sse_body(chat_chunk("Hel"), done=False), sse_body(chat_chunk("lo"), done=False), b"x"],
        drop_after=2)],
    "content-length body cut short": lambda: [ScriptedResponse(
        pieces=[sse_body(chat_chunk("cut"), done=False), b"data: {\"choi"], chunked=False,
        drop_after=1)],
    "stalled": lambda: [ScriptedResponse(
        pieces=[sse_body(chat_chunk("slow"), done=False), b"never"], stall_after=1)],
    "keep-alive only": lambda: [ScriptedResponse(
        pieces=[sse_body(chat_chunk("Thinking"), done=False), *[b": ping\n\n"] * 40],
        delay=0.05)],
    "gzip stream": lambda: [ScriptedResponse(headers=GZIP_SSE, pieces=_chunks(_gzip(sse_body(
        chat_chunk("Hello"), chat_chunk(" there", finish="stop"))), 7))],
    "damaged gzip": lambda: [ScriptedResponse(headers=GZIP_SSE, pieces=[
        _gzip(sse_body(chat_chunk("x"), done=False))[:20] + b"garbage-not-deflate"])],
    "whole json answer": lambda: [ScriptedResponse(200, JSON_HEAD, [
        b'  {"choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi"},'
        b' "finish_reason": "stop"}], "usage": {"prompt_tokens": 1, "completion_tokens": 1,'
        b' "total_tokens": 2}}'])],
    "json answer cut off": lambda: [ScriptedResponse(200, JSON_HEAD, [b'{"choices": [{"in'])],
    "sse labelled json": lambda: [ScriptedResponse(200, JSON_HEAD, [
        sse_body(chat_chunk("still ", finish=None), chat_chunk("streams", finish="stop"))])],
    "a line without end": lambda: [ScriptedResponse(
        headers=GZIP_SSE, pieces=_chunks(_gzip(b"data: ", b"y", 24 * 1024 * 1024), 65536))],
}


def _outcome(reply: Reply, error: ApiError | None) -> dict[str, Any]:
    return {
        "content": reply.content, "reasoning": reply.reasoning, "done": reply.done,
        "finish_reason": reply.finish_reason, "usage": reply.usage,
        "conversation_id": reply.conversation_id,
        "error": None if error is None else (
            type(error).__name__, error.message, getattr(error, "status", None),
            getattr(error, "code", None), getattr(error, "retry_after", None)),
    }


@pytest.mark.parametrize("name", list(ANSWERS))
async def test_the_same_answer_gives_the_same_outcome(
    name: str, loopback_server: LoopbackServer
) -> None:
    request = ChatRequest(loopback_server.url(), MESSAGES, idle_timeout=1.5, keepalive_limit=0.5)
    for response in ANSWERS[name]():
        loopback_server.enqueue(response)
    by_httpx = _outcome(*await httpx_collect(request))
    sent_by_httpx = len(loopback_server.requests)
    for response in ANSWERS[name]():
        loopback_server.enqueue(response)
    by_direct = _outcome(*direct_collect(request))
    assert by_direct == by_httpx
    assert len(loopback_server.requests) == 2 * sent_by_httpx  # the same retries
    first, second = loopback_server.requests[0], loopback_server.requests[sent_by_httpx]
    assert second.body == first.body and second.path == first.path
    for header in ("authorization", "content-type", "accept", "accept-encoding"):
        assert second.headers.get(header) == first.headers.get(header)
    assert KEY not in str(by_direct["error"])


async def test_a_refused_connection_is_retried_then_named_alike() -> None:
    request = ChatRequest(f"http://127.0.0.1:{unused_port()}/v1/chat/completions", MESSAGES)
    _, by_direct = direct_collect(request)
    _, by_httpx = await httpx_collect(request)
    assert by_direct is not None and by_httpx is not None
    assert type(by_direct) is type(by_httpx)
    lead = by_httpx.message.split(" (")[0]
    assert lead.endswith("after 3 attempts")
    assert by_direct.message.startswith(lead + " (ConnectError: ")


# -- where it may be used ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "proxy", "trust_env", "env", "usable"),
    [
        ("http://127.0.0.1:8080/v1/chat/completions", None, True, {}, True),
        ("http://localhost:8080/v1", "http://proxy:3128", True, {}, True),  # never proxied
        ("http://[::1]:8080/v1", None, True, {"HTTP_PROXY": "http://p:1"}, True),
        ("https://api.example.com/v1", None, True, {}, True),
        ("https://api.example.com/v1", None, False, {"HTTPS_PROXY": "http://p:1"}, True),
        ("https://api.example.com/v1", "socks5://p:1080", False, {}, False),
        ("https://api.example.com/v1", None, True, {"https_proxy": "http://p:1"}, False),
        ("https://api.example.com/v1", None, True, {"ALL_PROXY": "socks5://p:1"}, False),
        ("https://user:pw@api.example.com/v1", None, False, {}, False),
        ("ftp://api.example.com/v1", None, False, {}, False),
        ("not a url", None, False, {}, False),
    ],
)
def test_used_only_where_no_proxy_can_apply(
    monkeypatch: pytest.MonkeyPatch, url: str, proxy: str | None, trust_env: bool,
    env: dict[str, str], usable: bool,
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy",
                 "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert direct.usable(url, proxy=proxy, trust_env=trust_env) is usable
