"""Main-window actions on whole conversations: copy, export, import.

Owned by MainWindow, which hands it the pieces it works on.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMainWindow

from desktopchat.errors import StorageError
from desktopchat.storage.export import export_json, export_markdown
from desktopchat.storage.store import HistoryStore
from desktopchat.ui.chat_view import ChatView
from desktopchat.ui.controller import ChatController
from desktopchat.ui.history_panel import HistoryPanel


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

    # -- copy, export, import ---------------------------------------------------------------

    def copy_last_reply(self) -> None:
        QGuiApplication.clipboard().setText(self.chat_view.last_reply_text())

    def copy_conversation(self) -> None:
        cid = self.controller.current_id
        if cid >= 0:
            QGuiApplication.clipboard().setText(export_markdown(self.store, [cid]))
            self._window.statusBar().showMessage("Conversation copied as Markdown", 3000)

    def export_conversation(self, fmt: str, path: str | None = None) -> None:
        cid = self.controller.current_id
        if cid < 0:
            self._window.statusBar().showMessage("Nothing to export yet", 3000)
            return
        if path is None:
            name = "conversation.md" if fmt == "md" else "conversation.json"
            path, _ = QFileDialog.getSaveFileName(self._window, "Export conversation", name)
            if not path:
                return
        try:
            if fmt == "md":
                text = export_markdown(self.store, [cid])
            else:
                text = json.dumps(export_json(self.store, [cid]), ensure_ascii=False, indent=2)
            Path(path).write_text(text, encoding="utf-8")
        except (OSError, StorageError) as exc:
            self.show_problem(f"Export failed: {exc}")
            return
        self._window.statusBar().showMessage(f"Exported to {path}", 5000)

    def import_file(self) -> None:
        from desktopchat.ui.import_dialog import run_import

        path, _ = QFileDialog.getOpenFileName(self._window, "Import conversations", "",
                                              "JSON files (*.json);;All files (*)")
        if path and run_import(self._window, self.store, Path(path)) is not None:
            self.history_panel.refresh()
