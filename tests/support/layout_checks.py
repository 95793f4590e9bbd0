"""Finding text a window shows cut: a label or button narrower than its words.

A label that does not wrap must be as wide as its text (or show it elided with "…", which
the app does on purpose); a word-wrapping label must be tall enough for its wrapped lines
and wider than its longest word (else Qt breaks that word mid-way); a button must be as
wide as its text asks.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget


def _shown(widget: QWidget, root: QWidget) -> bool:
    return widget.isVisible() and widget.isVisibleTo(root) and widget.width() > 0


def clipped_texts(root: QWidget) -> list[str]:
    problems = []
    for label in root.findChildren(QLabel):
        text = label.text()
        if not text.strip() or not _shown(label, root) or not label.pixmap().isNull():
            continue
        room = label.contentsRect().width() - 2 * label.margin() - label.indent() * 0
        metrics = label.fontMetrics()
        if label.wordWrap():
            longest = max(text.split(), key=metrics.horizontalAdvance)
            if metrics.horizontalAdvance(longest) > room:
                problems.append(f"{label.objectName() or text!r}: the word {longest!r} is "
                                f"wider than the label ({room} px)")
            elif label.height() < label.heightForWidth(label.width()):
                problems.append(f"{label.objectName() or text!r}: {label.height()} px tall, "
                                f"its lines need {label.heightForWidth(label.width())}")
        elif "…" not in text:
            needed = max(metrics.horizontalAdvance(line) for line in text.splitlines())
            if needed > room:
                problems.append(f"{label.objectName() or text!r}: {room} px wide, "
                                f"its text needs {needed}")
    for button in root.findChildren(QAbstractButton):
        if button.text().strip() and _shown(button, root):
            hint = button.minimumSizeHint().width()
            if button.width() < hint:
                problems.append(f"button {button.text()!r}: {button.width()} px wide, "
                                f"needs {hint}")
    return problems
