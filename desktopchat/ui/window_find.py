"""Find in conversation, wired into the main window: the bar above the composer, the
session that counts matches over the whole chat, and going to a match, loading older
pages into the transcript one page per event-loop turn when the match is on one of them
(so no single step holds the UI thread for the whole way back)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QBoxLayout

from desktopchat.storage.models import Message
from desktopchat.ui.find_bar import FindBar
from desktopchat.ui.find_session import FindSession, Match

if TYPE_CHECKING:
    from desktopchat.ui.main_window import MainWindow


class WindowFind:
    def __init__(self, window: MainWindow) -> None:
        self._window = window
        view = self._view = window.chat_view
        self.bar = FindBar(window.center)
        self.bar.hide()
        column = window.center.layout()
        assert isinstance(column, QBoxLayout)  # the chat column (MainWindow builds it)
        column.insertWidget(column.indexOf(view) + 1, self.bar)  # above the composer
        self.session = FindSession(window, rows=lambda: view.rows.items,
                                   has_older=lambda: view.has_older,
                                   older_page=self._older_page, top_row=self._top_row)
        self.bar.query_changed.connect(self._search)
        self.bar.next_requested.connect(lambda: self.session.step(1))
        self.bar.previous_requested.connect(lambda: self.session.step(-1))
        self.bar.close_requested.connect(self.close)
        self.session.changed.connect(self._show_count)
        self.session.current_changed.connect(self.go_to)
        view.messages_reset.connect(self._conversation_shown)
        self._pending: Match | None = None  # a match on a page not loaded yet
        self._pager = QTimer(window)
        self._pager.setSingleShot(True)
        self._pager.setInterval(0)
        self._pager.timeout.connect(self._load_step)

    def open(self) -> None:
        """Ctrl+F: show the bar with its text selected (typing replaces it)."""
        self.bar.show()
        self.bar.field.setFocus()
        self.bar.field.selectAll()
        if self.bar.field.text() and not self.session.needle:
            self._search(self.bar.field.text())

    def close(self) -> None:
        self.bar.hide()
        self._pending = None
        self.session.stop()
        self._view.find_marks.set_query("")
        self._window.composer.editor.setFocus()

    def _search(self, text: str) -> None:
        self._pending = None
        self._view.find_marks.set_query(text)
        self.session.start(text)

    def _conversation_shown(self) -> None:
        self.session.forget_older()
        if self.bar.isVisible() and self.bar.field.text():
            self._search(self.bar.field.text())

    def _show_count(self) -> None:
        s = self.session
        self.bar.show_count(s.current, s.total, searching=s.scanning, query=s.needle)

    def _older_page(self, before_id: int) -> tuple[Sequence[Message], bool]:
        controller = self._window.controller
        if controller.current_id < 0:
            return [], False
        return controller.older_messages(controller.current_id, before_id)

    def _top_row(self) -> int:
        view = self._view
        return view.rows.row_at(view.verticalScrollBar().value() + view.rows.spacing)

    def go_to(self, match: Match) -> None:
        if self._view.item(match.message_id) is not None:
            self._pending = None
            self._view.find_marks.show(match)
        elif self._view.has_older:
            self._pending = match
            self._pager.start()

    def _load_step(self) -> None:
        """One older page into the transcript, then look again at the next turn."""
        match = self._pending
        if match is None or not self._view.has_older:
            self._pending = None
            return
        self._window._load_older()
        if self._view.item(match.message_id) is not None:
            self.go_to(match)
        else:
            self._pager.start()
