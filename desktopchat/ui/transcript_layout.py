"""Virtualized geometry of the transcript: which rows are laid out, and where.

Owned by ChatView. Only rows that intersect the viewport are laid out at the current
width; the rest keep an estimate until `idle_layout` reaches them in slices of a few
milliseconds, so a resize or a scroll costs what is visible (DESIGN.md §6). Every
layout change keeps the row the user is looking at where it was (`anchor`/`restore`).
It also holds the scroll state the layout depends on: whether the view follows the
newest text, and whether a scroll is ours rather than the user's.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QPointF, QTimer
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from desktopchat.attachments import Attachment
from desktopchat.storage.models import Message
from desktopchat.ui.attachment_thumbs import ThumbnailCache
from desktopchat.ui.data_images import DataImages
from desktopchat.ui.markdown import MarkdownRenderer
from desktopchat.ui.math_worker import shared_math_worker
from desktopchat.ui.message_render import MessageRender
from desktopchat.ui.open_calls import calls_unanswered
from desktopchat.ui.render_pump import RenderPump, Span
from desktopchat.ui.theme import Theme
from desktopchat.ui.transcript_rows import MessageItem, TranscriptRows
from desktopchat.ui.turn_budget import MIN_STEP_S, Waits

IDLE_SLICE_S = 0.008  # background layout never holds the loop longer than this
MARGIN = 12
USER_INDENT = 56

Anchor = tuple[int, int] | None  # (message id, offset of the viewport top into that row)


class TranscriptGeometry:
    def __init__(self, area: QAbstractScrollArea, rows: TranscriptRows, theme: Theme) -> None:
        self._area = area
        self.rows = rows
        self.theme = theme
        # Data-URL images in replies, decoded off the UI thread (shared across themes).
        self.data_images = DataImages(area)
        self.data_images.ready.connect(self._data_image_ready)
        # Formulas (drawn from SVG that the app's math helper process makes) and code
        # (plain until its lexer is built on the lexers' thread) come back the same way.
        # Both are the app's, not this view's: relayed through data_images (this view's
        # child), so a view that is gone hears nothing.
        self.math_worker = shared_math_worker()
        self.renderer = MarkdownRenderer(theme, self.data_images, self.math_worker)
        self.math_worker.ready.connect(self.data_images.ready)
        self.renderer.lexers.ready.connect(self.data_images.ready)
        self.follow = True  # keep the newest text in view
        self.programmatic = 0  # > 0 while we move the scrollbar ourselves
        self.dirty_ids: set[int] = set()  # rows whose render must sync with their item
        self.busy = False  # the chat on screen streams or runs tools (ChatView.set_busy)
        # Widgets floating over the viewport (Jump to latest): code block bars keep clear.
        self.floating: list[QWidget] = []
        self.idle = QTimer(area)
        self.idle.setSingleShot(True)
        self.idle.setInterval(0)
        self.idle.timeout.connect(self.idle_layout)
        # Large messages finish rendering in slices; rows grow as their parts arrive.
        self.pump = RenderPump(area, rows, self.visible_span, self._rendered_more,
                               self.visible_rows)
        self._idle_waits = Waits()
        # A user message's files, by message id (the window hands in the store's lookup).
        self.attachment_source: Callable[[int], Sequence[Attachment]] | None = None
        self.thumbnails = ThumbnailCache(area)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.renderer = MarkdownRenderer(theme, self.data_images, self.math_worker)
        for item in self.rows.items:
            item.render = None
            item.exact_width = -1

    def set_scroll(self, value: int) -> None:
        self.programmatic += 1
        try:
            self._area.verticalScrollBar().setValue(value)
        finally:
            self.programmatic -= 1

    # -- layout ----------------------------------------------------------------------------

    def new_item(self, message: Message | MessageItem) -> MessageItem:
        item = message if isinstance(message, MessageItem) else MessageItem.from_message(message)
        if item.role == "user" and self.attachment_source is not None and not item.attachments:
            item.attachments = tuple(self.attachment_source(item.id))
        item.height = item.estimate_height(max(200, self._area.viewport().width()), 18)
        return item

    def card_x(self, item: MessageItem) -> int:
        return MARGIN + (USER_INDENT if item.role == "user" else 0)

    def row_point(self, pos: QPointF) -> tuple[MessageItem, QPointF] | None:
        """The row under a viewport point (the nearest one above the first or past the last),
        and the point from that row's card: x from its left edge, y from the row's top
        (below 0 or past the row's height outside it). None when there are no rows. Code
        blocks, links and the selection all find what is under the mouse from here."""
        if not self.rows.items:
            return None
        y = pos.y() + self._area.verticalScrollBar().value()
        index = self.rows.row_at(int(y))
        item = self.rows.items[index]
        return item, QPointF(pos.x() - self.card_x(item), y - self.rows.top(index))

    def card_width(self, item: MessageItem) -> int:
        return max(120, self._area.viewport().width() - MARGIN - self.card_x(item))

    def _is_last_of_role(self, index: int) -> bool:
        role = self.rows.items[index].role
        return all(other.role != role for other in self.rows.items[index + 1 :])

    def ensure(self, index: int, width: int) -> bool:
        """Lay out row `index` at `width`; True when its height changed."""
        item = self.rows.items[index]
        item.calls_unanswered = calls_unanswered(self.rows.items, index, busy=self.busy)
        render = item.render
        if render is None or render.theme != self.theme:
            item.take_live()
            render = item.render = MessageRender(
                item, self.renderer, is_last=self._is_last_of_role(index),
                thumbnails=self.thumbnails)
            self.dirty_ids.discard(item.id)
        elif item.id in self.dirty_ids:
            self.dirty_ids.discard(item.id)
            render.sync(item, is_last=self._is_last_of_role(index))
        self.pump.poke()  # a large message finishes (near the screen) in slices
        if item.exact_width == width and render.width >= 0:
            return False
        height = round(render.layout(width))
        item.exact_width = width
        if height != item.height:
            item.height = height
            self.rows.heights_changed()
            return True
        return False

    def visible_span(self, item: MessageItem) -> Span:
        """The part of `item`'s row on screen, in the row's own coordinates."""
        index = self.rows.index_of(item.id)
        if index < 0:
            return None
        top = self.rows.top(index) - self._area.verticalScrollBar().value()
        bottom = top + item.height
        height = self._area.viewport().height()
        if bottom < 0 or top > height:
            return None
        return float(max(0, -top)), float(min(item.height, height - top))

    def visible_rows(self) -> tuple[int, int]:
        """The first and last row index that meet the viewport (-1, -1 when empty)."""
        top = self._area.verticalScrollBar().value()
        return (self.rows.row_at(top),
                self.rows.row_at(top + self._area.viewport().height()))

    def _rendered_more(self, ids: list[int]) -> None:
        for message_id in ids:
            item = self.rows.get(message_id)
            if item is not None:
                item.exact_width = -1
        self.layout_visible()
        self._area.viewport().update()

    def _data_image_ready(self, key: str) -> None:
        """Parts that showed the image as "loading", or the formula as its source, render
        again (near the screen first)."""
        for item in self.rows.items:
            if item.render is not None and item.render.image_ready(key):
                item.exact_width = -1
        self.pump.poke()

    def anchor(self) -> Anchor:
        if not self.rows.items:
            return None
        top = self._area.verticalScrollBar().value()
        # The row just below the gap at the top edge: what the user actually sees first.
        index = self.rows.row_at(top + self.rows.spacing)
        return self.rows.items[index].id, top - self.rows.top(index)

    def restore(self, anchor: Anchor) -> None:
        if self.follow:
            self.set_scroll(self._area.verticalScrollBar().maximum())
        elif anchor is not None:
            index = self.rows.index_of(anchor[0])
            if index >= 0:
                self.set_scroll(self.rows.top(index) + anchor[1])

    def update_scrollbar(self) -> None:
        sb = self._area.verticalScrollBar()
        page = self._area.viewport().height()
        self.programmatic += 1
        try:
            sb.setRange(0, max(0, self.rows.total_height() - page))
            sb.setPageStep(page)
        finally:
            self.programmatic -= 1

    def layout_visible(self) -> None:
        """Exact layout for the rows on screen, keeping the top row where the user sees it."""
        if not self.rows.items:
            self.update_scrollbar()
            return
        for _ in range(8):
            anchor = self.anchor()
            top = self._area.verticalScrollBar().value()
            bottom = top + self._area.viewport().height()
            changed = False
            index = self.rows.row_at(top)
            while index < len(self.rows.items) and self.rows.top(index) <= bottom:
                item = self.rows.items[index]
                changed |= self.ensure(index, self.card_width(item))
                index += 1
            self.update_scrollbar()
            self.restore(anchor)
            if not changed:
                break
        if any(i.exact_width != self.card_width(i) for i in self.rows.items):
            self.idle.start()

    def idle_layout(self) -> None:
        """Lay out off-screen rows in slices so the scrollbar becomes exact without a stall
        (within what the loop's run has left: turn_budget)."""
        budget = self.pump.budget
        left = budget.left(budget.now() + IDLE_SLICE_S, after=("paint",))
        if self._idle_waits.wait(left, budget):
            self.idle.start()
            return
        with budget.spend("layout"):
            self._idle_layout(time.perf_counter() + max(MIN_STEP_S, min(IDLE_SLICE_S, left)))

    def _idle_layout(self, deadline: float) -> None:
        anchor = self.anchor()
        changed = False
        pending = False
        for index in range(len(self.rows.items) - 1, -1, -1):
            item = self.rows.items[index]
            width = self.card_width(item)
            if item.exact_width == width:
                continue
            if time.perf_counter() > deadline:
                pending = True
                break
            changed |= self.ensure(index, width)
        if changed:
            self.update_scrollbar()
            self.restore(anchor)
            self._area.viewport().update()
        if pending:
            self.idle.start()
