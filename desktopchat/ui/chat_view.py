"""The transcript: a virtualized scroll area painting one card per message.

Only rows that intersect the viewport are laid out at the current width; the
others keep their last height (or an estimate) until an idle job lays them out
in slices of a few milliseconds, so a resize or a scroll touches what is visible
(DESIGN.md §6). Streamed text is buffered per message and painted by a frame
timer at most ~30 times a second. Links run only on click and only for
http/https/mailto; our own actions use the `dc:` scheme and become signals.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QDesktopServices, QPainter, QPen
from PySide6.QtWidgets import QAbstractScrollArea, QToolButton, QWidget

from desktopchat.ui.markdown import (
    MarkdownRenderer,
    warm_up_highlighter,
)
from desktopchat.ui.message_model import MessageItem, TranscriptRows
from desktopchat.ui.theme import Theme
from desktopchat.ui.transcript_input import TranscriptInput
from desktopchat.ui.transcript_layout import TranscriptLayout

FRAME_MS = 33  # at most ~30 paints a second while streaming
OLDER_THRESHOLD = 150  # px from the top that asks for the previous page


class ChatView(TranscriptInput, TranscriptLayout, QAbstractScrollArea):
    action_triggered = Signal(int, str)  # message id, action: retry, regenerate, continue, edit
    older_requested = Signal()
    follow_changed = Signal(bool)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatView")
        self.setFrameShape(QAbstractScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.viewport().setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Ctrl+C copies a selection
        self.rows = TranscriptRows()
        self.theme = theme
        self.renderer = MarkdownRenderer(theme)
        # After the first paint, not before it: start-up should not share the GIL.
        QTimer.singleShot(0, warm_up_highlighter)
        self.has_older = False
        self._loading_older = False
        self._follow = True
        self._programmatic = 0
        self._highlight_id = -1
        self._dirty_ids: set[int] = set()
        self.frames_painted = 0
        self.open_link_handler = QDesktopServices.openUrl  # replaced in tests
        self._selection_colors = (self.palette().highlight().color(),
                                  self.palette().highlightedText().color())

        self._frame = QTimer(self)
        self._frame.setSingleShot(True)
        self._frame.setInterval(FRAME_MS)
        self._frame.timeout.connect(self._flush_frame)
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(0)
        self._idle.timeout.connect(self._idle_layout)
        self._highlight_timer = QTimer(self)
        self._highlight_timer.setSingleShot(True)
        self._highlight_timer.setInterval(1600)
        self._highlight_timer.timeout.connect(self._clear_highlight)

        sb = self.verticalScrollBar()
        sb.setSingleStep(40)
        sb.valueChanged.connect(self._scrolled)
        self.jump_button = QToolButton(self.viewport())
        self.jump_button.setObjectName("jumpToLatest")
        self.jump_button.setText("↓ Jump to latest")
        self.jump_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.jump_button.clicked.connect(self.scroll_to_bottom)
        self.jump_button.hide()

    # -- content ---------------------------------------------------------------------------

    def set_theme(self, theme: Theme) -> None:
        if theme == self.theme:
            return
        self.theme = theme
        self.renderer = MarkdownRenderer(theme)
        for item in self.rows.items:
            item.render = None
            item.exact_width = -1
        self._relayout()

    def clear(self) -> None:
        self.rows.clear()
        self.has_older = False
        self._loading_older = False
        self._follow = True
        self._relayout()

    def set_messages(self, messages: list[Any], *, has_older: bool = False) -> None:
        self.rows.clear()
        for message in messages:
            self.rows.append(self._new_item(message))
        self.has_older = has_older
        self._loading_older = False
        self._follow = True
        self._relayout()
        self.scroll_to_bottom()

    def prepend_messages(self, messages: list[Any], *, has_older: bool) -> None:
        """Older page loaded: insert above without moving what the user is looking at."""
        anchor = self._anchor()
        self.rows.prepend([self._new_item(m) for m in messages])
        self.has_older = has_older
        self._loading_older = False
        self._relayout(anchor)

    def add_message(self, message: Any) -> None:
        if self.rows.get(message.id) is not None:
            self.finish_message(message)
            return
        for item in self.rows.items[-3:]:
            self._dirty_ids.add(item.id)  # "last message" actions move to the new row
        self.rows.append(self._new_item(message))
        self._relayout()
        if self._follow:
            self.scroll_to_bottom()

    def append_stream(self, message_id: int, content: str = "", reasoning: str = "") -> None:
        item = self.rows.get(message_id)
        if item is None:
            return
        if content:
            item.pending_content.append(content)
        if reasoning:
            item.pending_reasoning.append(reasoning)
        self._schedule_frame()

    def set_tool_calls(self, message_id: int, tool_calls: list[dict[str, Any]]) -> None:
        item = self.rows.get(message_id)
        if item is not None:
            item.tool_calls = list(tool_calls)
            self._dirty_ids.add(message_id)
            self._schedule_frame()

    def finish_message(self, message: Any) -> None:
        """The stored final state of a message: replaces whatever streamed."""
        item = self.rows.get(message.id)
        if item is None:
            return
        item.pending_content.clear()
        item.pending_reasoning.clear()
        fresh = MessageItem.from_message(message)
        if not fresh.content.startswith(item.content):
            item.render = None  # text was replaced (edit, continue): render afresh
        for name in ("content", "reasoning", "tool_calls", "state", "finish_reason", "usage",
                     "error"):
            setattr(item, name, getattr(fresh, name))
        self._dirty_ids.add(item.id)
        self._flush_frame()

    def remove_from(self, message_id: int) -> None:
        self.rows.remove_from(message_id)
        for item in self.rows.items[-2:]:
            self._dirty_ids.add(item.id)
        self._relayout()

    def flush(self) -> None:
        """Paint pending streamed text now (tests and benchmarks)."""
        self._flush_frame()

    # -- queries ---------------------------------------------------------------------------

    def message_ids(self) -> list[int]:
        return [item.id for item in self.rows.items]

    def item(self, message_id: int) -> MessageItem | None:
        return self.rows.get(message_id)

    def last_reply_text(self) -> str:
        for item in reversed(self.rows.items):
            if item.role == "assistant":
                return item.content + "".join(item.pending_content)
        return ""

    def rendered_html(self, message_id: int) -> str:
        """HTML of the message's laid-out documents (for tests)."""
        index = self.rows.index_of(message_id)
        if index < 0:
            return ""
        self._ensure(index, self._card_width(self.rows.items[index]))
        render = self.rows.items[index].render
        return "\n".join(part.doc.toHtml() for part in render.parts)

    def at_bottom(self) -> bool:
        sb = self.verticalScrollBar()
        return sb.value() >= sb.maximum() - 4

    @property
    def following(self) -> bool:
        return self._follow

    # -- scrolling -------------------------------------------------------------------------

    def scroll_to_bottom(self) -> None:
        self._follow = True
        self._layout_visible()
        self._set_scroll(self.verticalScrollBar().maximum())
        self._update_jump()
        self.viewport().update()

    def scroll_to_message(self, message_id: int, *, highlight: bool = True) -> bool:
        index = self.rows.index_of(message_id)
        if index < 0:
            return False
        self._follow = False
        self._ensure(index, self._card_width(self.rows.items[index]))
        self._update_scrollbar()
        self._set_scroll(max(0, self.rows.top(index) - self.rows.spacing))
        self._layout_visible()
        if highlight:
            self._highlight_id = message_id
            self._highlight_timer.start()
        self._update_jump()
        self.viewport().update()
        return True

    def _scrolled(self, value: int) -> None:
        if not self._programmatic:
            follow = self.at_bottom()
            if follow != self._follow:
                self._follow = follow
                self.follow_changed.emit(follow)
        if value < OLDER_THRESHOLD and self.has_older and not self._loading_older:
            self._loading_older = True
            QTimer.singleShot(0, self, self.older_requested.emit)  # not after the view is gone
        self._update_jump()
        self.viewport().update()

    def _update_jump(self) -> None:
        show = bool(self.rows.items) and not self._follow and not self.at_bottom()
        self.jump_button.setVisible(show)
        if show:
            self.jump_button.adjustSize()
            vp = self.viewport()
            self.jump_button.move(vp.width() - self.jump_button.width() - 16,
                                  vp.height() - self.jump_button.height() - 12)

    def _schedule_frame(self) -> None:
        if not self._frame.isActive():
            self._frame.start()

    def _flush_frame(self) -> None:
        self._frame.stop()
        anchor = self._anchor()
        changed = False
        for item in self.rows.items[-3:]:  # only the newest rows ever stream
            if item.take_pending() or item.id in self._dirty_ids:
                item.exact_width = -1
                if item.render is not None:
                    self._dirty_ids.add(item.id)
                changed = True
        for message_id in list(self._dirty_ids):
            item = self.rows.get(message_id)
            if item is not None:
                item.exact_width = -1
        if changed or self._dirty_ids:
            self._update_scrollbar()
            self._restore(anchor)
            self._layout_visible()
            self._update_jump()
            self.viewport().update()

    # -- Qt events -------------------------------------------------------------------------

    def resizeEvent(self, event: Any) -> None:
        anchor = self._anchor()
        super().resizeEvent(event)
        self._update_scrollbar()
        self._restore(anchor)
        self._layout_visible()
        self._update_jump()

    def paintEvent(self, event: Any) -> None:
        self._layout_visible()
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        clip = QRectF(event.rect())
        painter.fillRect(clip, QColor(self.theme.background))
        if not self.rows.items:
            painter.setPen(QColor(self.theme.muted))
            painter.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter,
                             "Start a conversation: type below and press Enter.")
            painter.end()
            return
        top = self.verticalScrollBar().value()
        index = self.rows.row_at(top + int(clip.top()))
        text_color = QColor(self.theme.text)
        t = self.theme
        while index < len(self.rows.items):
            y = self.rows.top(index) - top
            if y > clip.bottom():
                break
            item = self.rows.items[index]
            if item.render is not None:
                card = QRectF(self._card_x(item), y, self._card_width(item), item.height)
                fill = t.user_card if item.role == "user" else t.assistant_card
                if item.id == self._highlight_id:
                    fill = t.highlight
                painter.setPen(QPen(QColor(t.card_border), 1))
                painter.setBrush(QColor(fill))
                painter.drawRoundedRect(card.adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)
                item.render.paint(painter, card.topLeft(), clip, text_color,
                                  self.selection_for(item.id), self._selection_colors)
            index += 1
        painter.end()
        self.frames_painted += 1

    def _clear_highlight(self) -> None:
        self._highlight_id = -1
        self.viewport().update()
