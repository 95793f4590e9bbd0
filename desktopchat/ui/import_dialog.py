"""Import conversations from a file (our JSON export or ChatGPT's conversations.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from desktopchat.errors import ImportFormatError, StorageError

if TYPE_CHECKING:
    from desktopchat.storage.models import ImportResult
    from desktopchat.storage.store import HistoryStore


def run_import(parent: QWidget, store: HistoryStore, path: Path) -> ImportResult | None:
    """Import `path` into `store`; show errors in a message box and return None on failure."""
    from desktopchat.storage import importers

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if isinstance(data, list):
            result = importers.import_chatgpt(store, path)
        else:
            result = importers.import_json(store, data)
    except (OSError, ValueError, ImportFormatError, StorageError) as exc:
        QMessageBox.warning(parent, "Import failed", f"Could not import {path}:\n{exc}")
        return None
    return result
