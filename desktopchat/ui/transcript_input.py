"""Mouse and keyboard on the transcript: links, our `dc:` actions, text selection, copy.

Owned by ChatView, which forwards its mouse, key and context-menu events here, so the
view's file stays about layout and paint. A drag selects from one part of one message
into any other (transcript_selection); Ctrl+C copies the text as shown, Ctrl+Shift+C its
Markdown source, Ctrl+A selects the whole conversation. A drag past the top or bottom
edge scrolls, so a selection can reach text that was off-screen.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from PySide6.QtCore import QKeyCombination, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QContextMenuEvent,
    QDesktopServices,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QTextCursor,
)
from PySide6.QtWidgets import QAbstractScrollArea, QMenu, QMessageBox

from desktopchat.ui.action_links import ActionHover, action_tooltip
from desktopchat.ui.code_block_input import CodeBlockInput
from desktopchat.ui.code_blocks import to_document
from desktopchat.ui.i18n import translate
from desktopchat.ui.link_guard import anchor_text, confirm_link, link_warning
from desktopchat.ui.markdown import ACTION_SCHEME, is_safe_link
from desktopchat.ui.message_render import PAD
from desktopchat.ui.plain_text import tooltip
from desktopchat.ui.render_body import Part
from desktopchat.ui.transcript_layout import TranscriptGeometry
from desktopchat.ui.transcript_rows import MessageItem, TranscriptRows
from desktopchat.ui.transcript_selection import END, START, Point, TranscriptSelection

COPY_MARKDOWN = QKeyCombination(
    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier, Qt.Key.Key_C)


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
        self.selection: TranscriptSelection | None = None
        self._press_anchor = ""
        self._dragging = False
        # Code blocks' scrolling (it filters the viewport's events first), Wrap and Copy.
        self.code_blocks = CodeBlockInput(area, rows, geometry, on_changed=on_changed)
        self.action_hover = ActionHover(area.viewport())  # Wrap and Copy under the pointer
        self._drag_pos = QPointF()
        self._autoscroll = QTimer(area)
        self._autoscroll.setInterval(30)
        self._autoscroll.timeout.connect(self._scroll_while_dragging)

    def hit(self, pos: QPointF) -> Hit | None:
        """The item, part and anchor under a viewport point, and the point inside that part."""
        under = self._geometry.row_point(pos)
        if under is None:
            return None
        item, local = under
        if item.render is None:
            return None
        found = item.render.hit(local)
        if found is None:
            return None
        part, anchor = found
        return item, part, anchor, to_document(part, QPointF(local.x() - PAD, local.y() - part.y))

    def point_at(self, pos: QPointF) -> Point | None:
        """The selection point under a viewport point: inside a part's document where there
        is one, else the start or end of the message (gaps, unrendered rows, past the ends)."""
        under = self._geometry.row_point(pos)
        if under is None:
            return None
        item, local = under
        local_y = local.y()
        if local_y < 0:
            return Point(item.id, edge=START)
        if local_y > item.height or item.render is None:
            return Point(item.id, edge=END if local_y > item.height / 2 else START)
        x = local.x() - PAD
        for part in item.render.parts:
            if local_y < part.y:
                return Point(item.id, part, 0)  # in the gap above this part
            if local_y <= part.y + part.height:
                if part.doc is None:
                    return Point(item.id, part, 0)
                position = part.doc.documentLayout().hitTest(
                    to_document(part, QPointF(x, local_y - part.y)),
                    Qt.HitTestAccuracy.FuzzyHit)
                return Point(item.id, part, max(0, position))
        return Point(item.id, edge=END)

    def mouse_press(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        hit = self.hit(event.position())
        self._press_anchor = hit[2] if hit else ""
        point = None if self._press_anchor else self.point_at(event.position())
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if point is not None and shift and self.selection is not None:
            self.selection.focus = point  # Shift+click extends the selection
            self._dragging = True
        elif point is not None:
            self.selection = TranscriptSelection(self.rows, point)
            self._dragging = True
        else:
            self.selection = None
        self._area.viewport().update()

    def mouse_move(self, event: QMouseEvent) -> None:
        if self._dragging and self.selection is not None:
            self._drag_to(event.position())
            return
        hit = self.hit(event.position())
        anchor = hit[2] if hit else ""
        shape = Qt.CursorShape.PointingHandCursor if anchor else Qt.CursorShape.IBeamCursor
        self._area.viewport().setCursor(shape if hit else Qt.CursorShape.ArrowCursor)
        self._area.viewport().setToolTip(
            tooltip(anchor) if anchor and is_safe_link(anchor) else action_tooltip(anchor))
        self.action_hover.pointer_at(hit[1].doc if hit else None, anchor,
                                     self._geometry.theme.link)

    def _drag_to(self, pos: QPointF) -> None:
        self._drag_pos = pos
        height = self._area.viewport().height()
        if self.selection is not None:
            clamped = QPointF(pos.x(), min(max(pos.y(), 0.0), float(height - 1)))
            point = self.point_at(clamped)
            if point is not None:
                self.selection.focus = point
        outside = pos.y() < 0 or pos.y() >= height
        if outside and not self._autoscroll.isActive():
            self._autoscroll.start()
        elif not outside:
            self._autoscroll.stop()
        self._area.viewport().update()

    def _scroll_while_dragging(self) -> None:
        """Past the top or bottom edge, the view scrolls (faster the farther out)."""
        if not self._dragging:
            self._autoscroll.stop()
            return
        pos = self._drag_pos
        height = self._area.viewport().height()
        step = pos.y() if pos.y() < 0 else pos.y() - height + 1
        bar = self._area.verticalScrollBar()
        self._geometry.follow = False
        bar.setValue(bar.value() + int(max(-120.0, min(120.0, step))))
        self._drag_to(pos)

    def mouse_release(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self._dragging = False
        self._autoscroll.stop()
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
        """True when the key was ours: Copy, Copy as Markdown (with a selection), Select all."""
        if self.wants_key(event):
            if event.matches(QKeySequence.StandardKey.SelectAll):
                self.select_all()
            elif event.keyCombination() == COPY_MARKDOWN:
                QGuiApplication.clipboard().setText(self.selected_markdown())
            else:
                QGuiApplication.clipboard().setText(self.selected_text())
            return True
        return False

    def wants_key(self, event: QKeyEvent) -> bool:
        """Keys the transcript takes before the window's shortcuts (Ctrl+Shift+C is also the
        window's Copy last reply: with a selection here, it copies the selection)."""
        if event.matches(QKeySequence.StandardKey.SelectAll):
            return bool(self.rows.items)
        copying = (event.matches(QKeySequence.StandardKey.Copy)
                   or event.keyCombination() == COPY_MARKDOWN)
        return copying and self.selection is not None and not self.selection.empty

    def select_all(self) -> None:
        if self.rows.items:
            self.selection = TranscriptSelection(
                self.rows, Point(self.rows.items[0].id, edge=START),
                Point(self.rows.items[-1].id, edge=END))
            self._area.viewport().update()

    def select_range(self, item_id: int, part: Part, start: int, end: int) -> None:
        self.selection = TranscriptSelection(self.rows, Point(item_id, part, start),
                                             Point(item_id, part, end))

    def selected_text(self) -> str:
        return "" if self.selection is None else self.selection.plain_text()

    def has_selection(self) -> bool:
        return self.selection is not None and not self.selection.empty

    def selected_markdown(self) -> str:
        return "" if self.selection is None else self.selection.markdown()

    def selection_for(self, item_id: int) -> list[tuple[Part, QTextCursor]]:
        """For painting: the selected parts of this row and their cursors."""
        return [] if self.selection is None else self.selection.cursors_for(item_id)

    def context_menu(self, event: QContextMenuEvent) -> None:
        hit = self.hit(QPointF(event.pos()))
        if hit is None:
            return
        menu = QMenu(self._area)
        if self.selected_text():
            menu.addAction(translate("TranscriptInput", "Copy"), lambda: QGuiApplication
                           .clipboard().setText(self.selected_text()))
            markdown = menu.addAction(
                translate("TranscriptInput", "Copy as Markdown"),
                lambda: QGuiApplication.clipboard().setText(self.selected_markdown()))
            markdown.setShortcut(QKeySequence(COPY_MARKDOWN))
        menu.addAction(translate("TranscriptInput", "Select all"), self.select_all)
        menu.addAction(translate("TranscriptInput", "Copy message"),
                       lambda: self.activate_anchor(hit[0].id, "dc:copy", []))
        if hit[2] and is_safe_link(hit[2]):
            menu.addAction(translate("TranscriptInput", "Copy link"),
                           lambda: QGuiApplication.clipboard().setText(hit[2]))
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
