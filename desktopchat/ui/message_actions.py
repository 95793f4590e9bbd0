"""Which message the action bar serves, and where it sits: the one under the pointer, or the
one chosen with the keyboard.

Keyboard: Tab into the transcript chooses the newest message; Up and Down choose another (a
ring marks it). Then C copies, E edits (your messages), R regenerates (replies), Delete
deletes, Alt+Left / Alt+Right switch versions, and Enter moves into the bar's buttons (Tab
walks them, Space presses one). Owned by ChatView; it watches the viewport's mouse moves
through an event filter, so the view forwards only keys, focus and paint.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QAbstractScrollArea, QApplication

from desktopchat.ui.icons import IconSet
from desktopchat.ui.message_action_bar import MessageActionBar
from desktopchat.ui.transcript_layout import TranscriptGeometry
from desktopchat.ui.transcript_rows import MessageItem, TranscriptRows

INSET = 6  # px between the bar and its card's top-right corner
KEYS: dict[tuple[int, bool], str] = {  # (key, with Alt) -> action
    (Qt.Key.Key_C, False): "copy",
    (Qt.Key.Key_E, False): "edit",
    (Qt.Key.Key_F2, False): "edit",
    (Qt.Key.Key_R, False): "regenerate",
    (Qt.Key.Key_Delete, False): "delete",
    (Qt.Key.Key_Left, True): "previous-version",
    (Qt.Key.Key_Right, True): "next-version",
}


class MessageActions(QObject):
    focus_moved = Signal(int)  # the message the keyboard acts on changed (accessibility)

    def __init__(self, area: QAbstractScrollArea, rows: TranscriptRows,
                 geometry: TranscriptGeometry, icons: IconSet,
                 run: Callable[[int, str], None], *, show: Callable[[int], object],
                 has_selection: Callable[[], bool]) -> None:
        super().__init__(area)
        self._show = show  # scroll a message into view
        self._has_selection = has_selection
        self._area = area
        self._rows = rows
        self._geometry = geometry
        self.bar = MessageActionBar(icons, geometry.theme, area.viewport())
        self.bar.triggered.connect(run)  # (message id, action): the view's link path
        self.bar.resized.connect(self.place)
        self.hover_id = -1  # the message under the pointer
        self.focus_id = -1  # the message the keyboard chose
        self.focus_visible = False  # the ring shows only after the keyboard moved
        area.viewport().installEventFilter(self)  # the pointer
        area.installEventFilter(self)  # focus and keys
        area.verticalScrollBar().valueChanged.connect(lambda _v: self.place())

    # -- which message ------------------------------------------------------------------

    def target(self) -> MessageItem | None:
        for message_id in (self.hover_id, self.focus_id if self._keyboard_here() else -1):
            item = self._rows.get(message_id) if message_id >= 0 else None
            if item is not None and not item.streaming and item.render is not None:
                return item
        return None

    def _keyboard_here(self) -> bool:
        return self._area.hasFocus() or self._bar_has_focus()

    def ring_id(self) -> int:
        """The message to draw the keyboard ring around (-1: none)."""
        if self.focus_visible and (self._area.hasFocus() or self._bar_has_focus()):
            return self.focus_id
        return -1

    def ring_color(self) -> QColor:
        return self._area.palette().highlight().color()

    def ring(self) -> tuple[int, QColor]:
        return self.ring_id(), self.ring_color()

    def _bar_has_focus(self) -> bool:
        focused = QApplication.focusWidget()
        return focused is not None and self.bar.isAncestorOf(focused)

    def refresh(self) -> None:
        """After the rows changed: forget vanished messages, fit and place the bar."""
        if self.hover_id >= 0 and self._rows.get(self.hover_id) is None:
            self.hover_id = -1
        if self.focus_id >= 0 and self._rows.get(self.focus_id) is None:
            self.focus_id = self._rows.items[-1].id if self._rows.items else -1
        self.place()

    def place(self) -> None:
        item = self.target()
        if item is None:
            if not self._bar_has_focus():
                self.bar.hide()
            return
        index = self._rows.index_of(item.id)
        top = self._rows.top(index) - self._area.verticalScrollBar().value()
        right = self._geometry.card_x(item) + self._geometry.card_width(item)
        if self.bar.theme != self._geometry.theme:
            self.bar.set_theme(self._geometry.theme)
        if item.id != self.bar.message_id or not self.bar.isVisible():
            self.bar.show_for(item)
        viewport = self._area.viewport().height()
        # A tall message scrolled half away keeps its bar at the top of the view.
        y = max(INSET, top + INSET)
        if y + self.bar.height() > top + item.height or y > viewport:
            self.bar.hide()
            return
        self.bar.move(right - self.bar.width() - INSET, y)
        self.bar.show()
        self.bar.raise_()

    # -- the pointer --------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._area:
            if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
                return self.key_press(event)
            if kind == QEvent.Type.FocusIn and isinstance(event, QFocusEvent):
                self.focus_in(event)
            elif kind == QEvent.Type.FocusOut:
                self.focus_out()
            return False
        if kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
            self.hover(event.position().toPoint())
        elif kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            clicked = self.row_at(event.position().toPoint())
            if clicked is not None and clicked.id != self.focus_id:
                self.focus_id = clicked.id
                self.focus_moved.emit(clicked.id)
            self.focus_visible = False  # keys act on the clicked message; no ring for a click
        elif kind == QEvent.Type.Leave and not self.bar.underMouse():
            self.hover_id = -1
            self.place()
        return False  # the view still gets every event

    def hover(self, pos: QPoint) -> None:
        hovered = self.row_at(pos)
        if hovered is not None and hovered.id != self.hover_id:
            self.hover_id = hovered.id
            self.place()
        elif hovered is None and self.hover_id >= 0 and not self.bar.underMouse():
            self.hover_id = -1
            self.place()

    def row_at(self, pos: QPoint) -> MessageItem | None:
        if not self._rows.items:
            return None
        y = pos.y() + self._area.verticalScrollBar().value()
        index = self._rows.row_at(y)
        top = self._rows.top(index)
        item = self._rows.items[index]
        return item if top <= y <= top + item.height else None

    # -- the keyboard -------------------------------------------------------------------

    def focus_in(self, event: QFocusEvent) -> None:
        keyboard = event.reason() in (Qt.FocusReason.TabFocusReason,
                                      Qt.FocusReason.BacktabFocusReason,
                                      Qt.FocusReason.ShortcutFocusReason)
        if keyboard and self._rows.items:
            if self._rows.get(self.focus_id) is None:
                self.focus_id = self._rows.items[-1].id
            self.focus_visible = True
            self.focus_moved.emit(self.focus_id)
        self.place()
        self._area.viewport().update()

    def focus_out(self) -> None:
        self.place()
        self._area.viewport().update()

    def key_press(self, event: QKeyEvent) -> bool:
        """True when the key was ours. Ctrl+C with text selected stays the selection's."""
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and mods == Qt.KeyboardModifier.NoModifier:
            return self._move(-1 if key == Qt.Key.Key_Up else 1)
        item = self._rows.get(self.focus_id)
        if item is None:
            return False
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.bar.isVisible():
            first = next((b for b in self.bar.buttons.values() if b.isVisibleTo(self.bar)), None)
            if first is not None:
                first.setFocus(Qt.FocusReason.TabFocusReason)
            return first is not None
        alt = mods == Qt.KeyboardModifier.AltModifier
        if not alt and mods not in (Qt.KeyboardModifier.NoModifier,
                                    Qt.KeyboardModifier.ControlModifier):
            return False
        if mods == Qt.KeyboardModifier.ControlModifier and (
                key != Qt.Key.Key_C or self._has_selection()):
            return False
        action = KEYS.get((key, alt))
        if action is None:
            return False
        self.bar.show_for(item)
        button = self.bar.buttons[action]
        if button.isVisibleTo(self.bar) and button.isEnabled():
            self.focus_visible = True
            self.place()
            self.bar.trigger(action)
        return True

    def _move(self, step: int) -> bool:
        items = self._rows.items
        if not items:
            return False
        index = self._rows.index_of(self.focus_id)
        if index < 0 or not self.focus_visible:
            index = len(items) - 1 if index < 0 else index
        else:
            index = max(0, min(len(items) - 1, index + step))
        moved = items[index].id != self.focus_id
        self.focus_id = items[index].id
        self.focus_visible = True
        self.hover_id = -1
        if moved:
            self.focus_moved.emit(self.focus_id)
        self._show(self.focus_id)
        self.place()
        self._area.viewport().update()
        return True
