"""Mouse and wheel on code blocks: Shift+wheel and the scrollbar scroll a block's long lines,
Wrap toggles wrapping, Copy copies the code and says "Copied" for a moment.

It filters the transcript viewport's wheel and mouse events before the view sees them and
keeps those that were a code block's, so selection and vertical scrolling never see them;
TranscriptInput hands it the clicks on a block's Wrap and Copy links.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QMouseEvent, QPainter, QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea

from desktopchat.ui.code_block_bars import ShownBlock, paint_bars, shown_blocks
from desktopchat.ui.code_blocks import (
    COPY_ACTION,
    WRAP_ACTION,
    CodeBlock,
    block_at,
    scroll_to,
    set_copied,
    set_wrap,
    view_of,
)
from desktopchat.ui.code_pieces import pieces
from desktopchat.ui.message_render import PAD
from desktopchat.ui.render_body import Part
from desktopchat.ui.transcript_layout import TranscriptGeometry
from desktopchat.ui.transcript_rows import MessageItem, TranscriptRows

COPIED_MS = 1500  # how long "Copied" shows
WHEEL_STEP = 60.0  # px per wheel notch (120 eighths of a degree)


class CodeBlockInput(QObject):
    copied = Signal(int)  # message id: code went to the clipboard and "Copied" shows
    copied_ended = Signal(int)  # message id: "Copy" again

    def __init__(self, area: QAbstractScrollArea, rows: TranscriptRows,
                 geometry: TranscriptGeometry, *, on_changed: Callable[[int], None]) -> None:
        super().__init__(area)
        self._area = area
        self.rows = rows
        self._geometry = geometry
        self._on_changed = on_changed  # a row's height changed: lay it out and paint
        # While the thumb is dragged: a piece of the block, its bar, the press x, the offset.
        self._drag: tuple[Part, CodeBlock, QRectF, float, float] | None = None
        self._copied: tuple[int, Part, int] | None = None  # message id, part, block number
        self._copied_timer = QTimer(self)
        self._copied_timer.setSingleShot(True)
        self._copied_timer.setInterval(COPIED_MS)
        self._copied_timer.timeout.connect(self._end_copied)
        area.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Wheel and isinstance(event, QWheelEvent):
            return self.wheel(event)
        if isinstance(event, QMouseEvent):
            if kind == QEvent.Type.MouseButtonPress:
                return self.mouse_press(event)
            if kind == QEvent.Type.MouseMove:
                return self.mouse_move(event)
            if kind == QEvent.Type.MouseButtonRelease:
                return self.mouse_release(event)
        return False

    # -- where -------------------------------------------------------------------------------

    def locate(self, pos: QPointF) -> tuple[MessageItem, Part, QPointF] | None:
        """The row and part under a viewport point, and the point in the part (on screen)."""
        found = self._geometry.row_point(pos)
        if found is None:
            return None
        item, local = found
        if item.render is None:
            return None
        x, y = local.x() - PAD, local.y()
        for part in item.render.parts:
            if part.y <= y <= part.y + part.height and part.doc is not None:
                return item, part, QPointF(x, y - part.y)
        return None

    def block_under(self, pos: QPointF) -> tuple[MessageItem, Part, CodeBlock, QPointF] | None:
        found = self.locate(pos)
        if found is None:
            return None
        item, part, point = found
        block = block_at(part, point)
        return None if block is None else (item, part, block, point)

    # -- scrolling ---------------------------------------------------------------------------

    def wheel(self, event: QWheelEvent) -> bool:
        """Horizontal wheel, or Shift+wheel, over a block with long lines scrolls the block."""
        delta = event.angleDelta().x()
        pixels = event.pixelDelta().x()
        if not delta and event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            delta, pixels = event.angleDelta().y(), event.pixelDelta().y()
        if not delta and not pixels:
            return False
        under = self.block_under(event.position())
        if under is None or not under[2].overflows:
            return False
        _item, part, block, _point = under
        step = -float(pixels) if pixels else -delta / 120 * WHEEL_STEP
        self.scroll(part, block, view_of(part).state(block.index).offset + step)
        event.accept()
        return True

    def scroll(self, part: Part, block: CodeBlock, offset: float) -> None:
        if scroll_to(part, block, offset):
            self._area.viewport().update()

    def bar_under(self, pos: QPointF) -> ShownBlock | None:
        """The block whose scrollbar is under `pos` (a thin bar, a less thin target)."""
        for shown in shown_blocks(self._area, self.rows, self._geometry):
            if shown.track is not None and shown.track.adjusted(0, -3, 0, 3).contains(pos):
                return shown
        return None

    def mouse_press(self, event: QMouseEvent) -> bool:
        """A press on a block's scrollbar: drag the thumb, or page towards the click."""
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        shown = self.bar_under(event.position())
        if shown is None or shown.track is None:
            return False
        part, block, track = shown.first.part, shown.first.block, shown.track
        thumb = shown.thumb()
        x = event.position().x()
        if not (thumb.left() <= x <= thumb.right()):
            page = block.window.width() * 0.9
            self.scroll(part, block, shown.state.offset + (page if x > thumb.right() else -page))
        self._drag = (part, block, track, x, shown.state.offset)
        return True

    def mouse_move(self, event: QMouseEvent) -> bool:
        if self._drag is None:
            return self._hover(event)
        part, block, track, start_x, start_offset = self._drag
        thumb = block.thumb(start_offset, track)
        travel = max(1.0, track.width() - thumb.width())
        moved = event.position().x() - start_x
        self.scroll(part, block, start_offset + moved * block.max_offset / travel)
        return True

    def _hover(self, event: QMouseEvent) -> bool:
        """Over a block's scrollbar (no button held): an arrow, not the text cursor."""
        if event.buttons() != Qt.MouseButton.NoButton:
            return False  # a selection drag passing by
        if self.bar_under(event.position()) is None:
            return False
        self._area.viewport().setCursor(Qt.CursorShape.ArrowCursor)
        self._area.viewport().setToolTip("")
        return True

    def paint_overlay(self, painter: QPainter) -> None:
        """Over the painted rows: each code block's one scrollbar."""
        paint_bars(painter, shown_blocks(self._area, self.rows, self._geometry),
                   self._geometry.theme)

    def mouse_release(self, event: QMouseEvent) -> bool:
        if self._drag is None:
            return False
        self._drag = None
        return event.button() == Qt.MouseButton.LeftButton

    # -- header actions ----------------------------------------------------------------------

    def activate(self, item: MessageItem, part: Part, anchor: str) -> bool:
        """dc:copy-code/n and dc:wrap-code/n of a clicked block; False for other links."""
        scheme, _, action = anchor.partition(":")
        name, _, number = action.partition("/")
        if scheme != "dc" or name not in (COPY_ACTION, WRAP_ACTION) or not number.isdigit():
            return False
        index = int(number)
        if name == COPY_ACTION:
            if index < len(part.codes) and item.render is not None:
                # A long block is split over parts: Copy in any of them copies all of it.
                self.copy(item.id, part, index, item.render.body.code_text(part, index))
            return True
        self.toggle_wrap(item.id, part, index)
        return True

    def pieces(self, message_id: int, part: Part, index: int) -> list[tuple[Part, int]]:
        """Every rendered piece of the block that `index` of `part` is (or is a piece of)."""
        item = self.rows.get(message_id)
        state = view_of(part).state(index)
        found = pieces(item.render.parts, state) if item and item.render is not None else []
        return found or [(part, index)]

    def toggle_wrap(self, message_id: int, part: Part, index: int) -> None:
        """Wrap the whole block (every piece of a split one), or unwrap it."""
        wrap = not view_of(part).state(index).wrap
        for piece, number in self.pieces(message_id, part, index):
            set_wrap(piece, number, wrap)
        self._on_changed(message_id)

    def copy(self, message_id: int, part: Part, index: int, code: str) -> None:
        QGuiApplication.clipboard().setText(code.rstrip("\n"))
        self._end_copied(tell=False)
        self._copied = (message_id, part, index)
        for piece, number in self.pieces(message_id, part, index):
            set_copied(piece, number, True)  # pieces rendered later read it from the state
        self._copied_timer.start()
        self._area.viewport().update()
        self.copied.emit(message_id)

    def _end_copied(self, *, tell: bool = True) -> None:
        if self._copied is None:
            return
        message_id, part, index = self._copied
        self._copied = None
        for piece, number in self.pieces(message_id, part, index):
            set_copied(piece, number, False)
        self._area.viewport().update()
        if tell:
            self.copied_ended.emit(message_id)
