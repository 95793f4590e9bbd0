"""Mouse and keyboard on the transcript: links, our `dc:` actions, text selection, copy.

A mixin for ChatView, kept apart so the view's file stays about layout and paint.
Selection works within one rendered part (a paragraph group, a code block...), which
covers what people copy; whole messages have their own Copy action.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, Qt, QUrl
from PySide6.QtGui import QGuiApplication, QKeySequence, QTextCursor
from PySide6.QtWidgets import QMenu

from desktopchat.ui.markdown import ACTION_SCHEME, is_safe_link
from desktopchat.ui.message_model import MessageItem
from desktopchat.ui.render_cache import PAD, Part


class Selection:
    __slots__ = ("anchor", "item_id", "part", "position")

    def __init__(self, item_id: int, part: Part, position: int) -> None:
        self.item_id = item_id
        self.part = part
        self.anchor = position
        self.position = position

    def cursor(self) -> QTextCursor:
        cursor = QTextCursor(self.part.doc)
        cursor.setPosition(self.anchor)
        cursor.setPosition(self.position, QTextCursor.MoveMode.KeepAnchor)
        return cursor

    @property
    def empty(self) -> bool:
        return self.anchor == self.position


class TranscriptInput:
    """Needs from the view: rows, viewport(), verticalScrollBar(), _card_x, action_triggered,
    open_link_handler, _dirty_ids, _flush_frame."""

    selection: Selection | None = None
    _press_anchor: str = ""
    _dragging: bool = False

    def _hit(self, pos: QPointF) -> tuple[MessageItem, Part, str, QPointF] | None:
        """The item, part and anchor under a viewport point, and the point inside that part."""
        if not self.rows.items:
            return None
        y = pos.y() + self.verticalScrollBar().value()
        index = self.rows.row_at(int(y))
        item = self.rows.items[index]
        if item.render is None:
            return None
        local = QPointF(pos.x() - self._card_x(item), y - self.rows.top(index))
        found = item.render.hit(local)
        if found is None:
            return None
        part, anchor = found
        return item, part, anchor, QPointF(local.x() - PAD, local.y() - part.y)

    def _point_in(self, selection: Selection, pos: QPointF) -> QPointF | None:
        index = self.rows.index_of(selection.item_id)
        if index < 0:
            return None
        item = self.rows.items[index]
        y = pos.y() + self.verticalScrollBar().value() - self.rows.top(index)
        return QPointF(pos.x() - self._card_x(item) - PAD, y - selection.part.y)

    def mousePressEvent(self, event: Any) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        hit = self._hit(event.position())
        self._press_anchor = hit[2] if hit else ""
        self.selection = None
        if hit is not None and not hit[2]:
            layout = hit[1].doc.documentLayout()
            position = layout.hitTest(hit[3], Qt.HitTestAccuracy.FuzzyHit)
            if position >= 0:
                self.selection = Selection(hit[0].id, hit[1], position)
                self._dragging = True
        self.viewport().update()

    def mouseMoveEvent(self, event: Any) -> None:
        if self._dragging and self.selection is not None:
            point = self._point_in(self.selection, event.position())
            if point is not None:
                layout = self.selection.part.doc.documentLayout()
                position = layout.hitTest(point, Qt.HitTestAccuracy.FuzzyHit)
                if position >= 0 and position != self.selection.position:
                    self.selection.position = position
                    self.viewport().update()
            return
        hit = self._hit(event.position())
        anchor = hit[2] if hit else ""
        shape = Qt.CursorShape.PointingHandCursor if anchor else Qt.CursorShape.IBeamCursor
        self.viewport().setCursor(shape if hit else Qt.CursorShape.ArrowCursor)
        self.viewport().setToolTip(anchor if anchor and is_safe_link(anchor) else "")

    def mouseReleaseEvent(self, event: Any) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self._dragging = False
        if self.selection is not None and self.selection.empty:
            self.selection = None
        hit = self._hit(event.position())
        # A link runs only when pressed and released on the same link: a drag never opens one.
        if hit and hit[2] and hit[2] == self._press_anchor:
            self.activate_anchor(hit[0].id, hit[2], hit[1].codes)
        self._press_anchor = ""

    def keyPressEvent(self, event: Any) -> None:
        if event.matches(QKeySequence.StandardKey.Copy) and self.selected_text():
            QGuiApplication.clipboard().setText(self.selected_text())
            return
        super().keyPressEvent(event)  # type: ignore[misc]

    def selected_text(self) -> str:
        if self.selection is None or self.selection.empty:
            return ""
        return self.selection.cursor().selectedText().replace("\u2029", "\n")

    def selection_for(self, item_id: int) -> tuple[Part, QTextCursor] | None:
        """For painting: the selected part of this row, if any."""
        sel = self.selection
        if sel is None or sel.empty or sel.item_id != item_id:
            return None
        return sel.part, sel.cursor()

    def contextMenuEvent(self, event: Any) -> None:
        hit = self._hit(QPointF(event.pos()))
        if hit is None:
            return
        menu = QMenu(self)
        if self.selected_text():
            menu.addAction("Copy", lambda: QGuiApplication.clipboard().setText(
                self.selected_text()))
        menu.addAction("Copy message", lambda: self.activate_anchor(hit[0].id, "dc:copy", []))
        if hit[2] and is_safe_link(hit[2]):
            menu.addAction("Copy link", lambda: QGuiApplication.clipboard().setText(hit[2]))
        menu.popup(event.globalPos())

    def activate_anchor(self, message_id: int, anchor: str, codes: list[str]) -> None:
        """What a click on a link does; the only path from a link to the outside world."""
        scheme, _, action = anchor.partition(":")
        if scheme == ACTION_SCHEME:
            item = self.rows.get(message_id)
            if item is None:
                return
            if action == "toggle-reasoning":
                opened = item.reasoning_open
                item.reasoning_open = not (item.streaming if opened is None else opened)
                self._dirty_ids.add(message_id)
                self._flush_frame()
            elif action.startswith("copy-code/"):
                number = int(action.split("/", 1)[1])
                if 0 <= number < len(codes):
                    QGuiApplication.clipboard().setText(codes[number].rstrip("\n"))
            elif action == "copy":
                QGuiApplication.clipboard().setText(item.content)
            else:
                self.action_triggered.emit(message_id, action)
            return
        self.open_link(anchor)

    def open_link(self, url: str) -> bool:
        if not is_safe_link(url):
            return False  # javascript:, file:, data: ... are never opened
        self.open_link_handler(QUrl(url))
        return True
