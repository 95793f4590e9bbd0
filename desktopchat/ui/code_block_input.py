"""Mouse and wheel on code blocks: Shift+wheel and the scrollbar scroll a block's long lines,
Wrap toggles wrapping, Copy copies the code and says "Copied" for a moment.

It filters the transcript viewport's wheel and mouse events before the view sees them and
keeps those that were a code block's, so selection and vertical scrolling never see them;
TranscriptInput hands it the clicks on a block's Wrap and Copy links.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea

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
        self._drag: tuple[Part, CodeBlock, float, float] | None = None  # ..., press x, offset
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
        if not self.rows.items:
            return None
        y = pos.y() + self._area.verticalScrollBar().value()
        index = self.rows.row_at(int(y))
        item = self.rows.items[index]
        if item.render is None:
            return None
        x = pos.x() - self._geometry.card_x(item) - PAD
        y -= self.rows.top(index)
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

    def mouse_press(self, event: QMouseEvent) -> bool:
        """A press on a block's scrollbar: drag the thumb, or page towards the click."""
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        under = self.block_under(event.position())
        if under is None or not under[2].overflows:
            return False
        _item, part, block, point = under
        bar = block.bar().adjusted(0, -3, 0, 3)  # a thin bar, a less thin target
        if not bar.contains(point):
            return False
        offset = view_of(part).state(block.index).offset
        thumb = block.thumb(offset)
        if not (thumb.left() <= point.x() <= thumb.right()):
            page = block.window.width() * 0.9
            offset += page if point.x() > thumb.right() else -page
            self.scroll(part, block, offset)
        self._drag = (part, block, event.position().x(), view_of(part).state(block.index).offset)
        return True

    def mouse_move(self, event: QMouseEvent) -> bool:
        if self._drag is None:
            return self._hover(event)
        part, block, start_x, start_offset = self._drag
        track = block.bar()
        thumb = block.thumb(start_offset)
        travel = max(1.0, track.width() - thumb.width())
        moved = event.position().x() - start_x
        self.scroll(part, block, start_offset + moved * block.max_offset / travel)
        return True

    def _hover(self, event: QMouseEvent) -> bool:
        """Over a block's scrollbar (no button held): an arrow, not the text cursor."""
        if event.buttons() != Qt.MouseButton.NoButton:
            return False  # a selection drag passing by
        under = self.block_under(event.position())
        if under is None or not under[2].overflows:
            return False
        if not under[2].bar().adjusted(0, -3, 0, 3).contains(under[3]):
            return False
        self._area.viewport().setCursor(Qt.CursorShape.ArrowCursor)
        self._area.viewport().setToolTip("")
        return True

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
        set_wrap(part, index, not view_of(part).state(index).wrap)
        self._on_changed(item.id)
        return True

    def copy(self, message_id: int, part: Part, index: int, code: str) -> None:
        QGuiApplication.clipboard().setText(code.rstrip("\n"))
        if self._copied is not None:
            set_copied(self._copied[1], self._copied[2], False)
        self._copied = (message_id, part, index)
        set_copied(part, index, True)
        self._copied_timer.start()
        self._area.viewport().update()
        self.copied.emit(message_id)

    def _end_copied(self) -> None:
        if self._copied is None:
            return
        message_id, part, index = self._copied
        self._copied = None
        set_copied(part, index, False)
        self._area.viewport().update()
        self.copied_ended.emit(message_id)
