"""The sidebar's list model: conversations grouped by recency, fetched from storage in pages.

Rows are either a group header ("Pinned", "Today", ...) or a conversation. The store already
orders conversations pinned first, then by `updated_at` descending, so each group is one
contiguous run and a header is inserted whenever the group changes. Qt's views call
canFetchMore/fetchMore as the user scrolls, so only the pages that are looked at are read:
10,000 stored conversations cost one page of rows until the user scrolls.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from desktopchat.errors import StorageError
from desktopchat.storage.timestamps import local_date

if TYPE_CHECKING:
    from desktopchat.storage.models import Conversation
    from desktopchat.storage.store import HistoryStore

PAGE_SIZE = 100
UNTITLED = "New chat"
UNKNOWN_GROUP = "Unknown date"

# Extra roles the delegate and the panel read.
ConversationIdRole = Qt.ItemDataRole.UserRole + 1
IsHeaderRole = Qt.ItemDataRole.UserRole + 2
PinnedRole = Qt.ItemDataRole.UserRole + 3
ConversationRole = Qt.ItemDataRole.UserRole + 4

_Index = QModelIndex | QPersistentModelIndex


def recency_group(conv: Conversation, now: float) -> str:
    """Which sidebar group a conversation belongs to, by local calendar day."""
    if conv.pinned:
        return "Pinned"
    today = local_date(now)
    day = local_date(conv.updated_at)
    if today is None or day is None:
        return UNKNOWN_GROUP  # a stored time that is not a time: never raise while listing
    age = (today - day).days
    if age <= 0:
        return "Today"
    if age == 1:
        return "Yesterday"
    if age <= 7:
        return "Previous 7 days"
    return "Older"


class HistoryModel(QAbstractListModel):
    """Paged, grouped list of conversations. Pending deletions are hidden but still stored."""

    # A storage failure while paging: the panel shows it instead of raising inside a paint.
    load_failed = Signal(str)
    rename_requested = Signal(int, str)  # inline edit: conversation id, new title

    def __init__(
        self,
        store: HistoryStore,
        parent: Any = None,
        *,
        page_size: int = PAGE_SIZE,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._page_size = page_size
        self._clock = clock
        self._convs: list[Conversation] = []
        self._rows: list[str | Conversation] = []  # a str is a group header
        self._offset = 0  # store rows consumed so far (hidden ones included)
        self._exhausted = False
        self._hidden: set[int] = set()

    # ---- Qt model API -------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt idiom
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if isinstance(row, str):
            if role == Qt.ItemDataRole.DisplayRole:
                return row
            if role == IsHeaderRole:
                return True
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return row.title or UNTITLED
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.title or UNTITLED
        if role == ConversationIdRole:
            return row.id
        if role == IsHeaderRole:
            return False
        if role == PinnedRole:
            return row.pinned
        if role == ConversationRole:
            return row
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if isinstance(self._rows[index.row()], str):
            return Qt.ItemFlag.ItemIsEnabled  # headers: visible, not selectable
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsEditable
        )

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Inline rename: an empty or unchanged title is ignored, so nothing is lost."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row = self._rows[index.row()]
        title = str(value).strip()
        if isinstance(row, str) or not title or title == row.title:
            return False
        self.rename_requested.emit(row.id, title)  # the owner renames (or reports why not)
        try:
            renamed = self._store.get_conversation(row.id)
        except StorageError as exc:
            self.load_failed.emit(str(exc))
            return False
        if renamed.title != title:
            return False  # not renamed; the owner said why
        self._replace(renamed)
        self.dataChanged.emit(index, index)
        return True

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted:
            return
        page = self._read(self._page_size, self._offset)
        if page is None:
            return
        self._offset += len(page)
        if len(page) < self._page_size:
            self._exhausted = True
        known = {c.id for c in self._convs}
        fresh = [c for c in page if c.id not in known]
        if not fresh:
            return
        new_rows = self._grouped(self._convs + fresh)
        first = len(self._rows)
        if new_rows[:first] != self._rows:
            # The day changed since the last page (groups moved): redo the whole list.
            self.beginResetModel()
            self._convs.extend(fresh)
            self._rows = new_rows
            self.endResetModel()
            return
        # Paging only appends: the rows already shown keep their places.
        self.beginInsertRows(QModelIndex(), first, len(new_rows) - 1)
        self._convs.extend(fresh)
        self._rows = new_rows
        self.endInsertRows()

    # ---- panel API --------------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read everything loaded so far (at least one page) in the store's current order."""
        want = max(self._page_size, self._offset)
        page = self._read(want, 0)
        self.beginResetModel()
        if page is None:
            page = []
        self._convs = []
        seen: set[int] = set()
        for conv in page:
            if conv.id not in seen:
                seen.add(conv.id)
                self._convs.append(conv)
        self._offset = len(page)
        self._exhausted = len(page) < want
        self._rows = self._grouped(self._convs)
        self.endResetModel()

    def row_of(self, conversation_id: int) -> int:
        for row, item in enumerate(self._rows):
            if not isinstance(item, str) and item.id == conversation_id:
                return row
        return -1

    def conversation_at(self, row: int) -> Conversation | None:
        if 0 <= row < len(self._rows):
            item = self._rows[row]
            return None if isinstance(item, str) else item
        return None

    def conversation_count(self) -> int:
        """Conversations currently listed (loaded and not hidden)."""
        return sum(1 for r in self._rows if not isinstance(r, str))

    def hide(self, conversation_id: int) -> None:
        """Take a conversation out of the list without touching storage (pending delete)."""
        self._hidden.add(conversation_id)
        self._regroup()

    def unhide(self, conversation_id: int) -> None:
        self._hidden.discard(conversation_id)
        self._regroup()

    def forget(self, conversation_id: int) -> None:
        """The conversation is gone from storage: drop it and keep paging offsets honest."""
        self._hidden.discard(conversation_id)
        before = len(self._convs)
        self._convs = [c for c in self._convs if c.id != conversation_id]
        if len(self._convs) < before:
            self._offset = max(0, self._offset - 1)
        self._regroup()

    # ---- internals -----------------------------------------------------------------------------

    def _read(self, limit: int, offset: int) -> list[Conversation] | None:
        try:
            return self._store.list_conversations(limit=limit, offset=offset)
        except StorageError as exc:
            self._exhausted = True
            self.load_failed.emit(str(exc))
            return None

    def _replace(self, conv: Conversation) -> None:
        self._convs = [conv if c.id == conv.id else c for c in self._convs]
        self._rows = [
            conv if not isinstance(r, str) and r.id == conv.id else r for r in self._rows
        ]

    def _regroup(self) -> None:
        self.beginResetModel()
        self._rows = self._grouped(self._convs)
        self.endResetModel()

    def _grouped(self, convs: list[Conversation]) -> list[str | Conversation]:
        now = self._clock()
        rows: list[str | Conversation] = []
        group = ""
        for conv in convs:
            if conv.id in self._hidden:
                continue
            name = recency_group(conv, now)
            if name != group:
                rows.append(name)
                group = name
            rows.append(conv)
        return rows
