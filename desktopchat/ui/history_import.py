"""Import conversations from a file: our JSON export or ChatGPT's conversations.json.

The storage importers check the whole file first and write in one transaction, so a bad
file, a failure or Cancel imports nothing. Progress is shown for large files.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from desktopchat.errors import ImportFormatError, StorageError
from desktopchat.ui import plain_text

if TYPE_CHECKING:
    from desktopchat.storage.models import ImportResult
    from desktopchat.storage.store import HistoryStore

OURS = "desktopchat"
CHATGPT = "chatgpt"


class ImportCancelled(Exception):
    """Raised from the progress callback: the store's transaction rolls back."""


def detect_format(path: Path) -> str:
    """Our export is a JSON object, ChatGPT's conversations.json a JSON array."""
    try:
        with Path(path).open("rb") as fh:
            head = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError as exc:
        raise ImportFormatError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    if head.startswith(b"{"):
        return OURS
    if head.startswith(b"["):
        return CHATGPT
    raise ImportFormatError(
        f"{Path(path).name} is neither a desktopchat export nor ChatGPT's conversations.json."
    )


def choose_import_file(parent: QWidget | None) -> Path | None:
    chosen, _ = QFileDialog.getOpenFileName(
        parent, "Import conversations", str(Path.home()),
        "Conversations (*.json);;All files (*)",
    )
    return Path(chosen) if chosen else None


def run_import(parent: QWidget, store: HistoryStore, path: Path) -> ImportResult | None:
    """Import `path` into `store` with a progress dialog; errors go to a message box.

    Returns the ImportResult, or None when the import failed or was cancelled.
    """
    from desktopchat.storage.importers import import_chatgpt, import_json

    dialog = QProgressDialog("Importing conversations…", "Cancel", 0, 0, parent)
    dialog.setWindowTitle("Import")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)  # small files finish before the dialog would appear

    def progress(done: int, total: int) -> None:
        if dialog.maximum() != total:
            dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))  # also lets Qt paint and see Cancel
        if dialog.wasCanceled():
            raise ImportCancelled

    try:
        kind = detect_format(path)
        dialog.setLabelText(
            "Importing ChatGPT conversations…" if kind == CHATGPT else "Importing conversations…"
        )
        if kind == CHATGPT:
            result = import_chatgpt(store, path, progress=progress)
        else:
            result = import_json(store, path, progress=progress)
    except ImportCancelled:
        return None
    except (ImportFormatError, StorageError) as exc:
        dialog.reset()
        plain_text.warning(parent, "Import failed", f"Nothing was imported.\n\n{exc}")
        return None
    finally:
        dialog.reset()
        dialog.deleteLater()
    return result


def summary(result: ImportResult) -> str:
    """One line for a status bar."""
    text = (
        f"Imported {result.conversations_added} conversation"
        f"{'' if result.conversations_added == 1 else 's'} "
        f"({result.messages_added} messages)"
    )
    if result.conversations_skipped:
        text += f"; {result.conversations_skipped} already present"
    return text + "."
