"""Hypothesis: chunk boundaries never matter; arbitrary bytes raise only our errors."""

from __future__ import annotations

import anyio
import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktopchat.core.chunks import ChunkReader
from desktopchat.core.reply import Reply
from desktopchat.core.request import ChatMessage, ChatRequest
from desktopchat.core.sse import SSEParser
from desktopchat.core.stream import collect
from desktopchat.errors import ApiError
from tests.support.sse_script import chat_chunk, sse_body

BODY = (
    sse_body(chat_chunk("héllo 😀", reasoning="r"), chat_chunk(" wörld", finish="stop"))
    .replace(b"\\u00e9", "é".encode())
    .replace(b"\\u00f6", "ö".encode())
    .replace(b"\\ud83d\\ude00", "😀".encode())
    + b": comment\r\n\r\n"
)


def _events(pieces: list[bytes]) -> list[object]:
    parser, reader, out = SSEParser(), ChunkReader(), []
    for piece in pieces:
        for raw in parser.feed(piece):
            out += reader.read(raw.event, raw.data)[0]
    for raw in parser.close():
        out += reader.read(raw.event, raw.data)[0]
    return out


WHOLE = _events([BODY])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, len(BODY)), max_size=20))
def test_any_split_gives_same_events(cuts: list[int]) -> None:
    points = sorted(set(cuts))
    pieces = [BODY[a:b] for a, b in zip([0, *points], [*points, len(BODY)], strict=True)]
    assert _events(pieces) == WHOLE


class _Stream(httpx.AsyncByteStream):
    def __init__(self, pieces: list[bytes]) -> None:
        self._pieces = pieces

    async def __aiter__(self):  # type: ignore[no-untyped-def]
        for piece in self._pieces:
            yield piece


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.binary(max_size=60), max_size=6), st.sampled_from([200, 404, 429, 500]))
def test_arbitrary_bytes_raise_only_our_errors(pieces: list[bytes], status: int) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, stream=_Stream(pieces))

    async def run() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
            try:
                reply = await collect(
                    ChatRequest("http://127.0.0.1/v1/chat/completions", (ChatMessage("u", "x"),)),
                    api_key=None,
                    http=http,
                )
                assert isinstance(reply, Reply)
            except ApiError as exc:
                assert isinstance(exc.partial, Reply)

    anyio.run(run)
