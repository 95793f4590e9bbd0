"""Settings' list of profile names, never narrower than its longest name (up to its
maximum width, which grows with the font).

A list widget's minimum width is a guess of a few characters; with the Add, Duplicate,
Rename and Remove buttons two by two below it, Settings at its narrowest cut a name such as
"llama.cpp server (local)" and put a sideways scroll bar under the list.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize
from PySide6.QtWidgets import QListWidget, QWidget

ITEM_PADDING = 8  # px: the style's margin around an item's text, both sides together
MAX_CHARACTERS = 32  # the list's widest, in average characters (about 230 px at 11 pt)


class ProfileList(QListWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fit_maximum()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_maximum()

    def _fit_maximum(self) -> None:
        # A fixed number of pixels cut names at a large font that fit at the usual one.
        self.setMaximumWidth(self.fontMetrics().averageCharWidth() * MAX_CHARACTERS)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(item.text()) for item in
                      (self.item(row) for row in range(self.count())) if item is not None),
                     default=0)
        # The vertical bar is counted: a long list has one, and it takes room from the names.
        width = (widest + ITEM_PADDING + 2 * self.frameWidth()
                 + self.verticalScrollBar().sizeHint().width())
        return QSize(min(max(hint.width(), width), self.maximumWidth()), hint.height())
