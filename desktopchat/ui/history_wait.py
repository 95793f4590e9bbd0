"""The window shown while another program holds the history's lock (issue #10, §1).

SQLite's busy wait would freeze start-up for as long as the lock is held, and a modal box
before any window is no better. So the app shows this window at once, with a banner that
says what is wrong and offers Retry, and opens the history on a worker thread: when the
user presses Retry, and on its own every few seconds. Nothing is read into the window or
written to the file until the history opens; then the real window takes this one's place.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktopchat.errors import StorageError
from desktopchat.ui.i18n import translate
from desktopchat.ui.plain_text import new_label
from desktopchat.ui.window_geometry import place_first_window

if TYPE_CHECKING:
    from desktopchat.settings import WindowStateStore

log = logging.getLogger(__name__)

T = TypeVar("T")
AUTO_RETRY_S = 3.0  # how often the history is tried again on its own while it is locked


class HistoryWaitWindow(QMainWindow):
    """An empty desktopchat window with a banner: the history is locked, Retry."""

    retry_requested = Signal()
    closed = Signal()

    def __init__(self, problem: str, database: Path,
                 window_state: WindowStateStore | None = None) -> None:
        super().__init__()
        self.setWindowTitle("desktopchat")
        self.banner = QFrame(self)
        self.banner.setObjectName("historyLockedBanner")
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.headline = new_label(translate(
            "HistoryWaitWindow",
            "Your history is locked by another program, so desktopchat cannot open it yet. "
            "Nothing has been changed. It opens as soon as the other program lets go: "
            "desktopchat tries again every few seconds, or press Retry."), self.banner)
        self.headline.setWordWrap(True)
        self.detail = new_label("", self.banner)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = QPushButton(translate("HistoryWaitWindow", "Retry"), self.banner)
        self.retry_button.setDefault(True)
        self.retry_button.clicked.connect(self.retry_requested)
        quit_button = QPushButton(translate("HistoryWaitWindow", "Quit"), self.banner)
        quit_button.clicked.connect(self.close)
        texts = QVBoxLayout()
        texts.addWidget(self.headline)
        texts.addWidget(self.detail)
        row = QHBoxLayout(self.banner)
        row.addLayout(texts, 1)
        row.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(quit_button, 0, Qt.AlignmentFlag.AlignTop)
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.addWidget(self.banner)
        column.addStretch(1)
        self.setCentralWidget(central)
        self._database = database
        self.attempts = 0  # tries made from this window (Retry or automatic)
        self.show_problem(problem)
        self._restore_geometry(window_state)

    def show_problem(self, problem: str) -> None:
        """The latest reason, with the file that was left untouched."""
        self.detail.setText(translate(
            "HistoryWaitWindow", "{problem}\nThe file was left untouched: {path}").format(
                problem=problem, path=self._database))

    def set_trying(self, trying: bool) -> None:
        self.attempts += trying
        self.retry_button.setEnabled(not trying)
        self.retry_button.setText(translate("HistoryWaitWindow", "Trying…") if trying
                                  else translate("HistoryWaitWindow", "Retry"))

    def _restore_geometry(self, window_state: WindowStateStore | None) -> None:
        """The size and place the real window will have, so the swap does not jump."""
        geometry = window_state.load().get("geometry") if window_state is not None else None
        try:
            if isinstance(geometry, str) and self.restoreGeometry(
                    QByteArray(base64.b64decode(geometry))):
                return
        except (ValueError, TypeError):
            pass
        place_first_window(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit()
        super().closeEvent(event)


class HistoryOpener(Generic[T]):
    """Tries `attempt` (which opens the history, or raises StorageError) on a worker thread
    when asked and every `retry_every` seconds, until it succeeds or the window closes.

    `still_waiting(error)`: whether an error means "locked, keep trying" (another problem
    is shown, and only Retry tries again)."""

    def __init__(self, window: HistoryWaitWindow, attempt: Callable[[], T],
                 still_waiting: Callable[[StorageError], bool], *,
                 retry_every: float | None = AUTO_RETRY_S,
                 discard: Callable[[T], None] | None = None) -> None:
        self.window = window
        self._attempt = attempt
        self._still_waiting = still_waiting
        self._retry_every = retry_every
        self._discard = discard  # closes what an attempt opened after the window closed
        self._wake = asyncio.Event()
        self._closed = False
        window.retry_requested.connect(self._wake.set)
        window.closed.connect(self._on_closed)

    def _on_closed(self) -> None:
        self._closed = True
        self._wake.set()

    async def opened(self) -> T | None:
        """The opened history, or None when the user closed the window first."""
        auto = self._retry_every
        while not self._closed:
            with contextlib.suppress(TimeoutError):  # time for an automatic retry
                await asyncio.wait_for(self._wake.wait(), auto)
            self._wake.clear()
            if self._closed:
                break
            self.window.set_trying(True)
            try:
                result = await asyncio.to_thread(self._attempt)
            except StorageError as exc:
                log.info("history still unavailable: %s", exc.message)
                self.window.show_problem(exc.message)
                auto = self._retry_every if self._still_waiting(exc) else None
                continue
            finally:
                self.window.set_trying(False)
            if self._closed:  # closed while the attempt ran: keep nothing open
                if self._discard is not None:
                    self._discard(result)
                break
            return result
        return None
