"""Python's cyclic garbage collector, run on the Qt main thread only, and kept short there.

CPython collects in whichever thread happens to allocate. Helper threads exist here
(qasync's resolver, the Pygments warm-up), and a collection there can destroy Qt
objects off their thread: Qt warns "Timers cannot be stopped from another thread"
and may crash. So automatic collection is off while the app runs, and a timer on the
main thread does what the automatic collector would, with the same thresholds.

A full (oldest-generation) collection walks every tracked object, 20-40 ms on the UI
thread once a long chat is open (issue #10 §4: no stall over 50 ms). Two things keep it
short and rare:
- `freeze_start_up()`, called once the window is up: what start-up built lives as long as
  the app (modules, widgets, presets), so it is moved out of the collector's sight
  (gc.freeze) and a full pass walks only what came after.
- A full pass runs at most every FULL_SPACING times its last duration (and at least
  MIN_FULL_INTERVAL_S apart): CPython's own rule (a full pass only when the objects that
  reached the old generation since the last one are a quarter of it) has no Python API,
  and without a rule a busy renderer would run one every couple of seconds. Younger
  generations are collected as before, so ordinary cycles still go at once.
A due collection also waits (a few turns at most) for a run of the event loop with room
for it (turn_budget): a 16 ms full pass once ran right after a render slice and a frame.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QTimer

from desktopchat.ui.turn_budget import TurnBudget, Waits, shared_turn_budget

CHECK_INTERVAL_MS = 250
MIN_FULL_INTERVAL_S = 10.0
FULL_SPACING = 100  # a full pass may take at most ~1% of the time
OLDEST = 2


class MainThreadGarbageCollector(QObject):
    def __init__(self, parent: QObject | None = None,
                 budget: TurnBudget | None = None) -> None:
        super().__init__(parent)
        self.budget = budget or shared_turn_budget()
        self._waits = Waits()
        self._retry = QTimer(self)  # a collection that waited for room: the next turn
        self._retry.setSingleShot(True)
        self._retry.setInterval(0)
        self._retry.timeout.connect(self.check)
        self._thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._last_full = time.monotonic()
        self._full_took = 0.0
        self.frozen = 0  # objects set aside by freeze_start_up()
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def freeze_start_up(self) -> int:
        """Collect once, then set everything that exists aside for good (gc.freeze): a full
        pass from now on walks only objects made after start-up. How many were set aside."""
        self._collect(OLDEST)
        gc.freeze()
        self.frozen = gc.get_freeze_count()
        return self.frozen

    def full_pass_due(self) -> bool:
        waited = time.monotonic() - self._last_full
        return waited >= max(MIN_FULL_INTERVAL_S, FULL_SPACING * self._full_took)

    def check(self) -> int | None:
        """Collect the oldest generation whose count passed its threshold (the oldest only
        when a full pass is due, else the one below); which one, or None (nothing due, or
        waiting for a turn with room for it)."""
        counts = gc.get_count()
        generation = None
        for level, (count, threshold) in enumerate(zip(counts, self._thresholds, strict=True)):
            if threshold <= 0 or count <= threshold:
                break
            generation = level
        if generation == OLDEST and not self.full_pass_due():
            generation = OLDEST - 1
        if generation is None:
            return None
        expected = self._full_took if generation == OLDEST else 0.0
        if self._waits.wait(self.budget.left(self.budget.now()) - expected, self.budget):
            self._retry.start()
            return None
        self._collect(generation)
        return generation

    def _collect(self, generation: int) -> None:
        started = time.monotonic()
        with self.budget.spend("gc"):
            gc.collect(generation)
        if generation == OLDEST:
            self._last_full = time.monotonic()
            self._full_took = self._last_full - started

    def stop(self) -> None:
        """Back to Python's own collector (at shutdown, after the last Qt object is gone)."""
        self._timer.stop()
        self._retry.stop()
        gc.unfreeze()
        gc.collect()
        if self._was_enabled:
            gc.enable()
