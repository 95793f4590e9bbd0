"""Stream decoding throughput over loopback: stream_chat vs raw httpx-sse + json vs openai SDK.

Run: .venv/bin/python benchmarks/stream_decode.py [chunks]   (default 50,000)
Budget (DESIGN.md §8): stream_chat >= 0.8x raw httpx-sse + json.loads, >= 8x the openai SDK.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

import httpx
from httpx_sse import aconnect_sse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktopchat.core.reply import collect
from desktopchat.core.request import ChatMessage, ChatRequest
from tests.support.loopback import LoopbackServer, ScriptedResponse, chat_chunk


def body(n: int) -> list[bytes]:
    line = b"data: " + json.dumps(chat_chunk("tok ")).encode() + b"\n\n"
    last = b"data: " + json.dumps(chat_chunk("", finish="stop")).encode() + b"\n\n"
    # ~64 KiB pieces, like a fast local server filling the socket
    per = max(1, 65536 // len(line))
    pieces = [line * min(per, n - i) for i in range(0, n, per)]
    return [*pieces, last + b"data: [DONE]\n\n"]


async def ours(url: str, http: httpx.AsyncClient) -> int:
    reply = await collect(ChatRequest(url, (ChatMessage("user", "x"),)), api_key="k", http=http)
    return len(reply.content)


async def raw(url: str, http: httpx.AsyncClient) -> int:
    parts: list[str] = []
    async with aconnect_sse(http, "POST", url, json={"stream": True}) as source:
        async for sse in source.aiter_sse():
            if sse.data == "[DONE]":
                break
            chunk = json.loads(sse.data)
            text = chunk["choices"][0]["delta"].get("content")
            if text:
                parts.append(text)
    return len("".join(parts))


async def sdk(base_url: str, _http: httpx.AsyncClient) -> int:
    import openai

    client = openai.AsyncOpenAI(base_url=base_url, api_key="x")
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


async def main(n: int) -> None:
    server = LoopbackServer()
    pieces = body(n)
    results: dict[str, float] = {}
    try:
        async with httpx.AsyncClient(timeout=60) as http:
            for name, fn, target in (
                ("stream_chat", ours, server.url()),
                ("raw httpx-sse + json", raw, server.url()),
                ("openai SDK", sdk, server.base_url),
            ):
                best = 0.0
                for _ in range(3 if name != "openai SDK" else 1):
                    server.enqueue(ScriptedResponse(pieces=pieces))
                    start = time.perf_counter()
                    size = await fn(target, http)
                    elapsed = time.perf_counter() - start
                    assert size == 4 * n, (name, size)
                    best = max(best, n / elapsed)
                results[name] = best
                print(f"{name:22s} {best:12,.0f} chunks/s", flush=True)
    finally:
        server.close()
    ours_rate = results["stream_chat"]
    vs_raw = ours_rate / results["raw httpx-sse + json"]
    vs_sdk = ours_rate / results["openai SDK"]
    print(f"\n{n:,} chunks. stream_chat / raw = {vs_raw:.2f}x (budget >= 0.8x: "
          f"{'ok' if vs_raw >= 0.8 else 'MISSED'}); stream_chat / openai SDK = {vs_sdk:.2f}x "
          f"(budget >= 8x: {'ok' if vs_sdk >= 8 else 'MISSED'})")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000))
