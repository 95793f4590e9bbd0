"""The code blocks on screen, grouped by block, and each block's one horizontal scrollbar.

A block split over parts (code_pieces) is painted piece by piece, but it is one block: its
pieces share one offset, so it gets one scrollbar. The bar sits at the block's visible
bottom: under its last line when that is on screen (in the bottom padding, where a short
block always had it), else along the bottom edge of the view, over the lowest lines shown.
A bar under the last piece would be thousands of pixels away while one reads the middle of
a long block; at the visible bottom it is always where the eye and the pointer are, as a
desktop scroll area's own bar would be. The transcript painter draws the bars after the
rows (code_block_paint draws the pieces); CodeBlockInput hit-tests the same geometry.
A bar never lies under a widget floating over the view ("↓ Jump to latest" at its bottom
right): where the two would meet, the bar rises to just above the widget.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QAbstractScrollArea

from desktopchat.ui.code_blocks import BAR_HEIGHT, BORDER, CodeBlock, CodeState, view_of
from desktopchat.ui.message_render import PAD
from desktopchat.ui.render_body import Part, parts_meeting
from desktopchat.ui.theme import Theme
from desktopchat.ui.transcript_layout import TranscriptGeometry
from desktopchat.ui.transcript_rows import TranscriptRows

BAR_BELOW = BORDER + BAR_HEIGHT + 1.5  # from a block's bottom edge to its bar's top
CLEARANCE = 4.0  # px kept between a bar (with its background strip) and a floating widget


@dataclass(frozen=True)
class Piece:
    """One painted piece of a block: its part and geometry, placed in the viewport."""

    message_id: int
    part: Part
    block: CodeBlock  # in the part's coordinates, as wide as the whole block
    origin: QPointF  # where the part's (0, 0) is in the viewport

    @property
    def outer(self) -> QRectF:
        return self.block.outer.translated(self.origin)

    @property
    def window(self) -> QRectF:
        return self.block.window.translated(self.origin)


@dataclass
class ShownBlock:
    """A code block with at least one piece on screen."""

    state: CodeState
    pieces: list[Piece] = field(default_factory=list)
    track: QRectF | None = None  # its scrollbar (viewport coordinates); None: no bar

    @property
    def first(self) -> Piece:
        return self.pieces[0]

    def thumb(self) -> QRectF:
        assert self.track is not None
        return self.first.block.thumb(self.state.offset, self.track)


def shown_blocks(area: QAbstractScrollArea, rows: TranscriptRows,
                 geometry: TranscriptGeometry) -> list[ShownBlock]:
    """The blocks meeting the viewport, top to bottom, with their bars placed. Only rows and
    parts on screen are visited, and measuring is cached per layout: cheap per paint."""
    if not rows.items:
        return []
    height = float(area.viewport().height())
    scroll = area.verticalScrollBar().value()
    groups: dict[int, ShownBlock] = {}
    for index in range(rows.row_at(scroll), rows.row_at(scroll + int(height)) + 1):
        item = rows.items[index]
        if item.render is None:
            continue
        left = geometry.card_x(item) + PAD
        top = rows.top(index) - scroll
        for part in parts_meeting(item.render.parts, -top, height - top):
            y = top + part.y
            if (not part.codes or part.doc is None or part.width < 0 or y > height
                    or y + part.height < 0):
                continue
            view = view_of(part)
            for block in view.blocks(part.doc, part.width):
                piece = Piece(item.id, part, block, QPointF(left, y))
                if piece.outer.bottom() < 0 or piece.outer.top() > height:
                    continue
                state = view.state(block.index)
                groups.setdefault(id(state), ShownBlock(state)).pieces.append(piece)
    floating = [QRectF(w.geometry()).adjusted(-CLEARANCE, -CLEARANCE, CLEARANCE, CLEARANCE)
                for w in geometry.floating if w.isVisible()]
    for shown in groups.values():
        shown.track = _track(shown, height, floating)
    return list(groups.values())


def _track(shown: ShownBlock, height: float, floating: list[QRectF]) -> QRectF | None:
    """The bar at the lowest visible bottom among the pieces: a piece's own bottom edge, or
    the view's where it cuts the piece, raised above any floating widget it would meet. A
    piece showing less than the bar's height of lines (only its header, say) offers no
    place."""
    if not shown.first.block.overflows:
        return None
    window = shown.first.window
    best: float | None = None
    for piece in shown.pieces:
        top = _clear_of(floating, window, min(piece.outer.bottom(), height) - BAR_BELOW)
        if top >= piece.window.top() and (best is None or top > best):
            best = top
    if best is None:
        return None
    return QRectF(window.left(), best, window.width(), BAR_HEIGHT)


def _clear_of(floating: list[QRectF], window: QRectF, top: float) -> float:
    """The highest of `top` and the places just above each floating widget the bar's strip
    (as paint_bars fills it) would meet."""
    moved = True
    while moved:
        moved = False
        strip = QRectF(window.left(), top, window.width(), BAR_HEIGHT).adjusted(-2, -3, 2, 1)
        for widget in floating:
            if strip.intersects(widget):
                top = widget.top() - BAR_HEIGHT - 1
                moved = True
    return top


def paint_bars(painter: QPainter, blocks: list[ShownBlock], theme: Theme) -> None:
    """Each block's bar and thumb, on a strip of the block's background (a bar along the
    view's edge lies over code lines)."""
    background = QColor(theme.code_background)
    track_color = QColor(theme.muted)
    painter.save()
    painter.setPen(QPen(QColor(0, 0, 0, 0)))
    for shown in blocks:
        if shown.track is None:
            continue
        track = shown.track
        painter.fillRect(track.adjusted(-2, -3, 2, 1), background)
        track_color.setAlpha(40)
        painter.setBrush(track_color)
        painter.drawRoundedRect(track, 2, 2)
        track_color.setAlpha(150)
        painter.setBrush(track_color)
        painter.drawRoundedRect(shown.thumb(), 2, 2)
    painter.restore()
