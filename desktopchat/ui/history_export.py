"""Export conversations to a file the user picks (Markdown or our versioned JSON)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from PySide6.QtWidgets import QFileDialog, QWidget

from desktopchat.errors import StorageError
from desktopchat.ui import plain_text

if TYPE_CHECKING:
    from desktopchat.storage.store import HistoryStore

ExportFormat = Literal["markdown", "json"]
_FILTERS = {"markdown": "Markdown (*.md)", "json": "JSON (*.json)"}
_SUFFIX = {"markdown": ".md", "json": ".json"}


def suggested_name(title: str, fmt: ExportFormat) -> str:
    """A file name from a title, with characters that are unsafe on some systems removed."""
    stem = re.sub(r"[^\w\- ]+", "", title, flags=re.UNICODE).strip()[:60] or "conversation"
    return stem + _SUFFIX[fmt]


def render_export(store: HistoryStore, ids: list[int] | None, fmt: ExportFormat) -> str:
    from desktopchat.storage.export import export_json, export_markdown

    if fmt == "markdown":
        return export_markdown(store, ids)
    return json.dumps(export_json(store, ids), ensure_ascii=False, indent=2) + "\n"


def export_conversations(
    parent: QWidget | None,
    store: HistoryStore,
    ids: list[int] | None,
    fmt: ExportFormat,
    *,
    title: str = "conversations",
    path: Path | None = None,
) -> Path | None:
    """Ask for a file (unless `path` is given), write the export; errors go to a message box.

    `ids` None exports every conversation. Returns the written path, or None when cancelled
    or failed.
    """
    if path is None:
        chosen, _ = QFileDialog.getSaveFileName(
            parent,
            "Export as Markdown" if fmt == "markdown" else "Export as JSON",
            str(Path.home() / suggested_name(title, fmt)),
            _FILTERS[fmt],
        )
        if not chosen:
            return None
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(_SUFFIX[fmt])
    try:
        text = render_export(store, ids, fmt)
        # Write next to the target, then replace: a failed export never leaves half a file.
        tmp = path.with_name(path.name + ".part")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except (OSError, StorageError) as exc:
        plain_text.warning(parent, "Export failed", f"Could not write {path}:\n{exc}")
        return None
    return path
