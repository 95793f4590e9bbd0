"""The history sidebar: New chat, search, and the list of past conversations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from desktopchat.storage.store import HistoryStore


class HistoryPanel(QWidget):
    """Minimal first version: a plain list; grouping, paging and search come next."""

    conversation_selected = Signal(int, int)
    new_chat_requested = Signal()

    def __init__(self, store: HistoryStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._new_chat = QPushButton("New chat", self)
        self._new_chat.clicked.connect(self.new_chat_requested)
        self._search = QLineEdit(self)
        self._search.setPlaceholderText("Search (Ctrl+K)")
        self._list = QListWidget(self)
        self._list.itemActivated.connect(self._open_item)
        self._list.itemClicked.connect(self._open_item)
        layout = QVBoxLayout(self)
        layout.addWidget(self._new_chat)
        layout.addWidget(self._search)
        layout.addWidget(self._list)
        self.refresh()

    def refresh(self) -> None:
        self._list.clear()
        for conv in self._store.list_conversations(limit=200, offset=0):
            item = QListWidgetItem(conv.title or "New chat")
            item.setData(Qt.ItemDataRole.UserRole, conv.id)
            self._list.addItem(item)

    def focus_search(self) -> None:
        self._search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._search.selectAll()

    def select_conversation(self, conversation_id: int) -> None:
        for row in range(self._list.count()):
            item = self._list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == conversation_id:
                self._list.setCurrentItem(item)
                return

    def conversation_changed(self, conversation_id: int) -> None:
        self.refresh()
        self.select_conversation(conversation_id)

    def _open_item(self, item: QListWidgetItem) -> None:
        self.conversation_selected.emit(int(item.data(Qt.ItemDataRole.UserRole)), -1)
