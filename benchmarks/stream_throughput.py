"""Stream decoding throughput over loopback (DESIGN.md §8).

Run: .venv/bin/python benchmarks/stream_throughput.py [chunks] [rounds]  (50,000 and 3)

Contenders, all against the same loopback server in the same run, each doing the same
work (decode the SSE body, parse every chunk, keep choices[0].delta.content):
- stream_chat:          `async for event in stream_chat(...)`, one event at a time;
- collect():            `collect(...)`, the batch path the app's controller uses;
- raw httpx-sse + json: httpx-sse `aiter_sse()` + `json.loads` + the delta content —
                        the floor a hand-written client would get, not weakened;
- openai SDK:           `AsyncOpenAI(...).chat.completions.create(stream=True)`.
Each round runs every contender once in a rotated order (so none always runs first or
last on a warm or cold process); each figure is the best of `rounds`.
Budget: stream_chat and collect() >= 0.8x raw, and >= 8x the openai SDK.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
from httpx_sse import aconnect_sse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktopchat.core.events import ContentDelta
from desktopchat.core.request import ChatMessage, ChatRequest
from desktopchat.core.stream import collect, stream_chat
from tests.support.loopback import LoopbackServer, ScriptedResponse
from tests.support.sse_script import chat_chunk

RAW = "raw httpx-sse + json"
SDK = "openai SDK"
OURS = ("stream_chat", "collect()")


def body(n: int) -> list[bytes]:
    line = b"data: " + json.dumps(chat_chunk("tok ")).encode() + b"\n\n"
    last = b"data: " + json.dumps(chat_chunk("", finish="stop")).encode() + b"\n\n"
    # ~64 KiB pieces, like a fast local server filling the socket
    per = max(1, 65536 // len(line))
    pieces = [line * min(per, n - i) for i in range(0, n, per)]
    return [*pieces, last + b"data: [DONE]\n\n"]


def _request(url: str) -> ChatRequest:
    return ChatRequest(url, (ChatMessage("user", "x"),))


async def ours_events(server: LoopbackServer, http: httpx.AsyncClient) -> int:
    parts: list[str] = []
    async for event in stream_chat(_request(server.url()), api_key="k", http=http):
        if isinstance(event, ContentDelta):
            parts.append(event.text)
    return len("".join(parts))


async def ours_collect(server: LoopbackServer, http: httpx.AsyncClient) -> int:
    reply = await collect(_request(server.url()), api_key="k", http=http)
    return len(reply.content)


async def raw(server: LoopbackServer, http: httpx.AsyncClient) -> int:
    parts: list[str] = []
    async with aconnect_sse(http, "POST", server.url(), json={"stream": True}) as source:
        async for sse in source.aiter_sse():
            if sse.data == "[DONE]":
                break
            chunk = json.loads(sse.data)
            text = chunk["choices"][0]["delta"].get("content")
            if text:
                parts.append(text)
    return len("".join(parts))


async def sdk(server: LoopbackServer, _http: httpx.AsyncClient) -> int:
    import openai

    client = openai.AsyncOpenAI(base_url=server.base_url, api_key="x")
    parts: list[str] = []
    try:
        stream = await client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "x"}], stream=True
        )
        async for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                parts.append(chunk.choices[0].delta.content)
    finally:
        await client.close()
    return len("".join(parts))


Contender = Callable[[LoopbackServer, httpx.AsyncClient], Awaitable[int]]
CONTENDERS: dict[str, Contender] = {
    "stream_chat": ours_events,
    "collect()": ours_collect,
    RAW: raw,
    SDK: sdk,
}


def _available() -> list[str]:
    """Every contender whose library is installed (the openai SDK is an optional extra)."""
    try:
        import openai  # noqa: F401
    except ImportError:
        return [name for name in CONTENDERS if name != SDK]
    return list(CONTENDERS)


async def measure(n: int, rounds: int) -> dict[str, float]:
    server = LoopbackServer()
    pieces = body(n)
    names = _available()
    best = dict.fromkeys(names, 0.0)
    try:
        async with httpx.AsyncClient(timeout=60) as http:
            for round_no in range(rounds):
                shift = round_no % len(names)
                for name in names[shift:] + names[:shift]:
                    server.enqueue(ScriptedResponse(pieces=pieces))
                    start = time.perf_counter()
                    size = await CONTENDERS[name](server, http)
                    elapsed = time.perf_counter() - start
                    assert size == 4 * n, (name, size)
                    best[name] = max(best[name], n / elapsed)
    finally:
        server.close()
    return best


def report(n: int, rounds: int, best: dict[str, float]) -> bool:
    raw_rate, sdk_rate = best[RAW], best.get(SDK, 0.0)
    print(f"{n:,} chunks over loopback, best of {rounds} (rotated order)\n")
    print(f"{'':22s} {'chunks/s':>12s} {'vs raw':>8s} {'vs SDK':>8s}")
    ok = True
    for name, rate in best.items():
        vs_sdk_text = f"{rate / sdk_rate:7.1f}x" if sdk_rate else "    n/a"
        print(f"{name:22s} {rate:12,.0f} {rate / raw_rate:7.2f}x {vs_sdk_text}")
    if not sdk_rate:
        print(f"{SDK:22s} not installed (pip install '.[bench]'); its budget is not checked")
    print()
    for name in OURS:
        vs_raw = best[name] / raw_rate
        good = vs_raw >= 0.8 and (not sdk_rate or best[name] / sdk_rate >= 8)
        ok = ok and good
        sdk_part = f", >= 8x SDK: {best[name] / sdk_rate:.1f}x" if sdk_rate else ""
        print(f"{name:12s} budget >= 0.8x raw: {vs_raw:.2f}x{sdk_part}  "
              f"{'ok' if good else 'MISSED'}")  # fmt: skip
    return ok


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    return 0 if report(n, rounds, asyncio.run(measure(n, rounds))) else 1


if __name__ == "__main__":
    sys.exit(main())
