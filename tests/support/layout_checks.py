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


def cut_fields(root: QWidget) -> list[str]:
    """Fields a window shows cut: squashed below their minimum height, or reaching past the
    window's edge where no scroll area lets the user bring them into view."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractScrollArea,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
        QScrollArea,
    )

    problems = []
    kinds = (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractButton, QAbstractItemView,
             QAbstractScrollArea)
    for field in root.findChildren(QWidget):
        if not isinstance(field, kinds) or not _shown(field, root):
            continue
        if isinstance(field.parentWidget(), (QComboBox, QAbstractSpinBox)):
            continue  # the box's own editor, sized by the box
        name = field.objectName() or type(field).__name__
        if (not isinstance(field, QAbstractScrollArea)  # (a text or list box scrolls itself)
                and field.height() < field.minimumSizeHint().height()):
            problems.append(f"{name}: {field.height()} px tall, needs "
                            f"{field.minimumSizeHint().height()}")
        scrolled = False
        parent = field.parentWidget()
        while parent is not None and parent is not root:
            if isinstance(parent, QScrollArea):
                scrolled = True
                off = Qt.ScrollBarPolicy.ScrollBarAlwaysOff
                sideways = parent.horizontalScrollBarPolicy() != off
                port = parent.viewport()
                left = field.mapTo(port, field.rect().topLeft()).x()
                if not sideways and (left < 0 or left + field.width() > port.width()):
                    problems.append(f"{name}: {left}..{left + field.width()} px across, cut "
                                    f"by a view {port.width()} px wide that does not scroll "
                                    "sideways")
                break
            parent = parent.parentWidget()
        where = QRect(field.mapTo(root, field.rect().topLeft()), field.size())
        if not scrolled and not root.rect().contains(where):
            problems.append(f"{name}: at {where.getRect()}, outside the window's "
                            f"{root.rect().getRect()}")
    return problems
