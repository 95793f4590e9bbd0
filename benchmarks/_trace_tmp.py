"""Pathological replies through the real chat view: longest UI-thread stall and peak RSS.

    .venv/bin/python benchmarks/render_pathological.py [--bound 40] [--seconds 8] [CASE ...]

Each case (pathological_cases.py) runs twice, each time in a fresh process (so peak RSS is
the case's own): `stream` offers the reply as deltas at --rate deltas/s (sized so it
streams in about --seconds s) through ChatView.stream_from (a core Reply), then finishes
the message; `open` shows the finished message as a conversation opened later, then
scrolls to the top, pages down through it, and Shift+wheels over the middle (a code
block there scrolls sideways). A 1 ms heartbeat timer measures the longest event-loop gap
(a stall the user feels), split by stall_meter.py into the UI thread's CPU, the time it
waited for a core (queued) or for the hypervisor (steal), the time it slept inside a
step (waited: on the GIL or a lock), other threads' CPU meanwhile and garbage collection;
"own" is the longest gap less queued and steal (the stall on an idle machine), "step" the
most UI-thread CPU between two beats. A watchdog thread ends a case after --bound
seconds, so a case that freezes the loop is reported as "> bound". The reference row is
an ordinary reply (prose, lists, code) measured the same way in the same run.
Garbage is collected as in the app (ui/gc_guard.py: on the main thread, what start-up
built set aside), with the app's GIL switch interval (ui/gil.py).
Budgets (DESIGN.md §6, §8): stall <= 50 ms, peak RSS <= 300 MB for a 2 MB reply.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathological_cases import case_texts  # noqa: E402  (benchmarks/ is on the path now)
from stall_meter import PARTS, StallMeter  # noqa: E402

STALL_BUDGET_MS = 50.0
RSS_BUDGET_MB = 300.0


# -- the child: one case, one mode ---------------------------------------------------------


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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
    meter = StallMeter()
    started = time.perf_counter()
    lock = threading.Lock()
    done = [False]

    def report(bounded: bool) -> None:
        with lock:
            if done[0]:
                return
            done[0] = True
        figures = meter.figures(open_gap=meter.since_last_beat() if bounded else 0.0)
        print(json.dumps({**figures, "peak_mb": peak_mb(), "base_mb": base_rss,
                          "seconds": time.perf_counter() - started, "bounded": bounded,
                          "chars": len(text)}), flush=True)

    def watchdog() -> None:
        while not done[0]:
            time.sleep(0.1)
            if time.perf_counter() - started > bound:
                report(True)
                os._exit(0)

    heartbeat = QTimer()
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.setInterval(1)
    heartbeat.timeout.connect(meter.beat)

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
    meter.restart()
    app.exec()
    heartbeat.stop()
    report(False)
    _trace_dump()
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


HEADER = (f"{'case':30} {'mode':6} {'stall':>6} = {'cpu':>4} {'queue':>5} {'steal':>5} "
          f"{'waited':>6} | {'others':>6} {'gc':>3} {'flt':>3} | {'own':>4} {'step':>4} | "
          f"{'peak':>6} {'time':>6}")


def fmt(result: dict[str, Any]) -> str:
    """One case in one mode: the stall in its parts (ms), own, step, peak RSS, duration."""
    if "error" in result:
        return f"failed: {result['error'][0][:60]}"
    stall = result["stall_ms"]
    prefix = ">" if result.get("bounded") else " "
    over = " OVER" if stall > STALL_BUDGET_MS or result["peak_mb"] > RSS_BUDGET_MB else ""
    part = {k: result.get(f"stall_{k}_ms", float("nan")) for k in PARTS}
    return (f"{prefix}{stall:5.0f} = {part['cpu']:4.0f} {part['queued']:5.0f} "
            f"{part['steal']:5.0f} {part['waited']:6.0f} | {part['others']:6.0f} "
            f"{part['gc']:3.0f} {part['faults']:3.0f} | {result.get('own_ms', float('nan')):4.0f} "
            f"{result.get('step_cpu_ms', float('nan')):4.0f} | {result['peak_mb']:3.0f} MB "
            f"{result['seconds']:4.1f} s{over}")


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
    print("stall = cpu + queue + steal + waited: the longest event-loop gap (ms), split into the"
          " UI thread's CPU,\nits wait for a core (machine load) and for the hypervisor, and"
          " the rest, asleep inside a step\n(the GIL or a lock); others: other threads' CPU"
          " meanwhile; gc: collection inside it; flt: major\npage faults (disk reads) inside"
          " it; own: the longest gap less queue and steal; step: the most\nUI-thread CPU"
          " between two beats (stall_meter.py)")
    print(HEADER)
    over = False
    for name in chosen:
        results = [run_case(name, mode, args) for mode in ("stream", "open")]
        for r in results:
            over |= "error" in r or r.get("bounded", False) or r["stall_ms"] > STALL_BUDGET_MS \
                or r["peak_mb"] > RSS_BUDGET_MB
        for mode, result in zip(("stream", "open"), results, strict=True):
            print(f"{name if mode == 'stream' else '':30} {mode:6} {fmt(result)}", flush=True)
    print("OVER BUDGET" if over else "within budget")
    return 0


exec(open("/tmp/stalls/hooks.py").read())
import stall_meter as _sm
_orig_beat = _sm.StallMeter.beat
def _beat(self):
    last = self._last["now"]; c0 = self._last["cpu"]
    _orig_beat(self)
    _trace_gap(last, self._last["now"], self._last["cpu"] - c0, 0, 0)
_sm.StallMeter.beat = _beat
if __name__ == "__main__":
    sys.exit(main())
