"""Socket-to-screen latency of streamed text (DESIGN.md §8).

    .venv/bin/python benchmarks/stream_latency.py [--seconds 4] [--rates 50,2000]

A loopback server in its own process streams an OpenAI-style reply, one token per SSE
event and one HTTP chunk per event, at a fixed rate, and stamps each chunk with the
monotonic clock as it writes it to the socket (loopback transit is microseconds). The
client is the real app: ChatController + MainWindow on a real SQLite store, in a qasync
loop. Every paint of the transcript records which tokens are on screen; the latency of a
token is paint end minus its stamp: the time the client adds between the bytes arriving
and that text being painted. In the same run, a reference client reads the same stream
with core's stream_chat and repaints a bare widget synchronously on every chunk (the
floor of a client that does nothing else). Figures: p50, p95 and max per rate.
Budget: p50 <= 17 ms and p95 <= 35 ms for the app, at 50 and 2,000 tokens/s.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import re
import socket
import statistics
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BUDGET_P50_MS = 17.0
BUDGET_P95_MS = 35.0
TOKEN = re.compile(r"w(\d+)")
PARAGRAPH = 40  # tokens per paragraph: replies have paragraphs, and closed ones stay rendered


# -- the server (a separate process: its sleeps and sends never wait for our GIL) -------------

def _token(i: int) -> str:
    return f"w{i}\n\n" if i % PARAGRAPH == PARAGRAPH - 1 else f"w{i} "


def _chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


def _serve_one(conn: socket.socket, stamps_out: Connection) -> None:
    buf = b""
    while b"\r\n\r\n" not in buf:
        buf += conn.recv(65536)
    head, _, body = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = next((int(v) for k, _, v in (h.partition(":") for h in lines[1:])
                   if k.strip().lower() == "content-length"), 0)
    while len(body) < length:
        body += conn.recv(65536)
    match = re.match(r"\w+ /r(\d+)/n(\d+)/", lines[0])
    rate, count = (int(match.group(1)), int(match.group(2))) if match else (50, 10)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                 b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
    stamps = [0.0] * count
    start = time.perf_counter() + 0.05
    for i in range(count):
        due = start + i / rate
        wait = due - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        event = {"choices": [{"index": 0, "delta": {"content": _token(i)}}]}
        data = _chunk(b"data: " + json.dumps(event).encode() + b"\n\n")
        stamps[i] = time.perf_counter()
        conn.sendall(data)
    done = {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
    conn.sendall(_chunk(b"data: " + json.dumps(done).encode() + b"\n\ndata: [DONE]\n\n"))
    conn.sendall(b"0\r\n\r\n")
    stamps_out.send(stamps)


def serve(listener: socket.socket, stamps_out: Connection) -> None:
    while True:
        conn, _ = listener.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with conn:
            _serve_one(conn, stamps_out)


# -- the two clients ------------------------------------------------------------------------

class Painted:
    """Paint-end time of each token, from the text that was on screen at that paint."""

    def __init__(self, count: int) -> None:
        self.at = [0.0] * count
        self.seen = 0  # characters of the reply already scanned

    def record(self, text: str, *, whole: bool = True) -> None:
        """Tokens in `text` are on screen now; `whole`: text is the reply so far, scanned
        from where the last call stopped (a token is never cut: deltas are whole tokens)."""
        now = time.perf_counter()
        for match in TOKEN.finditer(text, self.seen if whole else 0):
            i = int(match.group(1))
            if i < len(self.at) and not self.at[i]:
                self.at[i] = now
        if whole:
            self.seen = len(text)


async def through_the_app(env: Any, url: str, count: int) -> Painted:
    from desktopchat.settings import Preferences, Profile, Settings

    window, controller = env["window"], env["controller"]
    profile = Profile(name="bench", preset="openai", url=url, model="m")
    window.apply_settings(Settings(profiles=[profile],
                                   preferences=Preferences(active_profile="bench")))
    window.new_chat()
    painted = Painted(count)
    view = window.chat_view
    paint = view.paintEvent

    def timed_paint(event: Any) -> None:
        paint(event)
        item = view.rows.items[-1] if view.rows.items else None
        if item is not None and item.role == "assistant":
            painted.record(item.content)

    view.paintEvent = timed_paint  # type: ignore[method-assign]
    try:
        if not controller.send("Stream tokens, please."):
            raise SystemExit("the app did not send (setup problem?)")
        await controller.wait_idle()
    finally:
        del view.paintEvent
    return painted


async def bare_widget(widget: Any, url: str, count: int) -> Painted:
    from desktopchat.core.events import ContentDelta
    from desktopchat.core.http import make_client
    from desktopchat.core.request import ChatMessage, ChatRequest
    from desktopchat.core.stream import stream_chat

    painted = Painted(count)
    request = ChatRequest(url=url + "/chat/completions", messages=(ChatMessage("user", "go"),),
                          model="m")
    async with make_client(trust_env=False) as http, contextlib.aclosing(
            stream_chat(request, api_key="sk-bench", http=http)) as events:
        async for event in events:
            if isinstance(event, ContentDelta):
                widget.text = event.text
                widget.repaint()  # synchronous: painted when this returns
                painted.record(event.text, whole=False)
    return painted


def latencies(stamps: list[float], painted: Painted) -> list[float]:
    return [(p - s) * 1000 for s, p in zip(stamps, painted.at, strict=True) if p]


def figures(values: list[float]) -> str:
    if not values:
        return "no tokens painted"
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    return (f"p50 {statistics.median(values):6.2f} ms  p95 {p95:6.2f} ms  "
            f"max {values[-1]:7.2f} ms  ({len(values)} tokens)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=4.0, help="stream length per run")
    parser.add_argument("--rates", default="50,2000", help="tokens per second, comma-separated")
    args = parser.parse_args()
    rates = [int(r) for r in args.rates.split(",")]

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    receive, send = multiprocessing.Pipe(duplex=False)
    server = multiprocessing.get_context("fork").Process(
        target=serve, args=(listener, send), daemon=True)
    server.start()  # before Qt exists in this process
    listener.close()

    import qasync
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QApplication, QWidget

    from desktopchat.secrets import SecretStore
    from desktopchat.settings import (
        Preferences,
        Profile,
        Settings,
        SettingsStore,
        WindowStateStore,
    )
    from desktopchat.storage.store import HistoryStore
    from desktopchat.ui.controller import ChatController
    from desktopchat.ui.main_window import MainWindow
    from tests.support.secrets_fixtures import MemoryKeyring

    class Bare(QWidget):
        text = ""

        def paintEvent(self, event: Any) -> None:
            painter = QPainter(self)
            painter.drawText(self.rect(), 0, self.text)
            painter.end()

    app = QApplication.instance() or QApplication([sys.argv[0]])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    # qasync does not install asyncio's async-generator hooks; without them httpx's
    # generators are finalised outside the loop (as in the app and the tests).
    sys.set_asyncgen_hooks(firstiter=loop._asyncgen_firstiter_hook,  # type: ignore[attr-defined]
                           finalizer=loop._asyncgen_finalizer_hook)  # type: ignore[attr-defined]
    tmp = Path(tempfile.mkdtemp(prefix="stream-latency-"))
    store = HistoryStore.open(tmp / "history.sqlite3")
    secrets = SecretStore(MemoryKeyring())
    secrets.set_key("bench", "sk-bench")
    first = Profile(name="bench", preset="openai", url=f"http://127.0.0.1:{port}/r50/n5/v1",
                    model="m")
    settings = Settings(profiles=[first], preferences=Preferences(active_profile="bench"))
    controller = ChatController(store, secrets, settings)
    window = MainWindow(controller, settings_store=SettingsStore(tmp / "settings.json"),
                        window_state=WindowStateStore(tmp / "window.json"))
    window.resize(1000, 800)
    window.show()
    bare = Bare()
    bare.resize(600, 100)
    bare.show()
    env = {"window": window, "controller": controller}

    def base(rate: int, count: int) -> str:
        return f"http://127.0.0.1:{port}/r{rate}/n{count}/v1"

    async def run() -> list[tuple[int, list[float], list[float]]]:
        await through_the_app(env, base(200, 200), 200)  # warm up: fonts, highlighter
        receive.recv()
        results = []
        for rate in rates:
            count = max(20, int(rate * args.seconds))
            ours = await through_the_app(env, base(rate, count), count)
            ours_ms = latencies(receive.recv(), ours)
            ref = await bare_widget(bare, base(rate, count), count)
            ref_ms = latencies(receive.recv(), ref)
            results.append((rate, ours_ms, ref_ms))
        await controller.aclose()
        await loop.shutdown_asyncgens()
        return results

    try:
        results = loop.run_until_complete(run())
    finally:
        server.kill()
        window.close()
        store.close()
    ok = True
    print(f"stream_latency: socket to painted text, {args.seconds:g} s per run "
          f"(budget p50 <= {BUDGET_P50_MS:g} ms, p95 <= {BUDGET_P95_MS:g} ms)")
    for rate, ours_ms, ref_ms in results:
        print(f"  {rate:5d} tokens/s  app        : {figures(ours_ms)}")
        print(f"  {rate:5d} tokens/s  bare widget: {figures(ref_ms)}")
        if not ours_ms:
            ok = False
            continue
        ordered = sorted(ours_ms)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        ok &= statistics.median(ordered) <= BUDGET_P50_MS and p95 <= BUDGET_P95_MS
    print("within budget" if ok else "OVER BUDGET")
    return 0


if __name__ == "__main__":
    sys.exit(main())
