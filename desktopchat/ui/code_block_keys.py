"""Code blocks by keyboard: Tab reaches the code blocks of the message the keyboard chose.

The transcript is one focus stop whose messages are chosen with Up and Down
(message_actions). From a chosen message, Tab walks its code blocks in order (a block
split over parts is one stop) before leaving the transcript, and Shift+Tab walks back to
the message, so the window's Tab order stays the screen's: the transcript, its blocks, the
composer. On a block: Left and Right scroll its long lines (Shift: by most of its width),
Home and End go to their start and end, W wraps or unwraps it, C (or Ctrl+C with nothing
selected) copies its code. A ring in the highlight colour marks the block, and screen
readers are told its name and keys as the message's description (transcript_a11y).
Up, Down or a click leave the block for the messages again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import QAbstractScrollArea

from desktopchat.ui.code_block_bars import shown_blocks
from desktopchat.ui.code_block_input import WHEEL_STEP, CodeBlockInput
from desktopchat.ui.code_block_stops import Stop, count_of, next_stop, number_of
from desktopchat.ui.code_blocks import CodeBlock, CodeState, label_texts, view_of
from desktopchat.ui.code_pieces import pieces
from desktopchat.ui.i18n import translate
from desktopchat.ui.message_actions import MessageActions
from desktopchat.ui.render_body import Part
from desktopchat.ui.transcript_layout import TranscriptGeometry
from desktopchat.ui.transcript_rows import MessageItem, TranscriptRows

Mod = Qt.KeyboardModifier
RING = 2  # px, the focused block's ring


def geometry_of(part: Part, index: int) -> CodeBlock | None:
    if part.doc is None or part.width < 0:
        return None
    return next((b for b in view_of(part).blocks(part.doc, part.width) if b.index == index),
                None)


class CodeBlockFocus(QObject):
    moved = Signal(int)  # message id: the keyboard's code block changed (or was left)

    def __init__(self, area: QAbstractScrollArea, rows: TranscriptRows,
                 geometry: TranscriptGeometry, code_input: CodeBlockInput,
                 actions: MessageActions, *, has_selection: Callable[[], bool]) -> None:
        super().__init__(area)
        self._area = area
        self._rows = rows
        self._geometry = geometry
        self._input = code_input
        self._actions = actions
        self._has_selection = has_selection
        self.current: tuple[int, CodeState] | None = None  # message id, the block's state
        actions.focus_moved.connect(lambda _id: self.leave())
        area.installEventFilter(self)  # after MessageActions: its keys come here first
        area.viewport().installEventFilter(self)  # a click leaves the block

    # -- which block -------------------------------------------------------------------------

    def stop(self) -> tuple[MessageItem, Stop] | None:
        """The focused block's message and first rendered piece (None: no block focused)."""
        if self.current is None:
            return None
        item = self._rows.get(self.current[0])
        found = pieces(item.render.parts, self.current[1]) if item and item.render else []
        return (item, found[0]) if item is not None and found else None

    def _focus(self, item: MessageItem, stop: Stop | None) -> None:
        part_index = stop
        self.current = None if part_index is None else (
            item.id, view_of(part_index[0]).state(part_index[1]))
        if part_index is not None:
            self._actions.focus_visible = True
            self._bring_into_view(item, *part_index)
        self._area.viewport().update()
        self.moved.emit(item.id)

    def leave(self) -> None:
        if self.current is not None:
            message_id = self.current[0]
            self.current = None
            self._area.viewport().update()
            self.moved.emit(message_id)

    def _bring_into_view(self, item: MessageItem, part: Part, index: int) -> None:
        assert self.current is not None
        state = self.current[1]
        if any(s.state is state for s in shown_blocks(self._area, self._rows, self._geometry)):
            return
        block = geometry_of(part, index)
        row = self._rows.index_of(item.id)
        self._geometry.follow = False
        inside = part.y + (block.outer.top() if block is not None else 0.0)
        self._geometry.set_scroll(max(0, self._rows.top(row) + int(inside) - 24))
        self._geometry.layout_visible()

    # -- keys ----------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        mine = watched is self._area
        if mine and kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self.key_press(event)
        if mine and isinstance(event, QFocusEvent) and kind == QEvent.Type.FocusOut:
            # The keyboard went to another widget; another window or a menu brings it back.
            if event.reason() not in (Qt.FocusReason.ActiveWindowFocusReason,
                                      Qt.FocusReason.PopupFocusReason):
                self.leave()
        elif not mine and kind == QEvent.Type.MouseButtonPress:
            self.leave()  # a click chose a place in the transcript
        return False

    def key_press(self, event: QKeyEvent) -> bool:
        key = event.key()
        mods = event.modifiers() & ~Mod.KeypadModifier
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and not mods & (Mod.ControlModifier
                                                                        | Mod.AltModifier):
            back = key == Qt.Key.Key_Backtab or bool(mods & Mod.ShiftModifier)
            return self._tab(back)
        found = self.stop()
        if found is None:
            return False
        item, (part, index) = found
        block = geometry_of(part, index)
        state = view_of(part).state(index)
        plain = mods in (Mod.NoModifier, Mod.ShiftModifier)
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and plain:
            step = block.window.width() * 0.9 if block and mods & Mod.ShiftModifier else (
                WHEEL_STEP)
            self._scroll(part, block, state.offset + (step if key == Qt.Key.Key_Right
                                                      else -step))
            return True
        if key in (Qt.Key.Key_Home, Qt.Key.Key_End) and mods == Mod.NoModifier:
            self._scroll(part, block, 0.0 if key == Qt.Key.Key_Home else float("inf"))
            return True
        if key == Qt.Key.Key_W and mods == Mod.NoModifier:
            self._input.toggle_wrap(item.id, part, index)
            return True
        copy = mods == Mod.NoModifier or (mods == Mod.ControlModifier
                                          and not self._has_selection())
        if key == Qt.Key.Key_C and copy and item.render is not None:
            self._input.copy(item.id, part, index, item.render.body.code_text(part, index))
            return True
        return False

    def _scroll(self, part: Part, block: CodeBlock | None, offset: float) -> None:
        if block is not None:
            self._input.scroll(part, block, offset)

    def _tab(self, back: bool) -> bool:
        """Tab and Shift+Tab through the chosen message's code blocks, rendered or not yet
        (code_block_stops); False to leave the transcript (Tab past the last block,
        Shift+Tab from the message)."""
        item = self._rows.get(self._actions.focus_id)
        if item is None or not self._area.hasFocus():
            return False
        current = self.current[1] if self.current and self.current[0] == item.id else None
        if back and current is None:
            return False
        self._laid_out(item)  # a row never laid out yet has no render to walk
        target = next_stop(item, current, back=back)
        self._laid_out(item)
        if target is None and not back:
            self.leave()
            return False
        self._focus(item, target)
        return True

    def _laid_out(self, item: MessageItem) -> None:
        """Parts the walk rendered have exact heights now: the row and scrollbar follow."""
        row = self._rows.index_of(item.id)
        if row >= 0 and (item.render is None or item.exact_width < 0):
            self._geometry.ensure(row, self._geometry.card_width(item))
            self._geometry.update_scrollbar()

    # -- what it says and shows --------------------------------------------------------------

    def words(self, message_id: int) -> str:
        """The focused block's name and keys, for screen readers ("" when none is focused)."""
        found = self.stop()
        if found is None or found[0].id != message_id:
            return ""
        item, (part, index) = found
        number = number_of(item, view_of(part).state(index))
        count = max(count_of(item), number)
        language = (label_texts(part, index).split() or [""])[0]
        block = geometry_of(part, index)
        if block is not None and block.overflows:
            return translate(
                "CodeBlockFocus", "Code block {number} of {count}, {language}: Left and "
                "Right scroll it, Home and End go to its ends, W wraps it, C copies it."
            ).format(number=number, count=count, language=language)
        return translate("CodeBlockFocus", "Code block {number} of {count}, {language}: "
                         "W wraps it, C copies it.").format(
            number=number, count=count, language=language)

    def paint_overlay(self, painter: QPainter) -> None:
        """Over the rows: every block's scrollbar, then the ring of the focused block."""
        self._input.paint_overlay(painter)
        if self.current is None or not self._area.hasFocus():
            return
        state = self.current[1]
        painter.save()
        painter.setPen(QPen(self._actions.ring_color(), RING))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for shown in shown_blocks(self._area, self._rows, self._geometry):
            if shown.state is state:
                for piece in shown.pieces:
                    ring = QRectF(piece.outer).adjusted(-RING, -RING, RING, RING)
                    painter.drawRoundedRect(ring, 3, 3)
        painter.restore()
