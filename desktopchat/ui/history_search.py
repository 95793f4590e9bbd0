"""Search results for the sidebar: the store's full-text hits as a list model.

Snippets are model output, so untrusted: everything is HTML-escaped and only the hit markers
the store puts around each match (HIT_START/HIT_END) become <b>...</b>.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from desktopchat.storage.models import HIT_END, HIT_START
from desktopchat.ui.history_model import UNTITLED, ConversationIdRole

if TYPE_CHECKING:
    from desktopchat.storage.models import SearchHit

MessageIdRole = Qt.ItemDataRole.UserRole + 10
HtmlRole = Qt.ItemDataRole.UserRole + 11

_Index = QModelIndex | QPersistentModelIndex


def snippet_html(snippet: str) -> str:
    """Escape a snippet and turn its hit markers into bold; stray markers are dropped."""
    out: list[str] = []
    bold = False
    text: list[str] = []
    for ch in snippet:
        if ch in (HIT_START, HIT_END):
            out.append(html.escape("".join(text)))
            text = []
            want = ch == HIT_START
            if want != bold:
                out.append("<b>" if want else "</b>")
                bold = want
            continue
        text.append(ch)
    out.append(html.escape("".join(text)))
    if bold:
        out.append("</b>")
    # Newlines in a snippet would make rows of uneven height; one line reads better.
    return " ".join("".join(out).split())


def plain_snippet(snippet: str) -> str:
    return " ".join(snippet.replace(HIT_START, "").replace(HIT_END, "").split())


def hit_html(hit: SearchHit) -> str:
    title = html.escape(hit.conversation_title or UNTITLED)
    body = snippet_html(hit.snippet)
    if hit.message_id is None or not body:
        return f"<div><b>{title}</b></div>"
    who = "You" if hit.role == "user" else "Assistant" if hit.role == "assistant" else ""
    prefix = f"<i>{html.escape(who)}:</i> " if who else ""
    return f"<div><b>{title}</b></div><div>{prefix}{body}</div>"


class SearchResultsModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hits(self) -> list[SearchHit]:
        return list(self._hits)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt idiom
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.conversation_title or UNTITLED
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_snippet(hit.snippet) or hit.conversation_title
        if role == HtmlRole:
            return hit_html(hit)
        if role == ConversationIdRole:
            return hit.conversation_id
        if role == MessageIdRole:
            return -1 if hit.message_id is None else hit.message_id
        return None
