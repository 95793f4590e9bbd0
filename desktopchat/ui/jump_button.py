"""The "↓ Jump to latest" button floating at the transcript's bottom right while the user
reads above the newest message."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton, QWidget

from desktopchat.ui.i18n import translate

MARGIN_RIGHT = 16  # px from the viewport's right edge
MARGIN_BOTTOM = 12  # px from its bottom edge


class JumpToLatest(QToolButton):
    def __init__(self, viewport: QWidget, on_click: Callable[[], None]) -> None:
        super().__init__(viewport)
        self._viewport = viewport
        self.setObjectName("jumpToLatest")
        self.setText(translate("ChatView", "↓ Jump to latest"))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.clicked.connect(on_click)
        self.hide()

    def place(self, show: bool) -> None:
        """Show it in the viewport's bottom-right corner, or hide it."""
        self.setVisible(show)
        if show:
            self.adjustSize()
            self.move(self._viewport.width() - self.width() - MARGIN_RIGHT,
                      self._viewport.height() - self.height() - MARGIN_BOTTOM)
