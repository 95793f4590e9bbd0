"""The history sidebar: New chat, search (Ctrl+K), and every past conversation by recency.

Nothing here touches the network: it reads the local HistoryStore only, so the sidebar
works the same offline and without a key. Renames, pins and deletions are requests
(signals) to the one owner of conversation changes (conversation_changes.py), which
answers with `deletion_done` or `change_failed`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListView,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktopchat.errors import StorageError
from desktopchat.storage.models import Folder
from desktopchat.ui.history_delegate import HistoryDelegate
from desktopchat.ui.history_export import ExportFormat, export_conversations
from desktopchat.ui.history_folders import FolderActions
from desktopchat.ui.history_model import ConversationIdRole, FolderRole, HistoryModel, untitled
from desktopchat.ui.history_search import MessageIdRole
from desktopchat.ui.history_search_box import OPEN_KEYS, HistorySearchBox
from desktopchat.ui.history_undo import UNDO_SECONDS, UndoBar
from desktopchat.ui.i18n import translate
from desktopchat.ui.plain_text import new_label
from desktopchat.ui.right_click_guard import RightClickGuard

if TYPE_CHECKING:
    from desktopchat.storage.store import HistoryStore



class HistoryPanel(QWidget):
    """Sidebar listing conversations; emits conversation_selected(id, message id or -1)."""

    conversation_selected = Signal(int, int)
    new_chat_requested = Signal()
    rename_requested = Signal(int, str)  # conversation id, new title
    pin_requested = Signal(int, bool)
    delete_requested = Signal(int)  # the undo period is over: delete it for real
    # Emitted once a deletion is final (the owner deleted it), so the window can close it.
    conversation_deleted = Signal(int)
    # A deletion was offered for undo (the chat is hidden) / undone: the window closes the
    # chat at once rather than when the undo time runs out, and reopens it on Undo.
    conversation_hidden = Signal(int)
    conversation_restored = Signal(int)

    def __init__(
        self,
        store: HistoryStore,
        parent: QWidget | None = None,
        *,
        undo_seconds: float = UNDO_SECONDS,
        page_size: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("historyPanel")
        self._store = store
        self._current_id = -1

        self._new_chat = QPushButton(translate("HistoryPanel", "New chat"), self)
        self._new_chat.setObjectName("newChatButton")
        self._new_chat.setToolTip(translate("HistoryPanel", "Start a new conversation (Ctrl+N)"))
        self._new_chat.clicked.connect(self.new_chat_requested)
        # An icon beside New chat (window_icons sets it): with its words too, the two buttons
        # alone kept the sidebar wider than people drag it.
        self._new_folder = QPushButton(self)
        self._new_folder.setObjectName("newFolderButton")
        self._new_folder.setAccessibleName(translate("HistoryPanel", "New folder"))
        self._new_folder.setToolTip(
            translate("HistoryPanel", "New folder: drag chats onto it to file them")
        )

        self.search_box = HistorySearchBox(
            self,
            store,
            open_index=self._open_index,
            current_id=lambda: self._current_id,
            pending_delete=lambda: self.undo_bar.pending,
        )
        self._search = self.search_box.edit
        self.searcher = self.search_box.searcher
        self.filters = self.search_box.filters
        self.results = self.search_box.results
        self.results_view = self.search_box.results_view
        self.results_view.installEventFilter(self)
        self.no_matches = self.search_box.no_matches
        self._stack = self.search_box.stack

        if page_size is None:
            self.model = HistoryModel(store, self)
        else:
            self.model = HistoryModel(store, self, page_size=page_size)
        self.model.load_failed.connect(self._show_problem)
        self.model.rename_requested.connect(self.rename_requested)
        self.list_view = QListView(self)
        self.list_view.setObjectName("historyList")
        self.list_view.setModel(self.model)
        self.list_view.setItemDelegate(HistoryDelegate(self.list_view))
        # Headers and rows share one height, so Qt lays out 10,000 rows without measuring each.
        self.list_view.setUniformItemSizes(True)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.list_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list_view.customContextMenuRequested.connect(self._context_menu)
        self.list_view.clicked.connect(self._open_index)
        self.list_view.installEventFilter(self)
        self._right_click_guard = RightClickGuard(self.list_view)
        # Chats are dragged onto a folder (or out of it); a drop lands on a row, never between
        # rows: the row decides the folder (history_drops).
        self.list_view.setDragEnabled(True)
        self.list_view.setAcceptDrops(True)
        self.list_view.setDropIndicatorShown(True)
        self.list_view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.list_view.setDragDropOverwriteMode(True)
        self.list_view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.search_box.show_list(self.list_view)

        self.problem = new_label(self)
        self.problem.setObjectName("historyProblem")
        self.problem.setWordWrap(True)
        self.problem.hide()

        self.undo_bar = UndoBar(self, seconds=undo_seconds)
        self.undo_bar.undo_clicked.connect(self._undo_delete)
        self.undo_bar.expired.connect(self._finish_delete)
        self.folders = FolderActions(
            store, self.model, self.list_view, self.undo_bar,
            relist=self._relist, show_problem=self._show_problem,
        )
        self._new_folder.clicked.connect(self.folders.new_folder)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        buttons.addWidget(self._new_chat, 1)
        buttons.addWidget(self._new_folder)
        layout.addLayout(buttons)
        layout.addWidget(self._search)
        layout.addWidget(self.filters)
        layout.addWidget(self.problem)
        layout.addWidget(self._stack, 1)
        layout.addWidget(self.undo_bar)
        self._seen_version = self._data_version()
        self.refresh()

    # ---- public API ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the list from storage (after an import, for instance)."""
        self.problem.hide()
        self.model.reload()
        self._reselect()
        self.search_box.rerun_now()

    def event(self, event: QEvent) -> bool:
        # Qt hands WindowActivate down to visible children: the window regained focus.
        if event.type() == QEvent.Type.WindowActivate:
            self._reload_if_written_elsewhere()
        return super().event(event)

    def _data_version(self) -> int | None:
        try:
            return self._store.data_version()
        except StorageError:
            return None

    def _reload_if_written_elsewhere(self) -> None:
        """Another process (`desktopchat ask`, say) wrote to the history: list its changes."""
        version = self._data_version()
        if version is not None and version != self._seen_version:
            self._seen_version = version
            self.conversation_changed(self._current_id)

    def focus_search(self) -> None:
        self._search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._search.selectAll()

    def select_conversation(self, conversation_id: int) -> None:
        """Mark a conversation as the open one (no signal: the caller already opened it)."""
        self._current_id = conversation_id
        self._reselect()

    def conversation_changed(self, conversation_id: int) -> None:
        """A conversation was created or updated elsewhere: list it in its new place."""
        self._relist()
        self.search_box.rerun_soon()

    def _relist(self) -> None:
        """Read the list again where it is scrolled to, the open chat still marked."""
        scroll = self.list_view.verticalScrollBar().value()
        self.model.reload()
        self._reselect(scroll_to=False)
        self.list_view.verticalScrollBar().setValue(scroll)

    def commit_pending_deletes(self) -> None:
        """Make a deletion waiting for Undo final now (call when the window closes)."""
        self.undo_bar.commit()

    def search_text(self) -> str:
        return self._search.text()

    def set_search_text(self, text: str) -> None:
        self._search.setText(text)

    # ---- search ----------------------------------------------------------------------------

    def search_busy(self) -> bool:
        """True while a typed query waits for its debounce or its (final) results."""
        return self.search_box.busy()

    def _run_search(self) -> None:
        self.search_box.run()

    def _searching(self) -> bool:
        return self.search_box.searching()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        if watched in (self.list_view, self.results_view):
            key = event.key()
            if key in OPEN_KEYS and self.list_view.state() != QAbstractItemView.State.EditingState:
                self._open_index(watched.currentIndex())
                return True
            if key == Qt.Key.Key_Escape and self._search.text():
                self._search.clear()
                self._search.setFocus()
                return True
        return super().eventFilter(watched, event)

    # ---- opening and selection ---------------------------------------------------------------

    def _open_index(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        folder = index.data(FolderRole)
        if isinstance(folder, Folder) and index.model() is self.model:
            self.folders.toggle(folder.id)  # a folder opens and closes; it has no chat
            return
        conv_id = index.data(ConversationIdRole)
        if conv_id is None:
            return  # a group header
        message_id = index.data(MessageIdRole)
        self._current_id = int(conv_id)
        self.conversation_selected.emit(int(conv_id), -1 if message_id is None else message_id)

    def _reselect(self, *, scroll_to: bool = True) -> None:
        row = self.model.row_of(self._current_id)
        if row < 0:
            # No open chat listed (a new chat): nothing stays highlighted.
            self.list_view.setCurrentIndex(QModelIndex())
            self.list_view.clearSelection()
            return
        index = self.model.index(row, 0)
        self.list_view.setCurrentIndex(index)
        if scroll_to:
            self.list_view.scrollTo(index)

    def _show_problem(self, message: str) -> None:
        self.problem.setText(
            translate("HistoryPanel", "History problem: {problem}").format(problem=message))
        self.problem.show()

    # ---- context menu ---------------------------------------------------------------------------

    def _context_menu(self, pos: QPoint) -> None:
        index = self.list_view.indexAt(pos)
        if not index.isValid() or not (
            self.model.conversation_at(index.row()) or self.model.folder_at(index.row())
        ):
            return
        menu = self.build_context_menu(index)
        menu.exec(self.list_view.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def build_context_menu(self, index: QModelIndex) -> QMenu:
        """The menu of a conversation or a folder (separate so tests can trigger its actions
        directly)."""
        folder = self.model.folder_at(index.row())
        if folder is not None:
            return self.folders.folder_menu(folder, self)
        conv = self.model.conversation_at(index.row())
        assert conv is not None
        menu = QMenu(self)
        menu.addAction(translate("HistoryPanel", "Rename"), lambda: self.list_view.edit(index))
        menu.addAction(translate("HistoryPanel", "Unpin") if conv.pinned
                       else translate("HistoryPanel", "Pin to top"),
                       lambda: self.set_pinned(conv.id, not conv.pinned))
        self.folders.add_move_menu(menu, conv)
        menu.addSeparator()
        menu.addAction(translate("HistoryPanel", "Export as Markdown…"),
                       lambda: self.export(conv.id, ExportFormat.MARKDOWN))
        menu.addAction(translate("HistoryPanel", "Export as JSON…"),
                       lambda: self.export(conv.id, ExportFormat.JSON))
        menu.addSeparator()
        menu.addAction(translate("HistoryPanel", "Delete"), lambda: self.delete(conv.id))
        return menu

    def set_pinned(self, conversation_id: int, pinned: bool) -> None:
        self.pin_requested.emit(conversation_id, pinned)
        self.model.reload()
        self._reselect()

    def rename(self, conversation_id: int) -> None:
        """Start inline editing of a conversation's title."""
        row = self.model.row_of(conversation_id)
        if row >= 0:
            index = self.model.index(row, 0)
            self.list_view.scrollTo(index)
            self.list_view.edit(index)

    def export(self, conversation_id: int, fmt: ExportFormat) -> None:
        conv = self.model.conversation_at(self.model.row_of(conversation_id))
        title = conv.title if conv is not None and conv.title else ""  # export names it
        export_conversations(self, self._store, [conversation_id], fmt, title=title)

    def delete(self, conversation_id: int) -> None:
        """Hide now; delete for real when the Undo bar expires (or the next delete comes)."""
        conv = self.model.conversation_at(self.model.row_of(conversation_id))
        title = (conv.title if conv is not None else "") or untitled()
        self.model.hide(conversation_id)
        if self._searching():
            self._run_search()
        self.undo_bar.offer(conversation_id, title)
        self._reselect(scroll_to=False)
        self.conversation_hidden.emit(conversation_id)

    def _undo_delete(self, conversation_id: int) -> None:
        self.model.unhide(conversation_id)
        self._reselect(scroll_to=False)
        if self._searching():
            self._run_search()
        self.conversation_restored.emit(conversation_id)

    def _finish_delete(self, conversation_id: int) -> None:
        self.delete_requested.emit(conversation_id)

    def change_failed(self, conversation_id: int, message: str) -> None:
        """The owner could not rename, pin or delete: show it as it is stored, say why."""
        self.model.unhide(conversation_id)
        self.model.reload()
        self._reselect(scroll_to=False)
        self._show_problem(message)

    def deletion_done(self, conversation_id: int) -> None:
        self.model.forget(conversation_id)
        if self._current_id == conversation_id:
            self._current_id = -1
        self.conversation_deleted.emit(conversation_id)
