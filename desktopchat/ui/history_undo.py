"""The "Deleted … Undo" bar: a deletion waits here for a few seconds before it is real.

It holds one thing at a time: a chat's deletion (done for real when the time is up), or a
change already made that Undo reverses (a deleted folder, put back by its undo callback).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QSizePolicy, QWidget

from desktopchat.ui.i18n import translate
from desktopchat.ui.plain_text import isolated, new_label, tooltip

UNDO_SECONDS = 8.0


class UndoBar(QFrame):
    """Holds one pending deletion. A second deletion makes the first one final at once."""

    undo_clicked = Signal(int)  # conversation id
    expired = Signal(int)  # conversation id: delete it for real now

    def __init__(self, parent: QWidget | None = None, *, seconds: float = UNDO_SECONDS) -> None:
        super().__init__(parent)
        self.setObjectName("historyUndoBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._pending: int | None = None
        self._undo_action: Callable[[], None] | None = None
        self._label = new_label(self)
        self._label.setWordWrap(False)
        # The title is elided to the room there is: a long one must not widen the sidebar
        # (which moved the Undo button away from under the pointer).
        self._label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._text = ""
        self._button = QPushButton(translate("UndoBar", "Undo"), self)
        self._button.clicked.connect(self._undo)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self._label, 1)
        layout.addWidget(self._button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(int(seconds * 1000))
        self._timer.timeout.connect(self.commit)
        self.hide()

    @property
    def pending(self) -> int | None:
        return self._pending

    def offer(self, conversation_id: int, title: str) -> None:
        self.commit()
        self._pending = conversation_id
        shown = title if len(title) <= 40 else title[:39] + "…"
        self._text = translate("UndoBar", "Deleted “{title}”").format(title=isolated(shown))
        self._elide()
        self._label.setToolTip(tooltip(title))
        self.show()
        self._timer.start()

    def offer_undo(self, text: str, undo: Callable[[], None]) -> None:
        """Offer to undo a change already made: `undo` runs on Undo, nothing on expiry."""
        self.commit()
        self._undo_action = undo
        self._text = text
        self._elide()
        self._label.setToolTip(tooltip(text))
        self.show()
        self._timer.start()

    def _elide(self) -> None:
        width = max(0, self._label.width())
        self._label.setText(self._label.fontMetrics().elidedText(
            self._text, Qt.TextElideMode.ElideRight, width))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._elide()

    def commit(self) -> None:
        """Make the pending deletion final now (also used when the window closes)."""
        self._timer.stop()
        pending, self._pending = self._pending, None
        self._undo_action = None
        self.hide()
        if pending is not None:
            self.expired.emit(pending)

    def _undo(self) -> None:
        self._timer.stop()
        pending, self._pending = self._pending, None
        action, self._undo_action = self._undo_action, None
        self.hide()
        if pending is not None:
            self.undo_clicked.emit(pending)
        if action is not None:
            action()
