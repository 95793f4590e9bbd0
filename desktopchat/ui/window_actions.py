"""Main-window actions on whole conversations: copy, export, import; one problem box.

A mixin for MainWindow (uses its controller, store, chat_view, history_panel).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktopchat.errors import StorageError
from desktopchat.storage.export import export_json, export_markdown


class WindowFileActions:
    controller: Any
    store: Any
    chat_view: Any
    history_panel: Any
    problem_box: QMessageBox | None

    # -- copy, export, import ---------------------------------------------------------------

    def copy_last_reply(self) -> None:
        QGuiApplication.clipboard().setText(self.chat_view.last_reply_text())

    def copy_conversation(self) -> None:
        cid = self.controller.current_id
        if cid >= 0:
            QGuiApplication.clipboard().setText(export_markdown(self.store, [cid]))
            self.statusBar().showMessage("Conversation copied as Markdown", 3000)

    def export_conversation(self, fmt: str, path: str | None = None) -> None:
        cid = self.controller.current_id
        if cid < 0:
            self.statusBar().showMessage("Nothing to export yet", 3000)
            return
        if path is None:
            name = "conversation.md" if fmt == "md" else "conversation.json"
            path, _ = QFileDialog.getSaveFileName(self, "Export conversation", name)
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
        self.statusBar().showMessage(f"Exported to {path}", 5000)

    def import_file(self) -> None:
        from desktopchat.ui.import_dialog import run_import

        path, _ = QFileDialog.getOpenFileName(self, "Import conversations", "",
                                              "JSON files (*.json);;All files (*)")
        if path and run_import(self, self.store, Path(path)) is not None:
            self.history_panel.refresh()

    def show_problem(self, message: str) -> None:
        """One message box at a time: a burst of failures must not bury the window."""
        if self.problem_box is not None and self.problem_box.isVisible():
            return
        box = QMessageBox(QMessageBox.Icon.Warning, "desktopchat", message,
                          QMessageBox.StandardButton.Ok, self)
        self.problem_box = box
        box.open()

