"""One function run on a worker thread, its progress and outcome sent back as queued signals.

For work that touches only files and connections of its own (backups, the export archive),
so the window keeps painting and streaming meanwhile. The function gets a `progress(done,
total)` callback, which raises `JobCancelled` once `cancel()` was called: the function stops
there and cleans up after itself. Exactly one of succeeded/failed/cancelled, then finished.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from desktopchat.errors import DesktopChatError
from desktopchat.ui.error_text import shown_error
from desktopchat.ui.i18n import translate

log = logging.getLogger(__name__)
STEPS = 1000  # progress is per mille: totals can be larger than a Qt int

Progress = Callable[[int, int], None]


class JobCancelled(Exception):
    """Raised inside the worker by the progress callback after cancel()."""


class WorkerJob(QObject):
    progressed = Signal(int)  # per mille done
    succeeded = Signal(object)  # what the function returned
    failed = Signal(str)  # a sentence for the user
    cancelled = Signal()
    finished = Signal()

    def __init__(self, name: str, work: Callable[[Progress], object],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._work = work
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    def is_running(self) -> bool:
        return self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def _progress(self, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise JobCancelled
        if total > 0:
            self.progressed.emit(min(STEPS, done * STEPS // total))

    def _run(self) -> None:
        # On the worker thread: only signals cross back, queued to the receivers' thread.
        try:
            result = self._work(self._progress)
        except JobCancelled:
            self.cancelled.emit()
        except DesktopChatError as exc:
            self.failed.emit(shown_error(exc))
        except Exception as exc:  # a bug: say so once, keep the traceback in the log
            log.exception("%s failed", self.name)
            self.failed.emit(translate("WorkerJob", "Unexpected problem: {error}")
                             .format(error=f"{type(exc).__name__}: {exc}"))
        else:
            self.succeeded.emit(result)
        self.finished.emit()
