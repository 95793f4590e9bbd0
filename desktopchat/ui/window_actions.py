"""Main-window actions on whole conversations: copy, export, import.

Owned by MainWindow, which hands it the pieces it works on. Export goes through
history_export (the one atomic export path); import runs in the background (history_import).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow

from desktopchat.errors import StorageError
from desktopchat.storage.export import ExportFormat, export_markdown
from desktopchat.storage.store import HistoryStore
from desktopchat.ui.chat_view import ChatView
from desktopchat.ui.controller import ChatController
from desktopchat.ui.history_export import export_conversations
from desktopchat.ui.history_import import ImportJob, choose_and_import
from desktopchat.ui.history_panel import HistoryPanel
from desktopchat.ui.i18n import translate

STOP_IMPORT_WAIT_S = 60.0  # undoing a big import deletes what it added: allow for that


class WindowFileActions:
    def __init__(self, window: QMainWindow, controller: ChatController, store: HistoryStore,
                 chat_view: ChatView, history_panel: HistoryPanel, *,
                 show_problem: Callable[[str], None]) -> None:
        self._window = window
        self.controller = controller
        self.store = store
        self.chat_view = chat_view
        self.history_panel = history_panel
        self.show_problem = show_problem
        self.import_job: ImportJob | None = None  # the latest import, for tests and Quit

    # -- copy, export, import ---------------------------------------------------------------

    def copy_last_reply(self) -> None:
        QGuiApplication.clipboard().setText(self.chat_view.last_reply_text())

    def copy_conversation(self) -> None:
        cid = self.controller.current_id
        if cid >= 0:
            QGuiApplication.clipboard().setText(export_markdown(self.store, [cid]))
            self._window.statusBar().showMessage(translate("WindowFileActions",
                                                           "Conversation copied as Markdown"), 3000)

    def export_conversation(self, fmt: ExportFormat, path: str | None = None) -> None:
        cid = self.controller.current_id
        if cid < 0:
            self._window.statusBar().showMessage(translate("WindowFileActions",
                                                           "Nothing to export yet"), 3000)
            return
        try:
            title = self.store.get_conversation(cid).title
        except StorageError as exc:
            self.show_problem(translate("WindowFileActions", "Export failed: {problem}")
                              .format(problem=exc))
            return
        written = export_conversations(self._window, self.store, [cid], fmt, title=title,
                                       path=Path(path) if path else None)
        if written is not None:
            self._window.statusBar().showMessage(
                translate("WindowFileActions", "Exported to {path}").format(path=written), 5000)

    def import_file(self) -> None:
        job = choose_and_import(self._window, self.store, self._imported)
        if job is not None:
            self.import_job = job

    def stop_import(self) -> None:
        """Quitting cancels a running import; wait for it, so what it added is removed first."""
        job = self.import_job
        if job is not None and job.is_running():
            job.cancel()
            job.wait(STOP_IMPORT_WAIT_S)

    def _imported(self, _result: object) -> None:
        self.history_panel.refresh()
