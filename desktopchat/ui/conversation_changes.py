"""The one owner of changes to whole conversations: rename, pin, delete.

Widgets only ask (the history panel emits requests); this object changes the store and
reports through ChatEvents. Deleting a conversation whose reply is streaming stops that
stream first and deletes once the stream has saved its final state, so the stream never
writes to a row that is gone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktopchat.errors import StorageError
from desktopchat.ui.chat_events import ChatEvents
from desktopchat.ui.error_text import shown_error

if TYPE_CHECKING:
    from desktopchat.storage.store import HistoryStore
    from desktopchat.ui.history_panel import HistoryPanel
    from desktopchat.ui.stream_runner import TurnRunner


class ConversationChanges:
    def __init__(self, store: HistoryStore, events: ChatEvents,
                 runner: TurnRunner | None = None) -> None:
        self._store = store
        self.events = events
        self._runner = runner  # None: nothing streams (a history panel on its own)

    def rename(self, conversation_id: int, title: str) -> bool:
        title = title.strip()
        if not title:
            return False  # an empty title would lose the old one
        try:
            self._store.rename_conversation(conversation_id, title)
        except StorageError as exc:
            self.events.change_failed.emit(conversation_id, shown_error(exc))
            return False
        self.events.conversation_changed.emit(conversation_id)
        return True

    def set_pinned(self, conversation_id: int, pinned: bool) -> bool:
        try:
            self._store.set_pinned(conversation_id, pinned)
        except StorageError as exc:
            self.events.change_failed.emit(conversation_id, shown_error(exc))
            return False
        self.events.conversation_changed.emit(conversation_id)
        return True

    def delete(self, conversation_id: int) -> None:
        """Delete now, or as soon as the conversation's live reply has stopped and saved."""
        task = None if self._runner is None else self._runner.cancel(conversation_id)
        if task is None or task.done():
            self._delete_now(conversation_id)
            return
        task.add_done_callback(lambda _t: self._delete_now(conversation_id))

    def _delete_now(self, conversation_id: int) -> None:
        try:
            self._store.delete_conversation(conversation_id)
        except StorageError as exc:
            self.events.change_failed.emit(conversation_id, shown_error(exc))
            return
        self.events.conversation_removed.emit(conversation_id)


def connect_history(panel: HistoryPanel, changes: ConversationChanges) -> None:
    """The panel's requests go to the owner; the owner's verdicts come back to the panel."""
    panel.rename_requested.connect(changes.rename)
    panel.pin_requested.connect(changes.set_pinned)
    panel.delete_requested.connect(changes.delete)
    changes.events.conversation_removed.connect(panel.deletion_done)
    changes.events.change_failed.connect(panel.change_failed)


__all__ = ["ConversationChanges", "connect_history"]
