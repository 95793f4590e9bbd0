"""Virtualized geometry of the transcript: which rows are laid out, and where.

A mixin for ChatView (which owns `rows`, `theme`, `renderer`, the follow flag and the
timers). Only rows that intersect the viewport are laid out at the current width;
the rest keep an estimate until `_idle_layout` reaches them in slices of a few
milliseconds, so a resize or a scroll costs what is visible (DESIGN.md §6). Every
layout change keeps the row the user is looking at where it was (`_anchor`/`_restore`).
"""

from __future__ import annotations

import time
from typing import Any

from desktopchat.ui.message_model import MessageItem
from desktopchat.ui.render_cache import MessageRender

IDLE_SLICE_S = 0.008  # background layout never holds the loop longer than this
MARGIN = 12
USER_INDENT = 56


class TranscriptLayout:
    rows: Any
    theme: Any
    renderer: Any
    _follow: bool
    _programmatic: int
    _dirty_ids: set[int]
    _idle: Any

    def _set_scroll(self, value: int) -> None:
        self._programmatic += 1
        try:
            self.verticalScrollBar().setValue(value)
        finally:
            self._programmatic -= 1

    # -- layout ----------------------------------------------------------------------------

    def _new_item(self, message: Any) -> MessageItem:
        item = message if isinstance(message, MessageItem) else MessageItem.from_message(message)
        item.height = item.estimate_height(max(200, self.viewport().width()), 18)
        return item

    def _card_x(self, item: MessageItem) -> int:
        return MARGIN + (USER_INDENT if item.role == "user" else 0)

    def _card_width(self, item: MessageItem) -> int:
        return max(120, self.viewport().width() - MARGIN - self._card_x(item))

    def _is_last_of_role(self, index: int) -> bool:
        role = self.rows.items[index].role
        return all(other.role != role for other in self.rows.items[index + 1 :])

    def _ensure(self, index: int, width: int) -> bool:
        """Lay out row `index` at `width`; True when its height changed."""
        item = self.rows.items[index]
        render = item.render
        if render is None or render.theme != self.theme:
            item.take_pending()
            render = item.render = MessageRender(
                item, self.renderer, is_last=self._is_last_of_role(index))
            self._dirty_ids.discard(item.id)
        elif item.id in self._dirty_ids:
            self._dirty_ids.discard(item.id)
            render.sync(item, is_last=self._is_last_of_role(index))
        if item.exact_width == width and render.width >= 0:
            return False
        height = round(render.layout(width))
        item.exact_width = width
        if height != item.height:
            item.height = height
            self.rows.heights_changed()
            return True
        return False

    def _anchor(self) -> tuple[int, int] | None:
        if not self.rows.items:
            return None
        top = self.verticalScrollBar().value()
        # The row just below the gap at the top edge: what the user actually sees first.
        index = self.rows.row_at(top + self.rows.spacing)
        return self.rows.items[index].id, top - self.rows.top(index)

    def _restore(self, anchor: tuple[int, int] | None) -> None:
        if self._follow:
            self._set_scroll(self.verticalScrollBar().maximum())
        elif anchor is not None:
            index = self.rows.index_of(anchor[0])
            if index >= 0:
                self._set_scroll(self.rows.top(index) + anchor[1])

    def _update_scrollbar(self) -> None:
        sb = self.verticalScrollBar()
        page = self.viewport().height()
        self._programmatic += 1
        try:
            sb.setRange(0, max(0, self.rows.total_height() - page))
            sb.setPageStep(page)
        finally:
            self._programmatic -= 1

    def _layout_visible(self) -> None:
        """Exact layout for the rows on screen, keeping the top row where the user sees it."""
        if not self.rows.items:
            self._update_scrollbar()
            return
        for _ in range(8):
            anchor = self._anchor()
            sb = self.verticalScrollBar()
            top = sb.value()
            bottom = top + self.viewport().height()
            changed = False
            index = self.rows.row_at(top)
            while index < len(self.rows.items) and self.rows.top(index) <= bottom:
                item = self.rows.items[index]
                changed |= self._ensure(index, self._card_width(item))
                index += 1
            self._update_scrollbar()
            self._restore(anchor)
            if not changed:
                break
        if any(i.exact_width != self._card_width(i) for i in self.rows.items):
            self._idle.start()

    def _relayout(self, anchor: tuple[int, int] | None = None) -> None:
        self._update_scrollbar()
        if anchor is not None:
            self._restore(anchor)
        self._layout_visible()
        self._update_jump()
        self.viewport().update()

    def _idle_layout(self) -> None:
        """Lay out off-screen rows in slices so the scrollbar becomes exact without a stall."""
        deadline = time.perf_counter() + IDLE_SLICE_S
        anchor = self._anchor()
        changed = False
        pending = False
        for index in range(len(self.rows.items) - 1, -1, -1):
            item = self.rows.items[index]
            width = self._card_width(item)
            if item.exact_width == width:
                continue
            if time.perf_counter() > deadline:
                pending = True
                break
            changed |= self._ensure(index, width)
        if changed:
            self._update_scrollbar()
            self._restore(anchor)
            self.viewport().update()
        if pending:
            self._idle.start()
