"""The Menu key and Shift+F10 open a widget's context menu where the keyboard is.

Qt turns a right click into a context-menu event everywhere, but the keyboard's menu keys
only on some platforms (Windows sends both; X11 and Wayland at most the Menu key; none on
offscreen), so a keyboard user could not reach the sidebar's Rename, Pin, Delete or Move to
folder. KeyboardMenu watches one widget: on either key it sends the widget the same
context-menu event a platform would (reason Keyboard), at the point `where` names (the
current row, the focused message), so the widget's own menu code runs unchanged.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget

NO_MODIFIERS = Qt.KeyboardModifier.NoModifier


def is_menu_key(event: QKeyEvent) -> bool:
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return ((event.key() == Qt.Key.Key_Menu and mods == NO_MODIFIERS)
            or (event.key() == Qt.Key.Key_F10 and mods == Qt.KeyboardModifier.ShiftModifier))


class KeyboardMenu(QObject):
    def __init__(self, widget: QWidget, where: Callable[[], QPoint | None]) -> None:
        """`where`: the menu's point in the widget's event coordinates (a scroll area's
        viewport for a scroll area), or None for no menu (nothing chosen)."""
        super().__init__(widget)
        self._widget = widget
        self._where = where
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self._widget and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and is_menu_key(event)):
            self.open()
            return True  # the key is ours: no second menu from a platform that sends one
        return False

    def open(self) -> None:
        pos = self._where()
        if pos is None:
            return
        widget = self._widget
        surface = widget.viewport() if isinstance(widget, QAbstractScrollArea) else widget
        event = QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, pos,
                                  surface.mapToGlobal(pos))
        QApplication.sendEvent(widget, event)

