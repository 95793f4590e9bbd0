"""Folder actions in the sidebar: New folder, rename, collapse, order, file a chat, delete/undo.

Folders only group chats: no stream or open chat depends on them, so these changes go to the
store at once (storage/folders.py) and the list is read again. A failure is shown in the
panel's problem line and changes nothing. Deleting a folder is undone from the same Undo bar
as a chat: the folder comes back in its place, with the chats still at the top level.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QListView, QMenu, QWidget

from desktopchat.errors import StorageError
from desktopchat.storage.models import Conversation, Folder, RemovedFolder
from desktopchat.ui.error_text import shown_error
from desktopchat.ui.history_drops import TOP_LEVEL
from desktopchat.ui.i18n import translate

if TYPE_CHECKING:
    from desktopchat.storage.store import HistoryStore
    from desktopchat.ui.history_model import HistoryModel
    from desktopchat.ui.history_undo import UndoBar


class FolderActions(QObject):
    def __init__(
        self,
        store: HistoryStore,
        model: HistoryModel,
        view: QListView,
        undo_bar: UndoBar,
        *,
        relist: Callable[[], None],
        show_problem: Callable[[str], None],
    ) -> None:
        super().__init__(view)
        self._store = store
        self._model = model
        self._view = view
        self._undo_bar = undo_bar
        self._relist = relist
        self._show_problem = show_problem
        model.folder_rename_requested.connect(self.apply_rename)
        model.move_requested.connect(self.move_chat)

    def _try(self, change: Callable[[], object]) -> bool:
        try:
            change()
        except StorageError as exc:
            self._show_problem(shown_error(exc))
            return False
        return True

    def _focus_folder(self, folder_id: int) -> None:
        row = self._model.row_of_folder(folder_id)
        if row >= 0:
            index = self._model.index(row, 0)
            self._view.setCurrentIndex(index)
            self._view.scrollTo(index)

    # ---- the folders themselves ---------------------------------------------------------

    def new_folder(self) -> Folder | None:
        """A folder named "New folder" (or "New folder 2"...), its name open for editing."""
        made: list[Folder] = []
        base = translate("FolderActions", "New folder")
        if not self._try(lambda: made.append(self._store.folders.create(
                self._store.folders.unused_name(base)))):
            return None
        self._relist()
        self.rename(made[0].id)
        return made[0]

    def rename(self, folder_id: int) -> None:
        """Start inline editing of a folder's name (Enter saves, Escape keeps the old one)."""
        self._focus_folder(folder_id)
        row = self._model.row_of_folder(folder_id)
        if row >= 0:
            self._view.edit(self._model.index(row, 0))

    def apply_rename(self, folder_id: int, name: str) -> None:
        self._try(lambda: self._store.folders.rename(folder_id, name))

    def toggle(self, folder_id: int) -> None:
        """Collapse an open folder or open a collapsed one; remembered in the history file."""
        folder = self._model.folder_at(self._model.row_of_folder(folder_id))
        if folder is None:
            return
        if self._try(lambda: self._store.folders.set_collapsed(folder_id, not folder.collapsed)):
            self._relist()
            self._focus_folder(folder_id)

    def move_folder(self, folder_id: int, step: int) -> None:
        ids = [f.id for f in self._model.folders()]
        if folder_id in ids and self._try(
            lambda: self._store.folders.move(folder_id, ids.index(folder_id) + step)
        ):
            self._relist()
            self._focus_folder(folder_id)

    def delete(self, folder_id: int) -> None:
        """Delete now (its chats go back to the top level), with Undo in the bar."""
        folder = self._model.folder_at(self._model.row_of_folder(folder_id))
        removed: list[RemovedFolder] = []
        if folder is None or not self._try(
            lambda: removed.append(self._store.folders.delete(folder_id))
        ):
            return
        self._relist()
        text = translate("FolderActions", "Deleted folder “{0}”").format(folder.name)
        self._undo_bar.offer_undo(text, lambda: self.restore(removed[0]))

    def restore(self, removed: RemovedFolder) -> None:
        if self._try(lambda: self._store.folders.restore(removed)):
            self._relist()

    # ---- filing chats -------------------------------------------------------------------

    def move_chat(self, conversation_id: int, folder_id: int) -> None:
        """File a chat in a folder (TOP_LEVEL: in none); from a drop or the context menu."""
        target = None if folder_id == TOP_LEVEL else folder_id
        conv = self._model.conversation_at(self._model.row_of(conversation_id))
        if conv is not None and conv.folder_id == target:
            return
        if self._try(lambda: self._store.folders.move_conversation(conversation_id, target)):
            self._relist()

    def move_to_new_folder(self, conversation_id: int) -> None:
        folder = self.new_folder()
        if folder is not None:
            self.move_chat(conversation_id, folder.id)
            self.rename(folder.id)

    # ---- menus --------------------------------------------------------------------------

    def add_move_menu(self, menu: QMenu, conv: Conversation) -> QMenu:
        """"Move to folder ▸": every folder, the top level, and a new folder (keyboard users'
        way to do what a drag does)."""
        sub = menu.addMenu(translate("FolderActions", "Move to folder"))
        for folder in self._model.folders():
            # `&` would mark a shortcut letter: a name is shown as written.
            label = folder.name.replace("&", "&&")
            action = sub.addAction(label, partial(self.move_chat, conv.id, folder.id))
            action.setCheckable(True)
            action.setChecked(folder.id == conv.folder_id)
            action.setEnabled(folder.id != conv.folder_id)
        if self._model.folders():
            sub.addSeparator()
        out = sub.addAction(
            translate("FolderActions", "No folder (top level)"),
            lambda: self.move_chat(conv.id, TOP_LEVEL),
        )
        out.setEnabled(conv.folder_id is not None)
        sub.addAction(translate("FolderActions", "New folder…"),
                      lambda: self.move_to_new_folder(conv.id))
        return sub

    def folder_menu(self, folder: Folder, parent: QWidget) -> QMenu:
        menu = QMenu(parent)
        menu.addAction(translate("FolderActions", "Rename"), lambda: self.rename(folder.id))
        menu.addAction(
            translate("FolderActions", "Expand")
            if folder.collapsed
            else translate("FolderActions", "Collapse"),
            lambda: self.toggle(folder.id),
        )
        ids = [f.id for f in self._model.folders()]
        up = menu.addAction(translate("FolderActions", "Move up"),
                            lambda: self.move_folder(folder.id, -1))
        up.setEnabled(bool(ids) and ids[0] != folder.id)
        down = menu.addAction(translate("FolderActions", "Move down"),
                              lambda: self.move_folder(folder.id, 1))
        down.setEnabled(bool(ids) and ids[-1] != folder.id)
        menu.addSeparator()
        menu.addAction(translate("FolderActions", "Delete folder"),
                       lambda: self.delete(folder.id))
        return menu
