"""Moving about the message tree from the window: ‹ › between versions, delete with undo.

Composed into ChatController (which owns conversation changes); storage does the work,
this object decides what to show afterwards and keeps the last removal for Undo.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from desktopchat.errors import StorageError
from desktopchat.ui.chat_events import ChatEvents
from desktopchat.ui.error_text import shown_error

if TYPE_CHECKING:
    from desktopchat.storage.models import Message, RemovedBranch
    from desktopchat.storage.store import HistoryStore


class Branches:
    def __init__(self, store: HistoryStore, events: ChatEvents,
                 reopen: Callable[[int], bool], report: Callable[[str], None]) -> None:
        self._store = store
        self._events = events
        self._reopen = reopen
        self._report = report
        self.last_removed: RemovedBranch | None = None

    def refresh(self, conversation_id: int, shown: list[Message] | None = None) -> None:
        """Tell the view which of the shown messages have versions, and which one they are."""
        if conversation_id < 0:
            return
        try:
            path = shown if shown is not None else self._store.current_path(conversation_id)
            positions = self._store.branch_positions(path)
        except StorageError as exc:
            self._report(shown_error(exc))
            return
        self._events.versions_changed.emit(conversation_id, positions)

    def switch(self, message_id: int, step: int) -> int:
        """Show the version `step` away from `message_id` (and the newest path below it);
        the id shown in its place, or -1."""
        try:
            versions = self._store.siblings(message_id)
            ids = [m.id for m in versions]
            index = ids.index(message_id) + step
            if not 0 <= index < len(ids):
                return -1
            target = versions[index]
            self._store.select_branch(target.id)
        except (StorageError, ValueError) as exc:
            self._report(shown_error(exc))
            return -1
        self._reopen(target.conversation_id)
        self._events.conversation_changed.emit(target.conversation_id)
        return target.id

    def remove(self, message_id: int) -> bool:
        """Delete this version (or this message and everything below it); Undo can restore."""
        try:
            removed = self._store.remove_branch(message_id)
        except StorageError as exc:
            self._report(shown_error(exc))
            return False
        self.last_removed = removed
        self._reopen(removed.conversation_id)
        self._events.conversation_changed.emit(removed.conversation_id)
        self._events.branch_removed.emit(removed.conversation_id, len(removed.messages))
        return True

    def undo_remove(self) -> bool:
        removed, self.last_removed = self.last_removed, None
        if removed is None:
            return False
        try:
            self._store.restore_branch(removed)
        except StorageError as exc:
            self._report(shown_error(exc))
            return False
        self._reopen(removed.conversation_id)
        self._events.conversation_changed.emit(removed.conversation_id)
        return True
