"""Python's cyclic garbage collector, run on the Qt main thread only.

CPython collects in whichever thread happens to allocate. Helper threads exist here
(qasync's resolver, the Pygments warm-up), and a collection there can destroy Qt
objects off their thread: Qt warns "Timers cannot be stopped from another thread"
and may crash. So automatic collection is off while the app runs, and a timer on the
main thread does what the automatic collector would, with the same thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_INTERVAL_MS = 250


class MainThreadGarbageCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> int | None:
        """Collect the oldest generation whose count passed its threshold; which one, or None."""
        counts = gc.get_count()
        generation = None
        for level, (count, threshold) in enumerate(zip(counts, self._thresholds, strict=True)):
            if threshold <= 0 or count <= threshold:
                break
            generation = level
        if generation is not None:
            gc.collect(generation)
        return generation

    def stop(self) -> None:
        """Back to Python's own collector (at shutdown, after the last Qt object is gone)."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()
