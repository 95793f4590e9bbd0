"""The transcript: a virtualized scroll area painting one card per message.

Only rows that intersect the viewport are laid out at the current width; the
others keep their last height (or an estimate) until an idle job lays them out
in slices of a few milliseconds, so a resize or a scroll touches what is visible
(DESIGN.md §6). Streamed text is painted at frames (transcript_frames). Links run only on
click and only for http/https/mailto; our own actions use the `dc:` scheme and become
signals.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QMouseEvent, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from desktopchat.storage.models import Message
from desktopchat.ui.code_block_keys import CodeBlockFocus
from desktopchat.ui.find_marks import TranscriptFind
from desktopchat.ui.icons import IconSet
from desktopchat.ui.jump_button import JumpToLatest
from desktopchat.ui.lexers import COMMON_LANGUAGES
from desktopchat.ui.message_actions import MessageActions
from desktopchat.ui.message_code import message_codes
from desktopchat.ui.message_marks import MessageMarks
from desktopchat.ui.stream_runner import LiveStream
from desktopchat.ui.theme import Theme
from desktopchat.ui.transcript_a11y import TranscriptAccessibility
from desktopchat.ui.transcript_find import find_terms
from desktopchat.ui.transcript_frames import FramePacer
from desktopchat.ui.transcript_input import TranscriptInput
from desktopchat.ui.transcript_layout import Anchor, TranscriptGeometry
from desktopchat.ui.transcript_paint import TranscriptPainter
from desktopchat.ui.transcript_rows import MessageItem, TranscriptRows

OLDER_THRESHOLD = 150  # px from the top that asks for the previous page


class ChatView(QAbstractScrollArea):
    action_triggered = Signal(int, str)  # message id, action: retry, regenerate, continue, edit
    older_requested = Signal()
    follow_changed = Signal(bool)
    messages_reset = Signal()  # another conversation or branch is shown (not a page added)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatView")
        self.setFrameShape(QAbstractScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.viewport().setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Tab: message keys; click: Ctrl+C
        self.rows = TranscriptRows()
        self.row_geometry = TranscriptGeometry(self, self.rows, theme)
        self.input = TranscriptInput(self, self.rows, self.row_geometry,
                                     on_action=self.action_triggered.emit,
                                     on_changed=self._row_changed)
        self.marks = MessageMarks(self, self.rows, self.row_geometry, IconSet())
        # Hover and keyboard actions over a message; they run as the message's own dc: links.
        self.message_actions = MessageActions(
            self, self.rows, self.row_geometry, self.marks.icons,
            lambda mid, action: self.activate_anchor(mid, f"dc:{action}", self._codes(mid)),
            show=lambda mid: bool(self.scroll_to_message(mid, highlight=False)),
            has_selection=self.input.has_selection)
        # After the first paint, not before it: start-up should not share the GIL.
        QTimer.singleShot(0, lambda: self.row_geometry.renderer.lexers.warm_up(
            COMMON_LANGUAGES, self.row_geometry.theme.pygments_style, busy=self._rendering))
        self.has_older = False
        self._loading_older = False
        self.thumbnails = self.row_geometry.thumbnails
        self.thumbnails.ready.connect(self._thumbnail_ready)
        self.painter = TranscriptPainter(self, self.rows, self.row_geometry,
                                         self.input.selection_for, self.marks,
                                         self.message_actions.ring)
        self.find_marks = TranscriptFind(self, self.rows, self.row_geometry)  # find bar marks
        self.painter.find_for = self.find_marks.marks_for
        # Tab from a chosen message into its code blocks; arrows scroll one (keys first).
        self.code_focus = CodeBlockFocus(self, self.rows, self.row_geometry,
                                         self.input.code_blocks, self.message_actions,
                                         has_selection=self.input.has_selection)
        self.painter.overlay = self.code_focus.paint_overlay  # code bars, the focused block
        self.accessibility = TranscriptAccessibility(self, self.rows, self.row_geometry,
                                                     self.message_actions)  # screen readers
        self.accessibility.code_words = self.code_focus.words
        self.code_focus.moved.connect(self.accessibility.code_focus_moved)

        self.frames = FramePacer(self, self.rows, self.row_geometry, self._update_jump)
        self._frame = self.frames.timer  # (benchmarks time and re-wire the frame timer)
        self._frame.timeout.connect(self._flush_frame)
        self.frames.after_paint = self.accessibility.frame
        self._highlight_timer = QTimer(self)
        self._highlight_timer.setSingleShot(True)
        self._highlight_timer.setInterval(1600)
        self._highlight_timer.timeout.connect(self._clear_highlight)

        sb = self.verticalScrollBar()
        sb.setSingleStep(40)
        sb.valueChanged.connect(self._scrolled)
        self.jump_button = JumpToLatest(self.viewport(), self.scroll_to_bottom)
        self.row_geometry.floating.append(self.jump_button)  # code bars stay clear of it

    # -- content ---------------------------------------------------------------------------

    @property
    def theme(self) -> Theme:
        return self.row_geometry.theme

    def set_theme(self, theme: Theme) -> None:
        if theme == self.row_geometry.theme:
            return
        self.row_geometry.set_theme(theme)
        self._relayout()

    def clear(self) -> None:
        self.rows.clear()
        self.has_older = False
        self._loading_older = False
        self.row_geometry.follow = True
        self._relayout()

    def set_messages(self, messages: list[Message], *, has_older: bool = False) -> None:
        self.rows.clear()
        for message in messages:
            self.rows.append(self.row_geometry.new_item(message))
        self.has_older = has_older
        self._loading_older = False
        self.row_geometry.follow = True
        self._relayout()
        self.scroll_to_bottom()
        self.messages_reset.emit()

    def prepend_messages(self, messages: list[Message], *, has_older: bool) -> None:
        """Older page loaded: insert above without moving what the user is looking at."""
        anchor = self.row_geometry.anchor()
        self.rows.prepend([self.row_geometry.new_item(m) for m in messages])
        self.has_older = has_older
        self._loading_older = False
        self._relayout(anchor)

    def add_message(self, message: Message) -> None:
        if self.rows.get(message.id) is not None:
            self.finish_message(message)
            return
        for item in self.rows.items[-3:]:
            self.row_geometry.dirty_ids.add(item.id)  # "last message" actions move to the new row
        self.rows.append(self.row_geometry.new_item(message))
        self._relayout()
        if self.row_geometry.follow:
            self.scroll_to_bottom()

    def stream_from(self, message_id: int, live: LiveStream) -> None:
        """New text was folded into the stream's Reply: show it at the next frame."""
        item = self.rows.get(message_id)
        if item is None:
            return
        item.live = live
        self.marks.pulse.ensure_running()
        self._schedule_frame()

    def finish_message(self, message: Message) -> None:
        """The stored final state of a message: replaces whatever streamed."""
        item = self.rows.get(message.id)
        if item is None:
            return
        item.live = None
        fresh = MessageItem.from_message(message)
        if not fresh.content.startswith(item.content):
            item.render = None  # text was replaced (edit, continue): render afresh
        for name in ("content", "reasoning", "tool_calls", "state", "finish_reason", "usage",
                     "error", "model", "first_token_s", "tokens_per_s"):
            setattr(item, name, getattr(fresh, name))
        self.row_geometry.dirty_ids.add(item.id)
        self._flush_frame()

    def set_versions(self, positions: dict[int, tuple[int, int]]) -> None:
        """‹ 2/3 › for the shown messages whose turn has versions."""
        changed = False
        for item in self.rows.items:
            versions = positions.get(item.id)
            if versions != item.versions:
                item.versions = versions
                self.row_geometry.dirty_ids.add(item.id)
                changed = True
        if changed:
            self._relayout()

    def set_busy(self, busy: bool) -> None:
        """The chat on screen streams or runs its tools: its calls are not over yet."""
        if busy == self.row_geometry.busy:
            return
        self.row_geometry.busy = busy
        self.row_geometry.dirty_ids.update(item.id for item in self.rows.items if item.tool_calls)
        self._flush_frame()

    def remove_from(self, message_id: int) -> None:
        self.rows.remove_from(message_id)
        for item in self.rows.items[-2:]:
            self.row_geometry.dirty_ids.add(item.id)
        self._relayout()

    def flush(self) -> None:
        """Paint pending streamed text now (tests and benchmarks)."""
        self._flush_frame()

    # -- queries ---------------------------------------------------------------------------

    def message_ids(self) -> list[int]:
        return [item.id for item in self.rows.items]

    def _codes(self, message_id: int) -> list[str]:
        """The code blocks of a message, by number (the action bar's Copy code)."""
        item = self.rows.get(message_id)
        return message_codes(item.content) if item is not None else []

    def item(self, message_id: int) -> MessageItem | None:
        return self.rows.get(message_id)

    def last_reply_text(self) -> str:
        for item in reversed(self.rows.items):
            if item.role == "assistant":
                return item.live.text if item.live is not None else item.content
        return ""

    def rendered_html(self, message_id: int) -> str:
        """HTML of the message's laid-out documents (for tests)."""
        index = self.rows.index_of(message_id)
        if index < 0:
            return ""
        self.row_geometry.ensure(index, self.row_geometry.card_width(self.rows.items[index]))
        render = self.rows.items[index].render
        if render is None:
            return ""
        render.finish()  # parts of a large message may still wait for the render pump
        return "\n".join(part.doc.toHtml() for part in render.parts if part.doc is not None)

    def at_bottom(self) -> bool:
        sb = self.verticalScrollBar()
        return sb.value() >= sb.maximum() - 4

    @property
    def following(self) -> bool:
        return self.row_geometry.follow

    # -- scrolling -------------------------------------------------------------------------

    def scroll_to_bottom(self) -> None:
        self.row_geometry.follow = True
        self.row_geometry.layout_visible()
        self.row_geometry.set_scroll(self.verticalScrollBar().maximum())
        self._update_jump()
        self.viewport().update()

    def scroll_to_message(
        self, message_id: int, *, highlight: bool = True, terms: list[str] | None = None
    ) -> bool:
        """Show a message; with `terms` (a search hit), scroll to them and select them."""
        index = self.rows.index_of(message_id)
        if index < 0:
            return False
        self.row_geometry.follow = False
        item = self.rows.items[index]
        self.row_geometry.ensure(index, self.row_geometry.card_width(item))
        self.row_geometry.update_scrollbar()
        found = find_terms(item.render, terms) if terms and item.render is not None else None
        if found is None:
            self.row_geometry.set_scroll(max(0, self.rows.top(index) - self.rows.spacing))
        else:
            # The match a third of the way down the view, selected so it stands out.
            third = self.viewport().height() // 3
            self.row_geometry.set_scroll(max(0, self.rows.top(index) + int(found.y) - third))
            self.input.select_range(message_id, found.part, found.start, found.end)
        self.row_geometry.layout_visible()
        if highlight:
            self.painter.highlight_id = message_id
            self._highlight_timer.start()
        self._update_jump()
        self.viewport().update()
        return True

    def _scrolled(self, value: int) -> None:
        if not self.row_geometry.programmatic:
            follow = self.at_bottom()
            if follow != self.row_geometry.follow:
                self.row_geometry.follow = follow
                self.follow_changed.emit(follow)
        if value < OLDER_THRESHOLD and self.has_older and not self._loading_older:
            self._loading_older = True
            QTimer.singleShot(0, self, self.older_requested.emit)  # not after the view is gone
        self._update_jump()
        self.viewport().update()

    def _update_jump(self) -> None:
        self.jump_button.place(bool(self.rows.items) and not self.row_geometry.follow
                               and not self.at_bottom())

    def _schedule_frame(self) -> None:
        self.frames.schedule()

    def _flush_frame(self) -> None:
        self.frames.flush()

    def _thumbnail_ready(self, sha: str) -> None:
        for item in self.rows.items:
            if any(a.sha256 == sha for a in item.attachments):
                self.row_geometry.dirty_ids.add(item.id)
                item.exact_width = -1
        self._flush_frame()

    def _row_changed(self, message_id: int) -> None:
        self.row_geometry.dirty_ids.add(message_id)
        self._flush_frame()

    def _relayout(self, anchor: Anchor = None) -> None:
        self.row_geometry.update_scrollbar()
        if anchor is not None:
            self.row_geometry.restore(anchor)
        self.row_geometry.layout_visible()
        self._update_jump()
        self.message_actions.refresh()
        self.accessibility.rows_changed()
        self.viewport().update()

    # -- links and selection (TranscriptInput) -----------------------------------------------

    def activate_anchor(self, message_id: int, anchor: str, codes: list[str]) -> None:
        """What a click on a link does; the only path from a link to the outside world."""
        self.input.activate_anchor(message_id, anchor, codes)

    def selected_text(self) -> str:
        return self.input.selected_text()

    def selected_markdown(self) -> str:
        return self.input.selected_markdown()

    def select_all(self) -> None:
        self.input.select_all()

    # -- Qt events -------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.input.mouse_press(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self.input.mouse_move(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self.input.mouse_release(event)

    def event(self, event: QEvent) -> bool:
        # Copy, Copy as Markdown and Select all reach the transcript before the window's
        # shortcuts (Ctrl+Shift+C is also Copy last reply) when it has something to copy.
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and self.input.wants_key(event)):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.input.key_press(event):
            super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.input.context_menu(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        anchor = self.row_geometry.anchor()
        super().resizeEvent(event)
        self.row_geometry.update_scrollbar()
        self.row_geometry.restore(anchor)
        self.row_geometry.layout_visible()
        self._update_jump()

    def paintEvent(self, event: QPaintEvent) -> None:
        self.painter.paint(QRectF(event.rect()))

    def _rendering(self) -> bool:
        """Frames, slices or layout are queued: helper threads had better wait."""
        geometry = self.row_geometry
        try:
            return self._frame.isActive() or geometry.pump.busy or geometry.idle.isActive()
        except RuntimeError:  # this view is closed and its timers are gone: not busy
            return False

    def _clear_highlight(self) -> None:
        self.painter.highlight_id = -1
        self.viewport().update()

    @property
    def _highlight_id(self) -> int:
        return self.painter.highlight_id

    @property
    def frames_painted(self) -> int:
        return self.painter.frames_painted
