"""Keeps a right-click from moving a list's highlight.

QListView selects the row under any pressed button, so a right-click for the context menu
highlighted a row other than the open chat. The menu finds its row from the click position,
so the press itself can be dropped.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QAbstractItemView


class RightClickGuard(QObject):
    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick)
                and isinstance(event, QMouseEvent)
                and event.button() == Qt.MouseButton.RightButton):
            return True
        return super().eventFilter(watched, event)
