"""The main window from the keyboard: a Tab order that follows the screen, and menus.

Tab walks toolbar → sidebar (New chat, New folder, search, the list) → transcript (its
message buttons, Jump to latest, the example prompts of an empty chat) → what sits between
the transcript and the composer (the find bar, tool approval cards) → composer (editor,
attach, send). Qt's default order is the order widgets were made in, which is right for the
toolbar, the sidebar and the composer, but not for what the transcript column makes later:
the empty state's prompts (made after the composer) and each approval card (made when a tool
asks) would come after Send. So the transcript column's stops are chained explicitly, again
whenever one of its parts gains a child. The Menu key and Shift+F10 open the sidebar's and
the transcript's context menus (keyboard_menu).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint
from PySide6.QtWidgets import QAbstractItemView, QWidget

from desktopchat.ui.keyboard_menu import KeyboardMenu
from desktopchat.ui.tab_order import TabOrder, tab_stops

if TYPE_CHECKING:
    from desktopchat.ui.chat_view import ChatView
    from desktopchat.ui.main_window import MainWindow


def current_row_point(view: QAbstractItemView) -> QPoint | None:
    """The middle of the current row, in viewport coordinates (None: no current row)."""
    index = view.currentIndex()
    return view.visualRect(index).center() if index.isValid() else None


def focused_message_point(view: ChatView) -> QPoint | None:
    """A point on the message the keyboard chose (on screen), in viewport coordinates."""
    item = view.item(view.message_actions.focus_id)
    if item is None:
        return None
    card = view.accessibility.viewport_rect(item).intersected(view.viewport().rect())
    return card.center() if not card.isEmpty() else None


class WindowKeyboard(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._view = window.chat_view
        self._composer = window.composer
        self._column = window.center
        history = window.history_panel.list_view
        self.menus = [KeyboardMenu(history, lambda: current_row_point(history)),
                      KeyboardMenu(self._view, lambda: focused_message_point(self._view))]
        self.order = TabOrder(window, self.stops, lambda: [self._column, *self._between()])

    def _between(self) -> list[QWidget]:
        """The column's widgets after the transcript and before the composer, top down."""
        layout = self._column.layout()
        items = [layout.itemAt(i) for i in range(layout.count())] if layout is not None else []
        shown = [w for w in (item.widget() for item in items if item is not None) if w]
        if self._view not in shown or self._composer not in shown:
            return []
        return shown[shown.index(self._view) + 1 : shown.index(self._composer)]

    def stops(self) -> list[QWidget]:
        """The transcript column's stops in the order Tab should visit them; the composer's
        own order (editor, attach, send) is already right."""
        stops = tab_stops(self._view)
        for part in self._between():
            stops += tab_stops(part)
        return [*stops, self._composer.editor]
