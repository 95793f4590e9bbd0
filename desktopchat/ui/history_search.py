"""Search results for the sidebar: one row per conversation (best hit first, match count).

Snippets are model output, so untrusted: everything is HTML-escaped and only the hit markers
the store puts around each match (HIT_START/HIT_END) become <b>...</b>.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from desktopchat.storage.models import HIT_END, HIT_START
from desktopchat.ui.history_model import ConversationIdRole, untitled
from desktopchat.ui.i18n import translate
from desktopchat.ui.plain_text import tooltip

if TYPE_CHECKING:
    from PySide6.QtCore import QObject

    from desktopchat.storage.models import SearchGroup, SearchHit, SearchResults

MessageIdRole = Qt.ItemDataRole.UserRole + 10
HtmlRole = Qt.ItemDataRole.UserRole + 11
TermsRole = Qt.ItemDataRole.UserRole + 12  # the matched words, to highlight in the message

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


def count_text(group: SearchGroup) -> str:
    n = group.match_count
    if n <= 0:
        return ""
    more = "" if group.count_is_exact else "+"
    if n == 1 and not more:
        return translate("HistorySearch", "1 match")
    return translate("HistorySearch", "{count} matches").format(count=f"{n}{more}")


def hit_html(hit: SearchHit, count: str = "") -> str:
    title = html.escape(hit.conversation_title or untitled())
    if hit.message_id is None and hit.snippet:
        title = snippet_html(hit.snippet)  # the title itself matched: show where
    extra = f" <small>· {html.escape(count)}</small>" if count else ""
    body = snippet_html(hit.snippet)
    if hit.message_id is None or not body:
        return f"<div><b>{title}</b>{extra}</div>"
    who = {"user": translate("HistorySearch", "You"),
           "assistant": translate("HistorySearch", "Assistant")}.get(hit.role or "", "")
    prefix = f"<i>{html.escape(who)}:</i> " if who else ""
    return f"<div><b>{title}</b>{extra}</div><div>{prefix}{body}</div>"


def best_hit(group: SearchGroup) -> SearchHit:
    """The hit a row opens: the best message hit, else the title hit."""
    for hit in group.hits:
        if hit.message_id is not None:
            return hit
    return group.hits[0]


class SearchResultsModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups: list[SearchGroup] = []
        self._hits: list[SearchHit] = []
        self.exact = True

    def set_results(self, results: SearchResults | None, hide: int | None = None) -> None:
        """Show these conversations (without `hide`, one pending deletion); None clears."""
        self.beginResetModel()
        groups = [] if results is None else list(results.groups)
        self._groups = [g for g in groups if g.hits and g.conversation_id != hide]
        self._hits = [best_hit(g) for g in self._groups]
        self.exact = True if results is None else results.exact
        self.endResetModel()

    def groups(self) -> list[SearchGroup]:
        return list(self._groups)

    def hits(self) -> list[SearchHit]:
        """The hit each row opens, in row order."""
        return list(self._hits)

    def terms_for(self, message_id: int) -> list[str]:
        """The matched words of the hit in this message, to highlight once it is opened."""
        for hit in self._hits:
            if hit.message_id == message_id and message_id >= 0:
                return list(hit.terms)
        return []

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt idiom
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._hits):
            return None
        hit = self._hits[index.row()]
        group = self._groups[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.conversation_title or untitled()
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(plain_snippet(hit.snippet) or hit.conversation_title)
        if role == HtmlRole:
            return hit_html(hit, count_text(group))
        if role == TermsRole:
            return list(hit.terms)
        if role == ConversationIdRole:
            return hit.conversation_id
        if role == MessageIdRole:
            return -1 if hit.message_id is None else hit.message_id
        return None
