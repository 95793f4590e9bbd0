"""The "Deleted … Undo" bar: a deletion waits here for a few seconds before it is real."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QWidget

from desktopchat.ui.plain_text import new_label, tooltip

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
        self._label = new_label(self)
        self._label.setWordWrap(False)
        self._button = QPushButton("Undo", self)
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
        self._label.setText(f"Deleted “{shown}”")
        self._label.setToolTip(tooltip(title))
        self.show()
        self._timer.start()

    def commit(self) -> None:
        """Make the pending deletion final now (also used when the window closes)."""
        self._timer.stop()
        pending, self._pending = self._pending, None
        self.hide()
        if pending is not None:
            self.expired.emit(pending)

    def _undo(self) -> None:
        self._timer.stop()
        pending, self._pending = self._pending, None
        self.hide()
        if pending is not None:
            self.undo_clicked.emit(pending)
