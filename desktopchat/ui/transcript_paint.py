"""Painting the transcript: the cards of the rows that meet the clip, and their documents.

Owned by ChatView, whose paintEvent calls `paint`; the view's file stays about content,
scrolling and frames. Only the rows intersecting the clip are visited (the row list
answers `row_at` by bisection), so a paint costs what is on screen (DESIGN.md §6).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QTextCursor
from PySide6.QtWidgets import QAbstractScrollArea

from desktopchat.ui.i18n import translate
from desktopchat.ui.render_body import Part
from desktopchat.ui.transcript_layout import TranscriptGeometry
from desktopchat.ui.transcript_rows import TranscriptRows

CARD_RADIUS = 8

# For one row: its selected part and the selection's cursor, if any (TranscriptInput).
SelectionFor = Callable[[int], "tuple[Part, QTextCursor] | None"]


class TranscriptPainter:
    def __init__(self, area: QAbstractScrollArea, rows: TranscriptRows,
                 geometry: TranscriptGeometry, selection_for: SelectionFor) -> None:
        self._area = area
        self._rows = rows
        self._geometry = geometry
        self._selection_for = selection_for
        self.highlight_id = -1  # a row shown in the highlight colour (a search hit)
        self.frames_painted = 0
        palette = area.palette()
        self._selection_colors = (palette.highlight().color(), palette.highlightedText().color())

    def paint(self, clip: QRectF) -> None:
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
        while index < len(rows.items):
            y = rows.top(index) - scroll_top
            if y > clip.bottom():
                break
            item = rows.items[index]
            if item.render is not None:
                card = QRectF(geometry.card_x(item), y, geometry.card_width(item), item.height)
                fill = t.user_card if item.role == "user" else t.assistant_card
                if item.id == self.highlight_id:
                    fill = t.highlight
                painter.setPen(QPen(QColor(t.card_border), 1))
                painter.setBrush(QColor(fill))
                outline = card.adjusted(0.5, 0.5, -0.5, -0.5)
                # A long reply's card is many screens tall; an antialiased path that size
                # costs a millisecond a paint. Draw the part near the clip: the cut edges
                # fall outside the clip, so they never show.
                top: float = max(outline.top(), clip.top() - CARD_RADIUS - 2)
                bottom = min(outline.bottom(), clip.bottom() + CARD_RADIUS + 2)
                outline = QRectF(outline.left(), top, outline.width(), bottom - top)
                painter.drawRoundedRect(outline, CARD_RADIUS, CARD_RADIUS)
                item.render.paint(painter, card.topLeft(), clip, text_color,
                                  self._selection_for(item.id), self._selection_colors)
            index += 1
        painter.end()
        self.frames_painted += 1
