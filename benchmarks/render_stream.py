"""Streaming render benchmark: deltas offered at a fixed rate through the real ChatView.

    .venv/bin/python benchmarks/render_stream.py [--deltas 100000] [--rate 2000]

Prints, for our view: the longest event-loop stall (a 1 ms heartbeat timer), the
main-thread cost of the first and the last 10% of deltas (append + frame + paint),
RSS at the end; beside it, in the same run, a naive full re-render (markdown of the
whole reply -> setHtml on every coalesced update, the pattern of the clients that
freeze) for a shorter run. Then opens a 500-message conversation and times a window
resize and a scroll page, against one QTextDocument holding the whole transcript.
Budgets (DESIGN.md §8): stall <= 50 ms, last/first <= 2, RSS <= 300 MB, resize and
scroll <= 50 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication

from desktopchat.core.events import ContentDelta
from desktopchat.ui.chat_view import ChatView
from desktopchat.ui.markdown import MarkdownRenderer
from desktopchat.ui.stream_runner import LiveStream
from desktopchat.ui.theme import theme_named

_PROSE = (
    "the stream keeps flowing while the window stays responsive and every token "
    "lands in its place without repainting what is already there"
)
WORDS = _PROSE.split()


def token_stream(count: int, seed: int = 7) -> list[str]:
    """Model-like deltas: prose paragraphs, lists, headings and fenced code."""
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < count:
        kind = rng.random()
        if kind < 0.6:
            out.extend(rng.choice(WORDS) + " " for _ in range(rng.randint(30, 90)))
            out.append("\n\n")
        elif kind < 0.75:
            for _ in range(rng.randint(3, 6)):
                out.append("- ")
                out.extend(rng.choice(WORDS) + " " for _ in range(rng.randint(4, 12)))
                out.append("\n")
            out.append("\n")
        elif kind < 0.8:
            out.extend(["## ", rng.choice(WORDS).title(), " ", rng.choice(WORDS), "\n\n"])
        else:
            out.append("```python\n")
            for i in range(rng.randint(4, 20)):
                out.extend(["def ", f"f{i}", "(x):", " return ", "x * ", str(i), "\n"])
            out.append("```\n\n")
    return out[:count]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def msg(mid: int, role: str, content: str, state: str = "complete") -> Any:
    return SimpleNamespace(id=mid, role=role, content=content, reasoning="", tool_calls=[],
                           state=state, finish_reason=None, usage=None, error=None)


class Run:
    """Feeds deltas at `rate`/s with a timer, measures stalls and per-window main-thread cost."""

    def __init__(self, app: QApplication, deltas: list[str], rate: int, sink: Any,
                 cost_of: list[float]) -> None:
        self.app, self.deltas, self.rate, self.sink = app, deltas, rate, sink
        self.cost = cost_of  # [seconds] accumulated by the instrumented code paths
        self.offered = 0
        self.marks: dict[int, float] = {}
        self.window = max(1, len(deltas) // 10)
        self.max_gap = 0.0
        self.max_gap_cpu = 0.0
        self.clock = QElapsedTimer()
        self.last_beat = 0.0

    def run(self) -> None:
        feeder = QTimer()
        feeder.setTimerType(Qt.TimerType.PreciseTimer)
        feeder.setInterval(5)
        beat = QTimer()
        beat.setTimerType(Qt.TimerType.PreciseTimer)
        beat.setInterval(1)
        self.clock.start()
        start = time.perf_counter()
        self.last_beat = start

        last_cpu = [time.thread_time()]

        def heartbeat() -> None:
            # Wall time between beats is the stall a user feels; the main thread's CPU time
            # in the same gap tells our own work apart from a busy (shared) machine.
            now, cpu = time.perf_counter(), time.thread_time()
            if now - self.last_beat > self.max_gap:
                self.max_gap = now - self.last_beat
                self.max_gap_cpu = cpu - last_cpu[0]
            self.last_beat = now
            last_cpu[0] = cpu

        def feed() -> None:
            due = min(len(self.deltas), int((time.perf_counter() - start) * self.rate))
            while self.offered < due:
                t0 = time.perf_counter()
                self.sink(self.deltas[self.offered])
                self.cost[0] += time.perf_counter() - t0
                self.offered += 1
                if self.offered % self.window == 0:
                    self.marks[self.offered] = self.cost[0]
            if self.offered >= len(self.deltas):
                feeder.stop()
                QTimer.singleShot(100, self.app.quit)

        feeder.timeout.connect(feed)
        beat.timeout.connect(heartbeat)
        feeder.start()
        beat.start()
        self.app.exec()
        beat.stop()

    def first_last(self) -> tuple[float, float]:
        n = len(self.deltas)
        first = self.marks.get(self.window, 0.0)
        last = self.cost[0] - self.marks.get(n - self.window, 0.0)
        return first, last


def instrument(view: ChatView, cost: list[float]) -> None:
    """Count the main-thread time of the frame flush and every paint (once: a frame paints
    inside the flush)."""
    flush, paint = view._flush_frame, view.paintEvent
    flushing = [False]

    def timed_flush() -> None:
        t0 = time.perf_counter()
        flushing[0] = True
        try:
            flush()
        finally:
            flushing[0] = False
        cost[0] += time.perf_counter() - t0

    def timed_paint(event: Any) -> None:
        t0 = time.perf_counter()
        paint(event)
        if not flushing[0]:
            cost[0] += time.perf_counter() - t0

    view._frame.timeout.disconnect()
    view._frame.timeout.connect(timed_flush)
    view.paintEvent = timed_paint  # type: ignore[method-assign]


def stream_through_view(app: QApplication, deltas: list[str], rate: int) -> dict[str, float]:
    view = ChatView(theme_named("light"))
    view.resize(900, 800)
    view.show()
    view.set_messages(
        [msg(1, "user", "Write a long answer."), msg(2, "assistant", "", "streaming")])
    cost = [0.0]
    instrument(view, cost)
    live = LiveStream(conversation_id=1, message_id=2)  # fold, then tell the view

    def sink(delta: str) -> None:
        live.reply.apply(ContentDelta(delta))
        view.stream_from(2, live)

    run = Run(app, deltas, rate, sink, cost)
    run.run()
    view.flush()
    first, last = run.first_last()
    result = {"stall_ms": run.max_gap * 1000, "stall_cpu_ms": run.max_gap_cpu * 1000,
              "first_ms": first * 1000, "last_ms": last * 1000,
              "frames": view.frames_painted, "chars": len(view.item(2).content),
              "rss_mb": rss_mb()}
    view.close()
    return result


def naive_full_rerender(app: QApplication, deltas: list[str], rate: int) -> dict[str, float]:
    """The reference: re-render the whole reply (markdown -> HTML -> setHtml) each frame."""
    renderer = MarkdownRenderer(theme_named("light"))
    doc = QTextDocument()
    doc.setTextWidth(860)
    parts: list[str] = []
    dirty = [False]
    cost = [0.0]
    frame = QTimer()
    frame.setInterval(33)
    frame.setSingleShot(True)

    def render() -> None:
        t0 = time.perf_counter()
        doc.setHtml(renderer.render("".join(parts)).html)
        doc.size()  # force the layout, as painting would
        cost[0] += time.perf_counter() - t0
        dirty[0] = False

    frame.timeout.connect(render)

    def sink(delta: str) -> None:
        parts.append(delta)
        if not frame.isActive():
            frame.start()

    run = Run(app, deltas, rate, sink, cost)
    run.run()
    first, last = run.first_last()
    return {"stall_ms": run.max_gap * 1000, "stall_cpu_ms": run.max_gap_cpu * 1000,
            "first_ms": first * 1000, "last_ms": last * 1000}


def long_conversation(count: int = 500) -> list[Any]:
    rng = random.Random(3)
    stream = token_stream(count * 120, seed=11)
    out = []
    for i in range(count):
        if i % 2 == 0:
            out.append(msg(i + 1, "user", " ".join(rng.choice(WORDS) for _ in range(20))))
        else:
            out.append(msg(i + 1, "assistant", "".join(stream[i * 120 : i * 120 + 240])))
    return out


def resize_and_scroll(app: QApplication) -> dict[str, float]:
    messages = long_conversation()
    view = ChatView(theme_named("light"))
    view.resize(900, 800)
    view.show()
    t0 = time.perf_counter()
    view.set_messages(messages)
    view.viewport().repaint()
    open_ms = (time.perf_counter() - t0) * 1000
    deadline = time.perf_counter() + 30
    while view.row_geometry.idle.isActive() and time.perf_counter() < deadline:
        app.processEvents()
    resize_times = []
    for width in (780, 960, 700, 1000, 880, 820):
        t0 = time.perf_counter()
        view.resize(width, 800)
        view.viewport().repaint()
        resize_times.append((time.perf_counter() - t0) * 1000)
    sb = view.verticalScrollBar()
    sb.setValue(sb.maximum())
    scroll_times = []
    for _ in range(20):
        t0 = time.perf_counter()
        sb.setValue(sb.value() - sb.pageStep())
        view.viewport().repaint()
        scroll_times.append((time.perf_counter() - t0) * 1000)
    view.close()

    renderer = MarkdownRenderer(theme_named("light"))
    whole = QTextDocument()
    whole.setHtml("".join(renderer.render(m.content).html for m in messages))
    whole.setTextWidth(860)
    whole.size()
    ref_times = []
    for width in (740, 920, 660, 960):
        t0 = time.perf_counter()
        whole.setTextWidth(width)
        whole.size()
        ref_times.append((time.perf_counter() - t0) * 1000)
    return {"open_ms": open_ms, "resize_max": max(resize_times),
            "resize_median": statistics.median(resize_times), "scroll_max": max(scroll_times),
            "scroll_median": statistics.median(scroll_times), "ref_resize": max(ref_times)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--deltas", type=int, default=100_000)
    parser.add_argument("--rate", type=int, default=2000, help="deltas offered per second")
    parser.add_argument("--baseline-deltas", type=int, default=20_000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    deltas = token_stream(args.deltas)
    ours = stream_through_view(app, deltas, args.rate)
    base_n = min(args.baseline_deltas, args.deltas)
    ours_short = stream_through_view(app, deltas[:base_n], args.rate)
    naive = naive_full_rerender(app, deltas[:base_n], args.rate)
    layout = resize_and_scroll(app)

    ratio = ours["last_ms"] / max(ours["first_ms"], 1e-6)
    print(f"render_stream: {args.deltas} deltas offered at {args.rate}/s "
          f"({ours['chars']} chars, {ours['frames']} frames painted)")
    print(f"  chat view   : longest stall {ours['stall_ms']:6.1f} ms (budget 50; main-thread "
          f"CPU in it {ours['stall_cpu_ms']:.1f} ms) | "
          f"first 10% {ours['first_ms']:8.1f} ms, last 10% {ours['last_ms']:8.1f} ms, "
          f"last/first {ratio:.2f} (budget 2) | RSS {ours['rss_mb']:.0f} MB (budget 300)")
    for name, figures in (("chat view   ", ours_short), ("naive redraw", naive)):
        r = figures["last_ms"] / max(figures["first_ms"], 1e-6)
        print(f"  {base_n} deltas, {name}: longest stall {figures['stall_ms']:7.1f} ms "
              f"(CPU {figures['stall_cpu_ms']:.1f}) | "
              f"first 10% {figures['first_ms']:8.1f} ms, last 10% {figures['last_ms']:8.1f} ms,"
              f" last/first {r:.2f}")
    print(f"500-message chat: open {layout['open_ms']:.1f} ms | resize max "
          f"{layout['resize_max']:.1f} ms (median {layout['resize_median']:.1f}) | scroll page "
          f"max {layout['scroll_max']:.1f} ms (median {layout['scroll_median']:.1f}) "
          f"(budget 50) | reference: one QTextDocument resize {layout['ref_resize']:.1f} ms")
    ok = (ours["stall_ms"] <= 50 and ratio <= 2 and ours["rss_mb"] <= 300
          and layout["resize_max"] <= 50 and layout["scroll_max"] <= 50)
    print("within budget" if ok else "OVER BUDGET")
    return 0


if __name__ == "__main__":
    sys.exit(main())
