"""Export conversations to a file the user picks (Markdown or our versioned JSON).

The one export path of the UI: the window's File menu and the sidebar's context menu both come
here, and the file is written by storage's `write_export` (atomically). The save dialog
suggests the chat's title, made safe as a file name, in the user's documents folder.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from desktopchat.errors import StorageError
from desktopchat.storage.export import ExportFormat, write_export
from desktopchat.ui import plain_text
from desktopchat.ui.error_text import shown_error
from desktopchat.ui.i18n import translate

if TYPE_CHECKING:
    from desktopchat.storage.store import HistoryStore

__all__ = ["ExportFormat", "export_conversations", "suggested_name", "suggested_path"]
# Names Windows refuses whatever the extension; a chat called "con" must still export there.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
             *(f"lpt{i}" for i in range(1, 10))}
NAME_LENGTH = 60


def _caption(fmt: ExportFormat) -> str:
    if fmt is ExportFormat.MARKDOWN:
        return translate("HistoryExport", "Export as Markdown")
    return translate("HistoryExport", "Export as JSON")


def _filter(fmt: ExportFormat) -> str:
    """The save dialog's file type; the pattern in brackets is what Qt filters by."""
    if fmt is ExportFormat.MARKDOWN:
        return translate("HistoryExport", "Markdown files (*.md)")
    return translate("HistoryExport", "JSON files (*.json)")


def suggested_name(title: str, fmt: ExportFormat) -> str:
    """A file name from a title, with characters that are unsafe on some systems removed."""
    stem = re.sub(r"[^\w\- ]+", "", title, flags=re.UNICODE)
    stem = " ".join(stem.split())[:NAME_LENGTH].strip()
    if not stem or stem.lower() in _RESERVED:
        stem = (stem + " " + translate("HistoryExport", "conversation")).strip()
    return stem + ExportFormat(fmt).suffix


def documents_folder() -> Path:
    """Where a save dialog starts: the user's documents folder (home when there is none)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def suggested_path(title: str, fmt: ExportFormat) -> Path:
    return documents_folder() / suggested_name(title, fmt)


def export_conversations(
    parent: QWidget | None,
    store: HistoryStore,
    ids: list[int] | None,
    fmt: ExportFormat,
    *,
    title: str | None = None,
    path: Path | None = None,
) -> Path | None:
    """Ask for a file (unless `path` is given), write the export; errors go to a message box.

    `ids` None exports every conversation. Returns the written path, or None when cancelled
    or failed.
    """
    fmt = ExportFormat(fmt)
    if title is None:
        title = translate("HistoryExport", "conversations")
    if path is None:
        chosen, _ = QFileDialog.getSaveFileName(
            parent, _caption(fmt), str(suggested_path(title, fmt)), _filter(fmt)
        )
        if not chosen:
            return None
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(fmt.suffix)
    try:
        write_export(store, ids, fmt, path)
    except (OSError, StorageError) as exc:
        plain_text.warning(parent, translate("HistoryExport", "Export failed"),
                           translate("HistoryExport", "Could not write {path}:\n{problem}")
                           .format(path=path, problem=shown_error(exc)))
        return None
    return path
