"""Painting the transcript: the cards of the rows that meet the clip, and their documents.

Owned by ChatView, whose paintEvent calls `paint`; the view's file stays about content,
scrolling and frames. Only the rows intersecting the clip are visited (the row list
answers `row_at` by bisection), so a paint costs what is on screen (DESIGN.md §6).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QPainter, QTextCursor
from PySide6.QtWidgets import QAbstractScrollArea

from desktopchat.ui.i18n import translate
from desktopchat.ui.message_marks import MessageMarks
from desktopchat.ui.message_render import Marks
from desktopchat.ui.render_body import Part
from desktopchat.ui.transcript_layout import TranscriptGeometry
from desktopchat.ui.transcript_rows import MessageItem, TranscriptRows
from desktopchat.ui.turn_budget import shared_turn_budget

# For one row: its selected parts and the selection's cursor in each (TranscriptInput).
SelectionFor = Callable[[int], list[tuple[Part, QTextCursor]]]
# For one row: find matches in its parts, and whether each is the current one (FindMarks).
FindFor = Callable[[MessageItem], list[tuple[Part, QTextCursor, bool]]]
CURRENT_MATCH = ("#ff9632", "#000000")  # background, text: the find bar's current match


class TranscriptPainter:
    def __init__(self, area: QAbstractScrollArea, rows: TranscriptRows,
                 geometry: TranscriptGeometry, selection_for: SelectionFor,
                 cards: MessageMarks, ring: Callable[[], tuple[int, QColor]]) -> None:
        self._area = area
        self._cards = cards  # the card, role avatar, keyboard ring and streaming dots
        self._ring = ring  # (the keyboard's message id or -1, the ring's colour)
        self._rows = rows
        self._geometry = geometry
        self._selection_for = selection_for
        self.highlight_id = -1  # a row shown in the highlight colour (a search hit)
        self.find_for: FindFor | None = None
        self.overlay: Callable[[QPainter], None] | None = None  # drawn over the rows (code bars)
        self.frames_painted = 0
        palette = area.palette()
        self._selection_colors = (palette.highlight().color(), palette.highlightedText().color())
        self._budget = shared_turn_budget()

    def paint(self, clip: QRectF) -> None:
        with self._budget.spend("paint"):  # render slices leave room for the paint they cause
            self._paint(clip)

    def _paint(self, clip: QRectF) -> None:
        geometry = self._geometry
        geometry.layout_visible()
        painter = QPainter(self._area.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        t = geometry.theme
        painter.fillRect(clip, QColor(t.background))
        if not self._rows.items:
            painter.setPen(QColor(t.muted))
            painter.drawText(self._area.viewport().rect(), Qt.AlignmentFlag.AlignCenter,
                             translate("ChatView",
                                       "Start a conversation: type below and press Enter."))
            painter.end()
            return
        scroll_top = self._area.verticalScrollBar().value()
        rows = self._rows
        index = rows.row_at(scroll_top + int(clip.top()))
        text_color = QColor(t.text)
        ring = self._ring()
        while index < len(rows.items):
            y = rows.top(index) - scroll_top
            if y > clip.bottom():
                break
            item = rows.items[index]
            if item.render is not None:
                card = QRectF(geometry.card_x(item), y, geometry.card_width(item), item.height)
                self._cards.paint_row(painter, item, card, clip, t,
                                      highlighted=item.id == self.highlight_id, ring=ring)
                item.render.paint(painter, card.topLeft(), clip, text_color, self._marks(item))
            index += 1
        if self.overlay is not None:
            self.overlay(painter)
        painter.end()
        self.frames_painted += 1

    def _marks(self, item: MessageItem) -> Marks | None:
        """The coloured ranges of a row's parts: find matches, then the selection over them."""
        found = self.find_for(item) if self.find_for is not None else []
        selected = self._selection_for(item.id)
        if not found and not selected:
            return None
        by_part: dict[int, list[QAbstractTextDocumentLayout.Selection]] = {}
        match_fill = QColor(self._geometry.theme.highlight)
        for part, cursor, current in found:
            mark = QAbstractTextDocumentLayout.Selection()
            mark.cursor = cursor
            mark.format.setBackground(QColor(CURRENT_MATCH[0]) if current else match_fill)
            if current:
                mark.format.setForeground(QColor(CURRENT_MATCH[1]))
            by_part.setdefault(id(part), []).append(mark)
        for part, cursor in selected:
            mark = QAbstractTextDocumentLayout.Selection()
            mark.cursor = cursor
            mark.format.setBackground(self._selection_colors[0])
            mark.format.setForeground(self._selection_colors[1])
            by_part.setdefault(id(part), []).append(mark)
        return lambda part: by_part.get(id(part), [])
