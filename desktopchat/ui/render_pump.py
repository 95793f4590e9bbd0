"""Finishes the transcript's waiting render work in short slices on the UI thread.

A message too large to render at once (render_body) keeps parts that wait for their
document or their layout. The pump runs one slice per event-loop turn, at most
SLICE_S long (one part at least), visible messages and visible parts first, and tells
the view which rows changed height; between slices the loop paints and handles input,
so the longest stall is about one chunk's cost (DESIGN.md §6, budget §8). A slice is
shorter when frames and paints already ran in the same run of the loop (turn_budget):
it leaves room for the paint it causes and a frame that falls due, and waits for the
next turn when too little is left.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from desktopchat.ui.transcript_rows import MessageItem, TranscriptRows
from desktopchat.ui.turn_budget import MIN_STEP_S, TurnBudget, Waits, shared_turn_budget

SLICE_S = 0.010

Span = tuple[float, float] | None  # visible y range inside a row, or None when off-screen


class RenderPump:
    def __init__(self, parent: QObject, rows: TranscriptRows,
                 visible_span: Callable[[MessageItem], Span],
                 on_progress: Callable[[list[int]], None],
                 visible_rows: Callable[[], tuple[int, int]] | None = None,
                 budget: TurnBudget | None = None) -> None:
        self._rows = rows
        self.budget = budget or shared_turn_budget()
        self._waits = Waits()
        self._visible_span = visible_span
        self._visible_rows = visible_rows  # first and last index on screen
        self._on_progress = on_progress
        self._timer = QTimer(parent)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._slice)

    def poke(self) -> None:
        """Some render has waiting work: make sure a slice is coming."""
        if not self._timer.isActive():
            self._timer.start()

    @property
    def busy(self) -> bool:
        return self._timer.isActive() or bool(self._waiting())

    def _waiting(self) -> list[MessageItem]:
        # Asked of every loaded row (thousands after paging back): the span is worked out
        # only for rows on screen; the others are off-screen by their index.
        first, last = (self._visible_rows() if self._visible_rows is not None
                       else (0, len(self._rows.items) - 1))
        return [item for index, item in enumerate(self._rows.items) if item.render is not None
                and item.render.wants_work(
                    self._visible_span(item) if first <= index <= last else None)]

    def _slice(self) -> None:
        # What this run of the loop has left, less the paint this slice's progress causes.
        left = self.budget.left(self.budget.now() + SLICE_S, after=("paint",))
        if self._waits.wait(left, self.budget):
            self._timer.start()  # the next turn: input first
            return
        with self.budget.spend("slice"):
            self._work(time.perf_counter() + max(MIN_STEP_S, min(SLICE_S, left)))

    def _work(self, deadline: float) -> None:
        waiting = self._waiting()
        spans = {item.id: self._visible_span(item) for item in waiting}
        # Visible rows first, then the newest (streaming) ones.
        order = [item for _, item in sorted(
            enumerate(waiting), key=lambda pair: (spans[pair[1].id] is None, -pair[0]))]
        changed: list[int] = []
        for index, item in enumerate(order):
            if index and time.perf_counter() > deadline:
                break
            render = item.render  # never None in `waiting`
            if render is not None and render.work(deadline, spans[item.id]):
                changed.append(item.id)
        if changed:
            self._on_progress(changed)
        if self._waiting():
            self._timer.start()
