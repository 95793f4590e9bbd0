"""Pathological replies through the real chat view: longest UI-thread stall and peak RSS.

    .venv/bin/python benchmarks/render_pathological.py [--bound 40] [--seconds 8] [CASE ...]

Each case runs twice, each time in a fresh process (so peak RSS is the case's own):
`stream` offers the reply as deltas at --rate deltas/s (sized so it streams in about
--seconds s) through ChatView.stream_from (a core Reply), then finishes the message;
`open` shows the finished message as a conversation opened later, then scrolls to the top,
pages down through it, and Shift+wheels over the middle (a code block there scrolls
sideways). A 1 ms heartbeat timer measures the longest event-loop gap (a stall the user
feels). "own" is the longest gap less the time the main thread sat runnable waiting for a
core (/proc schedstat: other processes had the machine), shown with the main thread's CPU
inside it and the CPU of the process's other threads (which compete for the GIL: the
benchmark's only other thread is a watchdog that sleeps); "step" is the most main-thread CPU
between any two beats (our longest single step). A watchdog thread ends a case after
--bound seconds, so a case that freezes the loop is reported as "> bound". The reference
row is an ordinary reply (prose, lists, code) measured the same way in the same run.
Garbage is collected as in the app (ui/gc_guard.py: on the main thread, what start-up
built set aside).
Budgets (DESIGN.md §6, §8): stall <= 50 ms, peak RSS <= 300 MB for a 2 MB reply.
"""

from __future__ import annotations

import argparse
import base64
import json
import math
import os
import random
import resource
import struct
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

MB2 = 2 * 1024 * 1024
STALL_BUDGET_MS = 50.0
RSS_BUDGET_MB = 300.0


def _repeat_to(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


def noise_png(seed: int, side: int = 320) -> bytes:
    """A noisy RGB PNG (it does not compress: it costs what a photo costs), in pure Python
    so the text is built before Qt starts."""
    rnd = random.Random(seed)
    raw = b"".join(b"\x00" + rnd.randbytes(side * 3) for _ in range(side))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 1))
            + chunk(b"IEND", b""))


def data_image(seed: int, side: int = 320) -> str:
    return (f"![figure {seed}](data:image/png;base64,"
            f"{base64.b64encode(noise_png(seed, side)).decode()})")


def case_texts() -> dict[str, Any]:
    """Name -> callable building the reply text (built in the child, not shipped)."""

    def code_line() -> str:
        return "```python\n" + _repeat_to("total = total + value * 3; ", MB2) + "\n```\n"

    def code_python() -> str:
        lines = [f"def function_{i}(value):\n    return value * {i}  # scale it\n\n"
                 for i in range(MB2 // 48)]
        return "```python\n" + "".join(lines) + "```\n"

    def table(rows: int, cols: int) -> str:
        head = "| " + " | ".join(f"column {c}" for c in range(cols)) + " |\n"
        rule = "|" + "---|" * cols + "\n"
        body = "".join("| " + " | ".join(f"cell {r}.{c}" for c in range(cols)) + " |\n"
                       for r in range(rows))
        return "Here is the table:\n\n" + head + rule + body + "\nThat was the table.\n"

    def nested_list() -> str:
        block = "".join("  " * d + f"- level{d} item\n" for d in range(12))
        return "\n".join(block for _ in range(200)) + "\nafter the lists\n"

    def nested_quote() -> str:
        block = "".join("> " * (d + 1) + f"quote{d} words\n" for d in range(25))
        return "\n\n".join(block for _ in range(200)) + "\n\nafter the quotes\n"

    def math_heavy() -> str:
        # Distinct formulas (none cached), inline and display, between prose and money.
        block = ("The energy $E_{{{n}}} = \\frac{{n^2 h^2}}{{8 m L^2}}$ costs $5 and $10, "
                 "and \\(\\sqrt{{{n} + x^2}}\\) too:\n"
                 "$$\\int_0^{{{n}}} e^{{-x^2}}\\,dx = \\sum_{{k=0}}^{{{n}}} a_k$$\n"
                 "\\[\\begin{{pmatrix}} {n} & 1 \\\\ 0 & 1 \\end{{pmatrix}}\\]\n\n")
        return "".join(block.format(n=n) for n in range(150))

    def wide_code() -> str:
        # Lines of ~600 characters (under the chunker's line cut): the block scrolls sideways.
        lines = [f"row_{i} = [" + ", ".join(f"value_{i}_{j}" for j in range(50)) + "]\n"
                 for i in range(400)]
        return "Here is the data:\n\n```python\n" + "".join(lines) + "```\n\nThat was it.\n"

    def data_images() -> str:
        return "".join(f"Figure {n} shows the result:\n\n{data_image(n)}\n\nAs expected.\n\n"
                       for n in range(12))

    def over_cap_image() -> str:
        return ("Here is a very large image:\n\n" + data_image(99, 1700)
                + "\n\nThat is all.\n")

    def reference() -> str:
        from render_stream import token_stream
        return "".join(token_stream(4_000))

    return {
        "reference (ordinary reply)": reference,
        "2 MB one-line code block": code_line,
        "2 MB multi-line Python block": code_python,
        "100,000-row table": lambda: table(100_000, 3),
        "3,000-row table": lambda: table(3_000, 5),
        "*a x 50,000": lambda: "*a" * 50_000,
        "50,000 links": lambda: " ".join(f"[link {i}](https://example.com/{i})"
                                         for i in range(50_000)),
        "200,000 entities": lambda: _repeat_to("&amp;&lt;&#x41;&copy;", 200_000 * 5),
        "list nested 12 deep": nested_list,
        "quote nested 25 deep": nested_quote,
        "math-heavy (600 formulas)": math_heavy,
        "wide code block, 400x600": wide_code,
        "12 data images, 300 KB": data_images,
        "data image over the cap": over_cap_image,
    }


# -- the child: one case, one mode ---------------------------------------------------------


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class SchedClock:
    """The main thread's time spent runnable but waiting for a core (the kernel's
    schedstat, second field): a busy machine's share of a gap, not ours."""

    def __init__(self) -> None:
        path = f"/proc/self/task/{threading.get_native_id()}/schedstat"
        try:
            self._fd: int | None = os.open(path, os.O_RDONLY)
        except OSError:
            self._fd = None

    def queued(self) -> float:
        if self._fd is None:
            return 0.0
        return int(os.pread(self._fd, 128, 0).split()[1]) / 1e9


def msg(mid: int, role: str, content: str, state: str = "complete") -> Any:
    return SimpleNamespace(id=mid, role=role, content=content, reasoning="", tool_calls=[],
                           state=state, finish_reason="stop" if state == "complete" else None,
                           usage=None, error=None)


def view_busy(view: Any) -> bool:
    """Work the view still has queued (background layout, sliced rendering)."""
    idle = view.row_geometry.idle
    if idle.isActive() or view._frame.isActive():
        return True
    pump = getattr(view.row_geometry, "pump", None)  # absent before slicing
    images = getattr(view.row_geometry, "data_images", None)  # data-URL images decoding
    math = getattr(view.row_geometry, "math_worker", None)  # formulas in the helper process
    return (bool(pump is not None and pump.busy) or bool(images is not None and images.pending)
            or bool(math is not None and math.pending))


def shift_wheel(view: Any) -> None:
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    at = QPointF(view.viewport().width() / 2, view.viewport().height() / 2)
    event = QWheelEvent(at, view.viewport().mapToGlobal(at), QPoint(0, 0), QPoint(0, -360),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ShiftModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), event)


def child(case: str, mode: str, bound: float, seconds: float, rate: int) -> None:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from desktopchat.core.events import ContentDelta
    from desktopchat.ui.chat_view import ChatView
    from desktopchat.ui.gc_guard import MainThreadGarbageCollector
    from desktopchat.ui.stream_runner import LiveStream
    from desktopchat.ui.theme import theme_named

    text = case_texts()[case]()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    # The app's collector, as the app runs it: on the main thread, start-up set aside.
    collector = MainThreadGarbageCollector()
    try:  # and the app's GIL switch interval (absent before it existed)
        from desktopchat.ui.gil import favour_the_ui_thread
        favour_the_ui_thread()
    except ImportError:
        pass
    view = ChatView(theme_named("light"))
    view.resize(900, 800)
    view.show()
    app.processEvents()
    freeze = getattr(collector, "freeze_start_up", None)  # absent before it existed
    if freeze is not None:
        freeze()
    base_rss = rss_mb()
    sched = SchedClock()
    state = {"gap": 0.0, "gap_cpu": 0.0, "step_cpu": 0.0, "last": time.perf_counter(),
             "cpu": time.thread_time(), "done": False, "gap_queued": 0.0, "gap_others": 0.0,
             "own": 0.0, "own_cpu": 0.0, "own_others": 0.0, "queued": sched.queued(),
             "others": time.process_time() - time.thread_time()}
    started = time.perf_counter()
    lock = threading.Lock()

    def report(bounded: bool) -> None:
        with lock:
            if state["done"]:
                return
            state["done"] = True
        now = time.perf_counter()
        gap = max(state["gap"], now - state["last"] if bounded else 0.0)
        print(json.dumps({
            "stall_ms": gap * 1000, "stall_cpu_ms": state["gap_cpu"] * 1000,
            "step_cpu_ms": state["step_cpu"] * 1000,
            "stall_queued_ms": state["gap_queued"] * 1000,
            "stall_others_ms": state["gap_others"] * 1000,
            "own_ms": state["own"] * 1000, "own_cpu_ms": state["own_cpu"] * 1000,
            "own_others_ms": state["own_others"] * 1000,
            "peak_mb": peak_mb(), "base_mb": base_rss, "seconds": now - started,
            "bounded": bounded, "chars": len(text),
        }), flush=True)

    def watchdog() -> None:
        while not state["done"]:
            time.sleep(0.1)
            if time.perf_counter() - started > bound:
                report(True)
                os._exit(0)

    def beat() -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        queued, others = sched.queued(), time.process_time() - cpu
        if now - state["last"] > state["gap"]:
            state["gap"] = now - state["last"]
            state["gap_cpu"] = cpu - state["cpu"]
            state["gap_queued"] = queued - state["queued"]
            state["gap_others"] = others - state["others"]
        # The gap less the time the main thread sat runnable in the kernel's run queue
        # (other processes had the cores): what the stall would be on an idle machine.
        own = now - state["last"] - (queued - state["queued"])
        if own > state["own"]:
            state["own"], state["own_cpu"] = own, cpu - state["cpu"]
            state["own_others"] = others - state["others"]
        state["queued"], state["others"] = queued, others
        # The most CPU between two beats, whichever gap it was in: our own longest step,
        # which a busy machine does not inflate the way it inflates the wall-clock gap.
        state["step_cpu"] = max(state["step_cpu"], cpu - state["cpu"])
        state["last"], state["cpu"] = now, cpu

    heartbeat = QTimer()
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.setInterval(1)
    heartbeat.timeout.connect(beat)

    steps: list[Any] = []  # actions run one after another, each once the view is idle

    def run_steps() -> None:
        if view_busy(view):
            QTimer.singleShot(20, run_steps)
            return
        if not steps:
            QTimer.singleShot(50, app.quit)  # let the last paint land inside the measurement
            return
        steps.pop(0)()
        QTimer.singleShot(20, run_steps)

    if mode == "stream":
        size = max(8, math.ceil(len(text) / (rate * seconds)))
        deltas = [text[i : i + size] for i in range(0, len(text), size)]
        view.set_messages([msg(1, "user", "Show me."), msg(2, "assistant", "", "streaming")])
        feeder = QTimer()
        feeder.setTimerType(Qt.TimerType.PreciseTimer)
        feeder.setInterval(5)
        offered = [0]
        t0 = [0.0]
        live = LiveStream(conversation_id=1, message_id=2)  # fold, then tell the view

        def feed() -> None:
            due = min(len(deltas), int((time.perf_counter() - t0[0]) * rate))
            while offered[0] < due:
                live.reply.apply(ContentDelta(deltas[offered[0]]))
                view.stream_from(2, live)
                offered[0] += 1
            if offered[0] >= len(deltas):
                feeder.stop()
                steps.append(lambda: view.finish_message(msg(2, "assistant", text)))
                QTimer.singleShot(0, run_steps)

        def start_feed() -> None:
            t0[0] = time.perf_counter()
            feeder.timeout.connect(feed)
            feeder.start()

        QTimer.singleShot(0, start_feed)
    else:
        sb = view.verticalScrollBar()
        steps.append(lambda: view.set_messages(
            [msg(1, "user", "Show me."), msg(2, "assistant", text)]))
        steps.append(lambda: sb.setValue(0))
        for _ in range(4):
            steps.append(lambda: sb.setValue(sb.value() + sb.pageStep()))
        steps.append(lambda: sb.setValue(sb.maximum() // 2))
        for _ in range(10):  # Shift+wheel: a code block under the pointer scrolls sideways
            steps.append(lambda: shift_wheel(view))
        steps.append(lambda: sb.setValue(sb.maximum()))
        QTimer.singleShot(0, run_steps)

    threading.Thread(target=watchdog, daemon=True).start()
    heartbeat.start()
    state["last"], state["cpu"] = time.perf_counter(), time.thread_time()
    app.exec()
    heartbeat.stop()
    report(False)
    os._exit(0)  # skip teardown of big documents: not part of the measurement


# -- the parent: runs every case in its own process and prints the table ----------------------


def run_case(case: str, mode: str, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", case, mode, "--bound", str(args.bound),
           "--seconds", str(args.seconds), "--rate", str(args.rate)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=args.bound + 60)
    except subprocess.TimeoutExpired:
        return {"stall_ms": (args.bound + 60) * 1000, "bounded": True, "killed": True,
                "peak_mb": float("nan"), "base_mb": float("nan"), "stall_cpu_ms": float("nan"),
                "step_cpu_ms": float("nan"), "seconds": args.bound + 60}
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("{"):
            return dict(json.loads(line))
    return {"error": (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]}


def fmt(result: dict[str, Any]) -> str:
    if "error" in result:
        return f"failed: {result['error'][0][:60]}"
    stall = result["stall_ms"]
    prefix = ">" if result.get("bounded") else " "
    over = " OVER" if stall > STALL_BUDGET_MS or result["peak_mb"] > RSS_BUDGET_MB else ""
    step = result.get("step_cpu_ms", float("nan"))
    own = (f"own {result['own_ms']:3.0f}: cpu {result['own_cpu_ms']:3.0f} + "
           f"others {result['own_others_ms']:3.0f}; " if "own_ms" in result else "")
    return (f"{prefix}{stall:5.0f} ms ({own}step {step:3.0f}) "
            f"{result['peak_mb']:4.0f} MB {result['seconds']:4.1f} s{over}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("cases", nargs="*", help="case names (default: all)")
    parser.add_argument("--bound", type=float, default=40.0,
                        help="seconds after which a case is stopped and reported as '>'")
    parser.add_argument("--seconds", type=float, default=8.0,
                        help="about how long each reply takes to stream")
    parser.add_argument("--rate", type=int, default=2000, help="deltas offered per second")
    parser.add_argument("--child", nargs=2, metavar=("CASE", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.bound, args.seconds, args.rate)
        return 0
    names = list(case_texts())
    chosen = [n for n in names if not args.cases or any(c in n for c in args.cases)]
    print(f"render_pathological: budget: longest stall <= {STALL_BUDGET_MS:.0f} ms, "
          f"peak RSS <= {RSS_BUDGET_MB:.0f} MB; '>' = stopped at the --bound of {args.bound:.0f} s")
    print("stall: the longest event-loop gap; own: the longest gap less the time the UI thread"
          " waited for a core\n(machine load), with its UI-thread CPU and other threads' CPU"
          " (GIL contention); step: most UI-thread CPU\nbetween two beats; peak RSS; duration")
    print(f"{'case':30} {'streaming (' + str(args.rate) + ' deltas/s)':66} opened later")
    over = False
    for name in chosen:
        results = [run_case(name, mode, args) for mode in ("stream", "open")]
        for r in results:
            over |= "error" in r or r.get("bounded", False) or r["stall_ms"] > STALL_BUDGET_MS \
                or r["peak_mb"] > RSS_BUDGET_MB
        print(f"{name:30} {fmt(results[0]):66} {fmt(results[1])}", flush=True)
    print("OVER BUDGET" if over else "within budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
