"""Where MCP servers should run: on the app's qasync loop, or on a loop thread of their own.

    .venv/bin/python benchmarks/mcp_bridge.py [--calls 200]

Starts the test MCP server (tests/support/mcp_server.py) both ways, each in a fresh
process under a running Qt event loop, and prints side by side: the longest stall of
the Qt loop (a 2 ms heartbeat timer) while the first server starts and lists its tools,
the same while calls run, and the round-trip time of one `echo` call (median, p95).
The app uses the thread (desktopchat/tools/host.py): its stalls are the smaller, and
the call latency shows what the bridge costs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync
from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication

from desktopchat.tools import ToolHost
from desktopchat.tools.connection import ServerConnection
from tests.support.tool_servers import stdio_spec

STALL_BUDGET_MS = 50.0


class Heartbeat:
    """Records the longest gap between ticks of a 2 ms Qt timer: the loop's worst stall."""

    def __init__(self) -> None:
        self._timer = QTimer()
        self._timer.setInterval(2)
        self._clock = QElapsedTimer()
        self.longest = 0.0
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.longest = 0.0
        self._clock.start()
        self._timer.start()

    def stop(self) -> float:
        self._timer.stop()
        return self.longest

    def _tick(self) -> None:
        self.longest = max(self.longest, float(self._clock.restart()))


async def measure(
    label: str,
    connect: Callable[[], Awaitable[Any]],
    call: Callable[[], Awaitable[Any]],
    calls: int,
    beat: Heartbeat,
) -> dict[str, float | str]:
    beat.start()
    await connect()
    connect_stall = beat.stop()
    times: list[float] = []
    beat.start()
    for _ in range(calls):
        started = time.perf_counter()
        await call()
        times.append((time.perf_counter() - started) * 1000)
    call_stall = beat.stop()
    times.sort()
    return {
        "way": label,
        "connect stall ms": connect_stall,
        "call stall ms": call_stall,
        "echo p50 ms": statistics.median(times),
        "echo p95 ms": times[int(len(times) * 0.95) - 1],
    }


async def one_way(way: str, calls: int) -> dict[str, float | str]:
    beat = Heartbeat()
    if way == "direct":
        # The SDK on the qasync loop itself (a connection made and used right here).
        direct = ServerConnection(
            stdio_spec("direct"), secret_headers={}, connect_timeout=60, call_timeout=60
        )
        row = await measure(
            "on the qasync loop", direct.open,
            lambda: direct.call("echo", {"text": "ping"}), calls, beat,
        )
        await direct.close()
        return row
    # The SDK on the tool host's own loop thread (what the app does).
    host = ToolHost()
    spec = stdio_spec("threaded")
    row = await measure(
        "own loop thread (ToolHost)", lambda: host.list_tools(spec),
        lambda: host.call(spec, "echo", {"text": "ping"}), calls, beat,
    )
    host.shutdown()
    return row


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--way", choices=["direct", "thread"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.way:
        app = QApplication.instance() or QApplication([])
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        with loop:
            print(json.dumps(loop.run_until_complete(one_way(args.way, args.calls))))
        return
    # Each way in a fresh process, so both pay for importing the SDK.
    rows = []
    for way in ("direct", "thread"):
        out = subprocess.run(
            [sys.executable, __file__, "--way", way, "--calls", str(args.calls)],
            check=True, capture_output=True, text=True,
        ).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
    print(f"MCP bridge, {args.calls} echo calls each; Qt loop stall budget {STALL_BUDGET_MS:g} ms")
    header = ["way", "connect stall ms", "call stall ms", "echo p50 ms", "echo p95 ms"]
    print(" | ".join(f"{h:>26}" if i == 0 else f"{h:>16}" for i, h in enumerate(header)))
    for row in rows:
        cells = [f"{row[h]:>26}" if i == 0 else f"{row[h]:>16.1f}" for i, h in enumerate(header)]
        print(" | ".join(cells))


if __name__ == "__main__":
    run()
