"""The math helper process, seen from the UI thread: requests go out, SVG comes back.

ziamath runs in `desktopchat --math-worker` (desktopchat.math_svg), never in the UI
process, so a formula costs the UI thread only the drawing of its SVG (~1 ms), however
long the formula (DESIGN.md §6, §8). Nothing here blocks: `request` queues, `ready`
(the formula's key) arrives on the UI thread when the answer is in, and the transcript
renders the parts that showed the source meanwhile again. A few requests are in flight at a
time, the newest first (what is on screen now). A formula the worker takes longer than
`timeout_ms` over is shown as code and the worker is restarted for the rest; a worker that
cannot start, or dies MAX_DEATHS times in a row, leaves every formula as code.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import hashlib
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QProcess,
    QProcessEnvironment,
    QTimer,
    Signal,
)

import desktopchat
from desktopchat.math_svg import WORKER_FLAG

ANSWER_TIMEOUT_MS = 4000  # one formula's budget in the worker
MAX_DEATHS = 3  # worker deaths in a row without an answer before math is given up
IN_FLIGHT = 2  # requests sent ahead of their answers
MAX_ANSWERS = 512  # answers kept until their formula is drawn (the oldest go first)
MATH_KEY_PREFIX = "math:"  # worker keys, beside data images' keys in images_waiting


@dataclass(frozen=True)
class Request:
    key: str
    latex: str
    display: bool
    color: str
    size: float  # px of the drawing (device pixels)


@dataclass(frozen=True)
class Answer:
    svg: str | None  # None: shown as code (did not parse, too large, too slow, no worker)


def request_key(latex: str, display: bool, color: str, size: float) -> str:
    digest = hashlib.sha1(json.dumps([latex, display, color, size]).encode()).hexdigest()
    return f"{MATH_KEY_PREFIX}{digest[:24]}"


def worker_command() -> tuple[str, list[str]]:
    """The app itself with the worker flag (the frozen bundle has no `-m`)."""
    if getattr(sys, "frozen", False):
        return sys.executable, [WORKER_FLAG]
    return sys.executable, ["-m", "desktopchat", WORKER_FLAG]


class MathWorker(QObject):
    ready = Signal(str)  # the key of a formula whose answer is in

    def __init__(self, parent: QObject | None = None, *, timeout_ms: int = ANSWER_TIMEOUT_MS,
                 command: tuple[str, list[str]] | None = None) -> None:
        super().__init__(parent)
        self._command = command or worker_command()
        self._waiting: dict[str, Request] = {}  # not sent yet; the newest is sent first
        self._sent: dict[int, Request] = {}  # in flight, answered in this order
        self._answers: dict[str, Answer] = {}
        self._process: QProcess | None = None
        self._started = False  # the worker said it is ready (its font is loaded)
        self._buffer = b""
        self._next_id = 0
        self._deaths = 0
        self.broken = False  # math is given up: every formula shows as code
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(timeout_ms)
        self._timer.timeout.connect(self._too_slow)

    @property
    def pending(self) -> int:
        """Formulas asked for and not answered yet."""
        return len(self._waiting) + len(self._sent)

    def answer(self, key: str) -> Answer | None:
        return self._answers.get(key)

    def forget(self, key: str) -> None:
        self._answers.pop(key, None)

    def request(self, request: Request) -> bool:
        """Ask for a formula; False when it is answered or asked for already."""
        key = request.key
        if key in self._answers or key in self._waiting or any(
                r.key == key for r in self._sent.values()):
            return False
        self._waiting[key] = request
        self._send()
        return True

    def wait(self, keys: set[str], timeout_s: float = 60.0) -> bool:
        """Block until `keys` are answered (for tests and benchmarks, never the app);
        False when some are not."""
        deadline = time.monotonic() + timeout_s
        while any(k not in self._answers for k in keys) and time.monotonic() < deadline:
            if self.broken or self._process is None:
                break
            process = self._process
            if process.waitForReadyRead(100):
                self._read()
            elif process.state() == QProcess.ProcessState.NotRunning:
                self._ended()  # died: its finished signal would come in the event loop
            elif self._timer.isActive() and self._timer.remainingTime() == 0:
                self._too_slow()
        return all(k in self._answers for k in keys)

    # -- the process --------------------------------------------------------------------

    def _start(self) -> None:
        process = QProcess(self)
        program, args = self._command
        process.setProgram(program)
        process.setArguments(args)
        if not getattr(sys, "frozen", False):
            # The worker imports this very copy of desktopchat, wherever it is.
            env = QProcessEnvironment.systemEnvironment()
            here = str(Path(desktopchat.__file__).resolve().parents[1])
            path = env.value("PYTHONPATH")
            env.insert("PYTHONPATH", here + (":" + path if path else ""))
            process.setProcessEnvironment(env)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.ForwardedErrorChannel)
        process.readyReadStandardOutput.connect(self._read)
        process.finished.connect(self._ended)
        process.errorOccurred.connect(self._failed)
        self._process, self._started, self._buffer = process, False, b""
        process.start()

    def close(self) -> None:
        """At quit: the worker's stdin closes and it exits by itself (no wait here)."""
        with contextlib.suppress(RuntimeError):  # Qt has deleted it: the worker saw EOF
            if self._process is not None:
                self._process.closeWriteChannel()

    def end(self) -> None:
        """At exit, once the window is gone: make sure the worker has ended."""
        with contextlib.suppress(RuntimeError):  # Qt has deleted it already
            self._stop()

    def _stop(self) -> None:
        """Let go of the current worker (killed if running); what it had is sent again."""
        process, self._process = self._process, None
        self._timer.stop()
        if process is not None:
            for signal in (process.readyReadStandardOutput, process.finished,
                           process.errorOccurred):
                signal.disconnect()
            process.kill()
            process.waitForFinished(1000)
            process.deleteLater()
        for request in self._sent.values():
            self._waiting[request.key] = request  # newest end: sent first again
        self._sent.clear()

    def _send(self) -> None:
        if self.broken:
            for key in list(self._waiting):
                self._settle(key, None)
            return
        if self._process is None:
            self._start()
        if not self._started or self._process is None:
            return  # sent once the worker says it is ready
        while self._waiting and len(self._sent) < IN_FLIGHT:
            key = next(reversed(self._waiting))
            request = self._waiting.pop(key)
            self._next_id += 1
            self._sent[self._next_id] = request
            line = json.dumps({"id": self._next_id, "latex": request.latex,
                               "display": request.display, "color": request.color,
                               "size": request.size})
            self._process.write(line.encode("ascii") + b"\n")
        if self._sent and not self._timer.isActive():
            self._timer.start()

    def _read(self) -> None:
        if self._process is None:
            return
        self._buffer += bytes(self._process.readAllStandardOutput().data())
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if not isinstance(message, dict):
                continue
            if message.get("ready"):
                self._started = True
                continue
            number = message.get("id")
            request = self._sent.pop(number, None) if isinstance(number, int) else None
            if request is None:
                continue
            svg = message.get("svg")
            self._deaths = 0
            self._timer.stop()
            self._settle(request.key, svg if isinstance(svg, str) else None)
        self._send()

    def _settle(self, key: str, svg: str | None) -> None:
        self._waiting.pop(key, None)
        if len(self._answers) >= MAX_ANSWERS:
            self._answers.pop(next(iter(self._answers)))
        self._answers[key] = Answer(svg)
        self.ready.emit(key)

    def _fail_first(self) -> None:
        """The formula the worker was on when it hung or died is shown as code."""
        if self._sent:
            first = next(iter(self._sent))
            self._settle(self._sent.pop(first).key, None)

    def _too_slow(self) -> None:
        self._fail_first()
        self._stop()
        self._send()

    def _ended(self) -> None:
        self._deaths += 1
        self._fail_first()
        self._stop()
        if self._deaths >= MAX_DEATHS:
            self.broken = True
        self._send()

    def _failed(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._stop()
            self.broken = True
            self._send()


@functools.cache
def shared_math_worker() -> MathWorker:
    """The app's one math worker, for every renderer (made on first use, ended at quit)."""
    worker = MathWorker()
    app = QCoreApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(worker.close)
    atexit.register(worker.end)
    return worker
