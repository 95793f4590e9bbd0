"""A word-wrapping plain-text label that is always as tall as its wrapped lines.

QFormLayout inside a QScrollArea sizes a wrapping label's row from a width it guesses
before the field's real width is known, so a long text (a server's answer to Test
connection) was cut off at the bottom. Asking for the height the real width needs, each
time the width or the text changes, makes the layout give it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget

MIN_WIDTH = 40  # px


class WrappingLabel(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)  # server text: never rich text
        self.setWordWrap(True)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self.width() < MIN_WIDTH:  # not laid out yet: a guess would be far too tall
            return
        needed = self.heightForWidth(self.width()) if self.text() else 0
        if needed != self.minimumHeight():
            self.setMinimumHeight(max(0, needed))
