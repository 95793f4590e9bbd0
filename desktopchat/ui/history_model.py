"""The sidebar's list model: folders first, then conversations grouped by recency, in pages.

Rows are a folder (followed by its chats unless it is collapsed), a group header ("Pinned",
"Today", ...) or a conversation. Folders and their chats are read whole (folders are few and
filed by hand); the chats in no folder are paged. The store already orders conversations
pinned first, then by `updated_at` descending, so each group is one contiguous run and a
header is inserted whenever the group changes. Qt's views call
canFetchMore/fetchMore as the user scrolls, so only the pages that are looked at are read:
10,000 stored conversations cost one page of rows until the user scrolls.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractListModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from desktopchat.errors import StorageError
from desktopchat.storage.models import Conversation, Folder
from desktopchat.storage.timestamps import local_date
from desktopchat.ui import history_drops
from desktopchat.ui.error_text import shown_error
from desktopchat.ui.i18n import translate
from desktopchat.ui.plain_text import tooltip

if TYPE_CHECKING:
    from PySide6.QtCore import QObject

    from desktopchat.storage.store import HistoryStore

PAGE_SIZE = 100


def untitled() -> str:
    """What a chat with no title yet is called in lists."""
    return translate("HistoryModel", "New chat")

UNKNOWN_GROUP = "Unknown date"

# Extra roles the delegate and the panel read.
ConversationIdRole = Qt.ItemDataRole.UserRole + 1
IsHeaderRole = Qt.ItemDataRole.UserRole + 2
PinnedRole = Qt.ItemDataRole.UserRole + 3
ConversationRole = Qt.ItemDataRole.UserRole + 4
FolderRole = Qt.ItemDataRole.UserRole + 5  # the Folder of a folder row
InFolderRole = Qt.ItemDataRole.UserRole + 6  # a chat shown inside a folder (indented)

Row = str | Conversation | Folder  # a str is a group header

_Index = QModelIndex | QPersistentModelIndex


def recency_group(conv: Conversation, now: float) -> str:
    """Which sidebar group a conversation belongs to, by local calendar day."""
    if conv.pinned:
        return translate("HistoryModel", "Pinned")
    today = local_date(now)
    day = local_date(conv.updated_at)
    if today is None or day is None:
        # A stored time that is not a time: never raise while listing (UNKNOWN_GROUP in English).
        return translate("HistoryModel", "Unknown date")
    age = (today - day).days
    if age <= 0:
        return translate("HistoryModel", "Today")
    if age == 1:
        return translate("HistoryModel", "Yesterday")
    if age <= 7:
        return translate("HistoryModel", "Previous 7 days")
    return translate("HistoryModel", "Older")


class HistoryModel(QAbstractListModel):
    """Paged, grouped list of conversations. Pending deletions are hidden but still stored."""

    # A storage failure while paging: the panel shows it instead of raising inside a paint.
    load_failed = Signal(str)
    rename_requested = Signal(int, str)  # inline edit: conversation id, new title
    folder_rename_requested = Signal(int, str)  # inline edit of a folder: id, new name
    # A drop: conversation id, folder id (history_drops.TOP_LEVEL: out of any folder).
    move_requested = Signal(int, int)

    def __init__(
        self,
        store: HistoryStore,
        parent: QObject | None = None,
        *,
        page_size: int = PAGE_SIZE,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._page_size = page_size
        self._clock = clock
        self._convs: list[Conversation] = []  # chats in no folder, paged
        self._folders: list[Folder] = []
        self._filed: dict[int, list[Conversation]] = {}  # chats of each expanded folder
        self._rows: list[Row] = []
        self._offset = 0  # store rows consumed so far (hidden ones included)
        self._exhausted = False
        self._hidden: set[int] = set()

    # ---- Qt model API -------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt idiom
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if isinstance(row, str):
            if role == Qt.ItemDataRole.DisplayRole:
                return row
            if role == IsHeaderRole:
                return True
            return None
        if isinstance(row, Folder):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return row.name
            if role == FolderRole:
                return row
            if role == IsHeaderRole:
                return False
            return None
        if role == InFolderRole:
            return row.folder_id is not None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return row.title or untitled()
        if role == Qt.ItemDataRole.ToolTipRole:  # Qt guesses a tooltip's format: escape
            return tooltip(row.title or untitled())
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
            return Qt.ItemFlag.ItemIsDropEnabled  # the empty space below: the top level
        row = self._rows[index.row()]
        if isinstance(row, str):
            # Headers: visible, not selectable; a chat dropped on one leaves its folder.
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsDropEnabled
        flags = (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsEditable
            | Qt.ItemFlag.ItemIsDropEnabled
        )
        return flags if isinstance(row, Folder) else flags | Qt.ItemFlag.ItemIsDragEnabled

    def setData(self, index: _Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Inline rename: an empty or unchanged title is ignored, so nothing is lost."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row = self._rows[index.row()]
        if not isinstance(value, str):
            return False  # a view clearing an item after a drag: never a title
        if isinstance(row, Folder):
            return self._rename_folder(row, value.strip())
        title = value.strip()
        if isinstance(row, str) or not title or title == row.title:
            return False
        self.rename_requested.emit(row.id, title)  # the owner renames (or reports why not)
        try:
            renamed = self._store.get_conversation(row.id)
        except StorageError as exc:
            self.load_failed.emit(shown_error(exc))
            return False
        if renamed.title != title:
            return False  # not renamed; the owner said why
        self._replace(renamed)
        self.dataChanged.emit(index, index)
        return True

    def setItemData(self, index: _Index, roles: dict[int, object]) -> bool:
        return False  # only inline rename changes an item (setData)

    def _rename_folder(self, folder: Folder, name: str) -> bool:
        if not name or name == folder.name:
            return False
        self.folder_rename_requested.emit(folder.id, name)  # the owner renames or says why
        renamed = next((f for f in self._read_folders() or [] if f.id == folder.id), None)
        if renamed is None or renamed.name == folder.name:
            return False  # not renamed; the owner said why
        self._folders = [renamed if f.id == folder.id else f for f in self._folders]
        row = self.row_of_folder(folder.id)
        if row >= 0:
            self._rows[row] = renamed
            self.dataChanged.emit(self.index(row, 0), self.index(row, 0))
        return True

    # ---- drag and drop ----------------------------------------------------------------------

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [history_drops.MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        ids = [c.id for i in indexes if (c := self.conversation_at(i.row())) is not None]
        return history_drops.encode(list(dict.fromkeys(ids)))

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: _Index
    ) -> bool:
        return bool(history_drops.decode(data))

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: _Index
    ) -> bool:
        """File the dropped chats in the folder under the drop (or at the top level)."""
        ids = history_drops.decode(data)
        if not ids or action not in (Qt.DropAction.MoveAction, Qt.DropAction.CopyAction):
            return False
        at = parent.row() if parent.isValid() else row
        target = history_drops.target_folder(self._rows[at] if 0 <= at < len(self._rows) else None)
        for conversation_id in ids:
            self.move_requested.emit(conversation_id, target)
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
        self._read_filed()
        self._rows = self._grouped(self._convs)
        self.endResetModel()

    def row_of(self, conversation_id: int) -> int:
        for row, item in enumerate(self._rows):
            if isinstance(item, Conversation) and item.id == conversation_id:
                return row
        return -1

    def row_of_folder(self, folder_id: int) -> int:
        for row, item in enumerate(self._rows):
            if isinstance(item, Folder) and item.id == folder_id:
                return row
        return -1

    def conversation_at(self, row: int) -> Conversation | None:
        if 0 <= row < len(self._rows):
            item = self._rows[row]
            return item if isinstance(item, Conversation) else None
        return None

    def folder_at(self, row: int) -> Folder | None:
        if 0 <= row < len(self._rows):
            item = self._rows[row]
            return item if isinstance(item, Folder) else None
        return None

    def folders(self) -> list[Folder]:
        return list(self._folders)

    def conversation_count(self) -> int:
        """Conversations currently listed (loaded and not hidden)."""
        return sum(1 for r in self._rows if isinstance(r, Conversation))

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
        for folder_id, chats in self._filed.items():
            self._filed[folder_id] = [c for c in chats if c.id != conversation_id]
        self._regroup()

    # ---- internals -----------------------------------------------------------------------------

    def _read(self, limit: int, offset: int) -> list[Conversation] | None:
        try:
            return self._store.folders.top_level(limit=limit, offset=offset)
        except StorageError as exc:
            self._exhausted = True
            self.load_failed.emit(shown_error(exc))
            return None

    def _read_folders(self) -> list[Folder] | None:
        try:
            return self._store.folders.in_order()
        except StorageError as exc:
            self.load_failed.emit(shown_error(exc))
            return None

    def _read_filed(self) -> None:
        """The folders, and the chats of those that are open (a collapsed one costs nothing)."""
        self._folders = self._read_folders() or []
        self._filed = {}
        try:
            for folder in self._folders:
                if not folder.collapsed:
                    self._filed[folder.id] = self._store.folders.conversations_in(folder.id)
        except StorageError as exc:
            self.load_failed.emit(shown_error(exc))

    def _replace(self, conv: Conversation) -> None:
        self._convs = [conv if c.id == conv.id else c for c in self._convs]
        self._filed = {
            fid: [conv if c.id == conv.id else c for c in chats]
            for fid, chats in self._filed.items()
        }
        self._rows = [
            conv if isinstance(r, Conversation) and r.id == conv.id else r for r in self._rows
        ]

    def _regroup(self) -> None:
        self.beginResetModel()
        self._rows = self._grouped(self._convs)
        self.endResetModel()

    def _grouped(self, convs: list[Conversation]) -> list[Row]:
        now = self._clock()
        rows: list[Row] = []
        for folder in self._folders:
            rows.append(folder)
            rows += [c for c in self._filed.get(folder.id, []) if c.id not in self._hidden]
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
