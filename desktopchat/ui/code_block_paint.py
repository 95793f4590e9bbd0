"""Painting a part whose document holds code blocks: long lines behind a scrolled window.

The document is drawn once as usual, except over each code block's lines (when scrolled)
and right of its visible box (when a long line made the table wider than the card). Then
each scrolled block's lines are drawn again, shifted left by its offset and clipped to
its window, and an overflowing block gets its right border (its scrollbar, one per block
even when the block is split over parts, is drawn over the rows by code_block_bars). Every
block's background is filled here first (the document draws none for these tables). Only
blocks near the clip are touched, so a paint costs what is on screen.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QPainter, QPen, QRegion

from desktopchat.ui.code_blocks import BORDER, view_of
from desktopchat.ui.render_body import Part
from desktopchat.ui.theme import Theme

FAR_RIGHT = 1_000_000  # "everything right of here" for a clip region


def draw_part(painter: QPainter, ctx: QAbstractTextDocumentLayout.PaintContext, part: Part,
              clip: QRectF, theme: Theme) -> None:
    """Draw `part` (painter at its origin, `clip` in its coordinates)."""
    doc = part.doc
    assert doc is not None  # the caller skips parts still waiting for their document
    layout = doc.documentLayout()
    if not part.codes or part.width < 0:
        layout.draw(painter, ctx)
        return
    view = view_of(part)
    blocks = [b for b in view.blocks(doc, part.width)
              if b.outer.bottom() >= clip.top() and b.outer.top() <= clip.bottom()]
    background = QColor(theme.code_background)
    for block in blocks:
        # QTextDocument draws no background on a border-collapse table: the block's is ours.
        painter.fillRect(block.outer.adjusted(BORDER, BORDER, -BORDER, -BORDER), background)
    shifted = [b for b in blocks if view.state(b.index).offset > 0]
    cut = [b for b in blocks if b.overflows]
    if not shifted and not cut:
        layout.draw(painter, ctx)
        return
    region = QRegion(clip.toAlignedRect())
    for block in shifted:
        region -= QRegion(block.window.toAlignedRect())
    for block in cut:
        right = int(block.outer.right())
        region -= QRegion(right, int(block.outer.top()), FAR_RIGHT, int(block.outer.height()) + 1)
    painter.save()
    painter.setClipRegion(region)
    layout.draw(painter, ctx)
    painter.restore()
    for block in shifted:
        offset = view.state(block.index).offset
        window = block.window.intersected(clip)
        if window.isEmpty():
            continue
        painter.save()
        painter.setClipRect(window)
        painter.translate(-offset, 0)
        ctx.clip = window.translated(offset, 0)
        layout.draw(painter, ctx)
        painter.restore()
    ctx.clip = clip
    for block in cut:
        painter.save()
        painter.setClipRect(clip)
        # The right padding: the long lines (unshifted) ran through it to the border.
        window = block.window
        painter.fillRect(QRectF(window.right(), window.top(),
                                block.outer.right() - 1 - window.right(), window.height()),
                         background)
        painter.setPen(QPen(QColor(theme.code_border), 1))
        edge = int(block.outer.right() - 0.5)
        painter.drawLine(edge, int(block.outer.top()), edge, int(block.outer.bottom()))
        painter.restore()
