"""Every corpus case assembles to its `expect`: whole, in random pieces, one byte at a time."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from desktopchat.core.reply import Reply
from desktopchat.core.request import ChatMessage, ChatRequest
from desktopchat.core.stream import collect
from desktopchat.errors import (
    ApiError,
    HttpStatusError,
    InterruptedStreamError,
    ProviderError,
)
from tests.support.corpus import ABSENT, CorpusCase, case_names, load_case
from tests.support.loopback import LoopbackServer, ScriptedResponse

pytestmark = pytest.mark.anyio

CASES = case_names()
MESSAGES = (ChatMessage("user", "hi"),)


def _split(body: bytes, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    pieces, i = [], 0
    while i < len(body):
        step = rng.randint(1, 40)
        pieces.append(body[i : i + step])
        i += step
    return pieces


async def _run(url: str, http: httpx.AsyncClient | None = None) -> tuple[Reply, ApiError | None]:
    request = ChatRequest(url, MESSAGES, idle_timeout=5.0)
    try:
        return await collect(request, api_key="sk-test", http=http), None
    except ApiError as exc:
        assert isinstance(exc.partial, Reply)
        return exc.partial, exc


def _check(case: CorpusCase, reply: Reply, error: ApiError | None) -> None:
    want = case.expect
    refusal = want.get("refusal") or ""
    assert reply.content == (want["content"] or "") + refusal
    assert reply.refusal == refusal
    assert reply.reasoning == (want["reasoning"] or "")
    got_calls = [
        {"id": c.id or None, "name": c.name or None, "arguments": c.arguments}
        for c in reply.tool_calls
    ]
    assert got_calls == [
        {"id": c["id"], "name": c["name"], "arguments": c["arguments"] or ""}
        for c in want["tool_calls"]
    ]
    assert reply.finish_reason == want["finish_reason"]
    assert reply.usage == want["usage"]
    expected_error = want["error"]
    if expected_error is None:
        # With an error we stop reading at the error (raising promptly), so a [DONE]
        # after it is never seen.
        assert reply.done == want["done"]
    if expected_error is not None:
        assert error is not None, "expected an error"
        kind = HttpStatusError if case.status >= 400 else ProviderError
        assert isinstance(error, kind)
        assert expected_error["message"] in error.message
        assert error.code == expected_error["code"]
        assert error.error_type == expected_error["type"]
        if case.status >= 400:
            assert error.status == case.status
    elif want["finish_reason"] is None and not want["done"]:
        assert isinstance(error, InterruptedStreamError)
    else:
        assert error is None, f"unexpected {error!r}"


def _case(sse_corpus: Path, name: str) -> CorpusCase:
    assert name != ABSENT
    return load_case(sse_corpus, name)


@pytest.mark.parametrize("name", CASES)
async def test_whole(sse_corpus: Path, name: str, loopback_server: LoopbackServer) -> None:
    case = _case(sse_corpus, name)
    loopback_server.enqueue(ScriptedResponse(case.status, case.headers, [case.body]))
    _check(case, *await _run(loopback_server.url()))


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("seed", [1, 2])
async def test_random_pieces(
    sse_corpus: Path, name: str, seed: int, loopback_server: LoopbackServer
) -> None:
    case = _case(sse_corpus, name)
    pieces = _split(case.body, seed)
    loopback_server.enqueue(ScriptedResponse(case.status, case.headers, pieces))
    _check(case, *await _run(loopback_server.url()))


class _OneByteAtATime(httpx.AsyncByteStream):
    def __init__(self, body: bytes) -> None:
        self._body = body

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for i in range(len(self._body)):
            yield self._body[i : i + 1]


@pytest.mark.parametrize("name", CASES)
async def test_one_byte_at_a_time(sse_corpus: Path, name: str) -> None:
    case = _case(sse_corpus, name)
    headers: dict[str, Any] = {k: v for k, v in case.headers.items() if v is not None}
    headers.pop("transfer-encoding", None)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(case.status, headers=headers, stream=_OneByteAtATime(case.body))

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        _check(case, *await _run("http://127.0.0.1/v1/chat/completions", http))
