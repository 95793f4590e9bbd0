"""Frames of streamed text: the one coalescing point between a growing reply and paint.

Owned by ChatView. A streaming row reads its text from the core Reply the deltas are folded
into, at a frame: at once when the last frame is more than FRAME_MS old, else at the next
frame slot, so text is painted within a frame of arriving (DESIGN.md §6). A frame syncs the
newest rows and the rows marked dirty, keeps the row the user looks at in place, and paints.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import QAbstractScrollArea

from desktopchat.ui.transcript_layout import TranscriptGeometry
from desktopchat.ui.transcript_rows import TranscriptRows
from desktopchat.ui.turn_budget import shared_turn_budget

FRAME_MS = 16  # streamed text is painted at most ~60 times a second, at once when idle
FRAME_BUDGET = 2  # ... and frames use at most about half of the main thread


class FramePacer:
    def __init__(self, area: QAbstractScrollArea, rows: TranscriptRows,
                 geometry: TranscriptGeometry, after_layout: Callable[[], None]) -> None:
        self._area = area
        self._rows = rows
        self._geometry = geometry
        self._after_layout = after_layout  # the view's own chrome (the jump button)
        self.timer = QTimer(area)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._since_frame = QElapsedTimer()  # since the last frame: paces streamed text
        self._frame_cost_ms = 0
        self.after_paint: Callable[[], None] = lambda: None  # told once per painted frame
        # Frames never wait for the budget; they tell it when they come (slices make room).
        self._budget = shared_turn_budget()

    def schedule(self) -> None:
        """New text waits at most for the next frame slot.

        Frames are FRAME_MS apart, or FRAME_BUDGET times the last frame's cost when that
        is longer: a huge reply's frames never take the whole main thread from input."""
        if not self.timer.isActive():
            interval = max(FRAME_MS, round(self._frame_cost_ms * FRAME_BUDGET))
            since = self._since_frame.elapsed() if self._since_frame.isValid() else interval
            delay_ms = max(0, interval - since)
            self.timer.start(delay_ms)
            self._budget.expect("frame", self._budget.now() + delay_ms / 1000)

    def flush(self) -> None:
        self.timer.stop()
        self._since_frame.start()
        try:
            with self._budget.spend("frame"):
                self._take_frame()
        finally:
            self._frame_cost_ms = self._since_frame.elapsed()

    def _take_frame(self) -> None:
        geometry = self._geometry
        anchor = geometry.anchor()
        changed = False
        for item in self._rows.items[-3:]:  # only the newest rows ever stream
            if item.take_live() or item.id in geometry.dirty_ids:
                item.exact_width = -1
                if item.render is not None:
                    geometry.dirty_ids.add(item.id)
                changed = True
        for message_id in list(geometry.dirty_ids):
            dirty = self._rows.get(message_id)
            if dirty is not None:
                dirty.exact_width = -1
        if changed or geometry.dirty_ids:
            geometry.update_scrollbar()
            geometry.restore(anchor)
            geometry.layout_visible()
            self._after_layout()
            # Paint now: this is the frame (paced by schedule). update() would wait for the
            # platform's next update request, up to one more frame later.
            self._area.viewport().repaint()
            self.after_paint()
