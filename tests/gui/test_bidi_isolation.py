"""Issue 10 §3: a direction override (U+202E) or right-to-left text in a title, a file or
profile name reverses only that name, never the words the app puts around it: such data
is set inside a bidi isolate. Checked on the real label's laid-out text."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QTextLayout
from PySide6.QtWidgets import QLabel

from desktopchat.ui.history_undo import UndoBar
from desktopchat.ui.plain_text import isolated


def x_positions(text: str, font: Any) -> list[float]:
    layout = QTextLayout(text, font)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(10_000)
    layout.endLayout()
    return [line.cursorToX(i)[0] for i in range(len(text))]


def test_only_text_that_can_turn_is_isolated() -> None:
    assert isolated("report.txt") == "report.txt"
    assert isolated("数据库 notes") == "数据库 notes"
    assert isolated("\u202egnp.exe") == "\u2068\u202egnp.exe\u2069"
    assert isolated("שלום") == "\u2068שלום\u2069"


def test_an_override_in_a_title_turns_only_the_title(qtbot: Any) -> None:
    bar = UndoBar()
    qtbot.addWidget(bar)
    bar.resize(900, 40)
    bar.offer(7, "\u202egnp.exe")
    label = bar.findChild(QLabel)
    assert label is not None
    text = label.text()
    assert "\u2068\u202egnp.exe\u2069" in text
    xs = x_positions(text, label.font())
    closing = text.index("\u2069") + 1  # the app's closing quote, after the title
    # The title's inner characters (its first one sits on the run's edge, where a cursor's
    # place is ambiguous).
    title = range(text.index("g") + 1, text.index("\u2069"))
    assert all(xs[closing] > xs[i] for i in title)  # the quote stays after the title
    # The control: without the isolate the closing quote is pulled into the reversed run.
    bare = text.replace("\u2068", "").replace("\u2069", "")
    xs = x_positions(bare, label.font())
    assert xs[bare.index("exe") + 3] < xs[bare.index("n")]
