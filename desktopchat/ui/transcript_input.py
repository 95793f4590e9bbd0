"""Mouse and keyboard on the transcript: links, our `dc:` actions, text selection, copy.

Owned by ChatView, which forwards its mouse, key and context-menu events here, so the
view's file stays about layout and paint. Selection works within one rendered part (a
paragraph group, a code block...), which covers what people copy; whole messages have
their own Copy action.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from PySide6.QtCore import QPointF, Qt, QUrl
from PySide6.QtGui import (
    QContextMenuEvent,
    QDesktopServices,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QAbstractScrollArea, QMenu, QMessageBox

from desktopchat.ui.code_block_input import CodeBlockInput
from desktopchat.ui.code_blocks import to_document
from desktopchat.ui.link_guard import anchor_text, confirm_link, link_warning
from desktopchat.ui.markdown import ACTION_SCHEME, is_safe_link
from desktopchat.ui.message_render import PAD
from desktopchat.ui.plain_text import tooltip
from desktopchat.ui.render_body import Part
from desktopchat.ui.transcript_layout import TranscriptGeometry
from desktopchat.ui.transcript_rows import MessageItem, TranscriptRows


class LinkAction(StrEnum):
    """Our own `dc:` links. The view handles the first three; the rest become signals."""

    TOGGLE_REASONING = "toggle-reasoning"
    COPY_CODE = "copy-code"  # dc:copy-code/<n>: the n-th code block of the message
    COPY = "copy"
    RETRY = "retry"
    REGENERATE = "regenerate"
    CONTINUE = "continue"
    EDIT = "edit"
    DELETE = "delete"  # this version, or this message and everything below it
    PREVIOUS_VERSION = "previous-version"
    NEXT_VERSION = "next-version"


class Selection:
    __slots__ = ("anchor", "doc", "item_id", "part", "position")

    def __init__(self, item_id: int, part: Part, doc: QTextDocument, position: int) -> None:
        self.item_id = item_id
        self.part = part
        self.doc = doc  # the part's document when the selection began (parts may drop theirs)
        self.anchor = position
        self.position = position

    def cursor(self) -> QTextCursor:
        cursor = QTextCursor(self.doc)
        cursor.setPosition(self.anchor)
        cursor.setPosition(self.position, QTextCursor.MoveMode.KeepAnchor)
        return cursor

    @property
    def empty(self) -> bool:
        return self.anchor == self.position


Hit = tuple[MessageItem, Part, str, QPointF]  # item, part, anchor ("" if none), point in part


class TranscriptInput:
    def __init__(self, area: QAbstractScrollArea, rows: TranscriptRows,
                 geometry: TranscriptGeometry, *, on_action: Callable[[int, str], None],
                 on_changed: Callable[[int], None]) -> None:
        self._area = area
        self.rows = rows
        self._geometry = geometry
        self._on_action = on_action  # a dc: action the view does not handle itself
        self._on_changed = on_changed  # a row must be re-synced and painted now
        self.open_link_handler: Callable[[QUrl], object] = QDesktopServices.openUrl  # tests
        self.link_box: QMessageBox | None = None  # the open "Open this link?" question
        self.selection: Selection | None = None
        self._press_anchor = ""
        self._dragging = False
        # Code blocks' scrolling (it filters the viewport's events first), Wrap and Copy.
        self.code_blocks = CodeBlockInput(area, rows, geometry, on_changed=on_changed)

    def hit(self, pos: QPointF) -> Hit | None:
        """The item, part and anchor under a viewport point, and the point inside that part."""
        if not self.rows.items:
            return None
        y = pos.y() + self._area.verticalScrollBar().value()
        index = self.rows.row_at(int(y))
        item = self.rows.items[index]
        if item.render is None:
            return None
        local = QPointF(pos.x() - self._geometry.card_x(item), y - self.rows.top(index))
        found = item.render.hit(local)
        if found is None:
            return None
        part, anchor = found
        return item, part, anchor, to_document(part, QPointF(local.x() - PAD, local.y() - part.y))

    def _point_in(self, selection: Selection, pos: QPointF) -> QPointF | None:
        index = self.rows.index_of(selection.item_id)
        if index < 0:
            return None
        item = self.rows.items[index]
        y = pos.y() + self._area.verticalScrollBar().value() - self.rows.top(index)
        x = pos.x() - self._geometry.card_x(item) - PAD
        return to_document(selection.part, QPointF(x, y - selection.part.y))

    def mouse_press(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        hit = self.hit(event.position())
        self._press_anchor = hit[2] if hit else ""
        self.selection = None
        doc = hit[1].doc if hit is not None and not hit[2] else None
        if hit is not None and doc is not None:
            position = doc.documentLayout().hitTest(hit[3], Qt.HitTestAccuracy.FuzzyHit)
            if position >= 0:
                self.selection = Selection(hit[0].id, hit[1], doc, position)
                self._dragging = True
        self._area.viewport().update()

    def mouse_move(self, event: QMouseEvent) -> None:
        if self._dragging and self.selection is not None:
            point = self._point_in(self.selection, event.position())
            if point is not None:
                layout = self.selection.doc.documentLayout()
                position = layout.hitTest(point, Qt.HitTestAccuracy.FuzzyHit)
                if position >= 0 and position != self.selection.position:
                    self.selection.position = position
                    self._area.viewport().update()
            return
        hit = self.hit(event.position())
        anchor = hit[2] if hit else ""
        shape = Qt.CursorShape.PointingHandCursor if anchor else Qt.CursorShape.IBeamCursor
        self._area.viewport().setCursor(shape if hit else Qt.CursorShape.ArrowCursor)
        self._area.viewport().setToolTip(
            tooltip(anchor) if anchor and is_safe_link(anchor) else "")

    def mouse_release(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self._dragging = False
        if self.selection is not None and self.selection.empty:
            self.selection = None
        hit = self.hit(event.position())
        # A link runs only when pressed and released on the same link: a drag never opens one.
        if hit and hit[2] and hit[2] == self._press_anchor and not self.code_blocks.activate(
                hit[0], hit[1], hit[2]):
            text = ""
            if hit[1].doc is not None and not hit[2].startswith(ACTION_SCHEME + ":"):
                position = hit[1].doc.documentLayout().hitTest(
                    hit[3], Qt.HitTestAccuracy.FuzzyHit)
                text = anchor_text(hit[1].doc, max(0, position), hit[2])
            self.activate_anchor(hit[0].id, hit[2], hit[1].codes, text=text)
        self._press_anchor = ""

    def key_press(self, event: QKeyEvent) -> bool:
        """True when the key was ours (Copy with a selection)."""
        if event.matches(QKeySequence.StandardKey.Copy) and self.selected_text():
            QGuiApplication.clipboard().setText(self.selected_text())
            return True
        return False

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

    def context_menu(self, event: QContextMenuEvent) -> None:
        hit = self.hit(QPointF(event.pos()))
        if hit is None:
            return
        menu = QMenu(self._area)
        if self.selected_text():
            menu.addAction("Copy", lambda: QGuiApplication.clipboard().setText(
                self.selected_text()))
        menu.addAction("Copy message", lambda: self.activate_anchor(hit[0].id, "dc:copy", []))
        if hit[2] and is_safe_link(hit[2]):
            menu.addAction("Copy link", lambda: QGuiApplication.clipboard().setText(hit[2]))
        menu.popup(event.globalPos())

    def activate_anchor(self, message_id: int, anchor: str, codes: list[str], *,
                        text: str = "") -> None:
        """What a click on a link does; the only path from a link to the outside world."""
        scheme, _, action = anchor.partition(":")
        if scheme == ACTION_SCHEME:
            item = self.rows.get(message_id)
            if item is None:
                return
            if action == LinkAction.TOGGLE_REASONING:
                opened = item.reasoning_open
                item.reasoning_open = not (item.streaming if opened is None else opened)
                self._on_changed(message_id)
            elif action.startswith(LinkAction.COPY_CODE + "/"):
                number = int(action.split("/", 1)[1])
                if 0 <= number < len(codes):
                    QGuiApplication.clipboard().setText(codes[number].rstrip("\n"))
            elif action == LinkAction.COPY:
                QGuiApplication.clipboard().setText(item.content)
            else:
                self._on_action(message_id, action)
            return
        self.open_link(anchor, text)

    def open_link(self, url: str, text: str = "") -> bool:
        """Open `url` (shown as `text`); a deceptive link asks first. True if opened now."""
        if not is_safe_link(url):
            return False  # javascript:, file:, data: ... are never opened
        reason = link_warning(url, text)
        if reason is not None:
            self.link_box = confirm_link(self._area, url, reason, self.open_link_handler)
            return False
        self.open_link_handler(QUrl(url))
        return True
