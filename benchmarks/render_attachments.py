"""Attachment-heavy conversations through the real chat view: the longest UI-thread stall.

    .venv/bin/python benchmarks/render_attachments.py [--messages 60] [--images 4]

A conversation of --messages user turns, each with --images photos (2048x1536 PNG, noisy so
decoding costs what a real photo costs) and two text files, each answered by an ordinary
reply. It is opened, then paged from the top to the bottom and back, waiting for the view
(and its thumbnail decoder) to be idle between steps. A 1 ms heartbeat timer measures the
longest event-loop gap. The reference row is the same conversation without attachments,
measured the same way in the same run. Budget (DESIGN.md §6, §8): stall <= 50 ms.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

STALL_BUDGET_MS = 50.0


def photo(seed: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage, QPainter

    image = QImage(2048, 1536, QImage.Format.Format_RGB32)
    image.fill(QColor((seed * 53) % 255, 120, 200))
    painter = QPainter(image)
    for i in range(400):  # shapes, so the PNG does not compress to nothing
        painter.fillRect((i * 97 + seed * 31) % 2000, (i * 61) % 1500, 40, 30,
                         QColor((i * 7) % 255, (i * 13 + seed) % 255, (i * 29) % 255))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def conversation(messages: int, images: int, with_files: bool) -> tuple[list[Any], dict[int, Any]]:
    from desktopchat.attachments import Attachment, Kind

    photos = [photo(seed) for seed in range(images * 4)]
    rows, files = [], {}
    for n in range(messages):
        user_id, reply_id = 2 * n + 1, 2 * n + 2
        rows.append(SimpleNamespace(id=user_id, role="user", content=f"Question {n}: see these",
                                    reasoning="", tool_calls=[], state="complete",
                                    finish_reason=None, usage=None, error=None))
        rows.append(SimpleNamespace(id=reply_id, role="assistant",
                                    content=f"Answer {n}: **they** show `shapes`.\n\n- one\n- two",
                                    reasoning="", tool_calls=[], state="complete",
                                    finish_reason="stop", usage=None, error=None))
        if with_files:
            files[user_id] = tuple(
                [Attachment(f"photo-{n}-{i}.png", Kind.IMAGE, "image/png",
                            photos[(n * images + i) % len(photos)]) for i in range(images)]
                + [Attachment(f"notes-{n}.txt", Kind.TEXT, "text/plain", b"x" * 5000),
                   Attachment(f"paper-{n}.pdf", Kind.PDF, "text/plain", b"y" * 90000)])
    return rows, files


def measure(messages: int, images: int, with_files: bool) -> float:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from desktopchat.ui.chat_view import ChatView
    from desktopchat.ui.theme import theme_named

    rows, files = conversation(messages, images, with_files)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    view = ChatView(theme_named("light"))
    view.row_geometry.attachment_source = lambda mid: files.get(mid, ())
    view.resize(900, 800)
    view.show()
    # Warm up once (markdown, highlighter, fonts), as a running app has: not measured.
    view.set_messages(rows[:2])
    for _ in range(5):
        app.processEvents()
        time.sleep(0.02)
    view.clear()
    app.processEvents()
    state = {"gap": 0.0, "last": time.perf_counter()}

    def beat() -> None:
        now = time.perf_counter()
        state["gap"] = max(state["gap"], now - state["last"])
        state["last"] = now

    def busy() -> bool:
        pump = view.row_geometry.pump
        return (view.row_geometry.idle.isActive() or view._frame.isActive() or pump.busy
                or bool(view.thumbnails.pending))

    sb = view.verticalScrollBar()
    steps: list[Any] = [lambda: view.set_messages(rows), lambda: sb.setValue(0)]
    for _ in range(40):
        steps.append(lambda: sb.setValue(min(sb.maximum(), sb.value() + sb.pageStep())))
    steps.append(lambda: sb.setValue(0))

    def run_steps() -> None:
        if busy():
            QTimer.singleShot(10, run_steps)
            return
        if not steps:
            QTimer.singleShot(50, app.quit)
            return
        steps.pop(0)()
        QTimer.singleShot(10, run_steps)

    heartbeat = QTimer()
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.setInterval(1)
    heartbeat.timeout.connect(beat)
    heartbeat.start()
    QTimer.singleShot(0, run_steps)
    state["last"] = time.perf_counter()
    app.exec()
    heartbeat.stop()
    view.thumbnails.shutdown()
    return state["gap"] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=60)
    parser.add_argument("--images", type=int, default=4)
    args = parser.parse_args()
    reference = measure(args.messages, args.images, with_files=False)
    heavy = measure(args.messages, args.images, with_files=True)
    print(f"render_attachments: {args.messages} user turns, each with {args.images} "
          f"2048x1536 PNGs + 2 text files; budget: longest stall <= {STALL_BUDGET_MS:.0f} ms")
    print(f"  reference (same chat, no attachments)  longest stall {reference:6.1f} ms")
    print(f"  attachment-heavy                       longest stall {heavy:6.1f} ms")
    print("attachment-heavy: " + ("within budget" if heavy <= STALL_BUDGET_MS else "OVER BUDGET"))
    if reference > STALL_BUDGET_MS:
        print("(the reference is over the budget too: the machine was busy during this run)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
