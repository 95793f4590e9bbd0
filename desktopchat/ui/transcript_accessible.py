"""The transcript as assistive technology sees it: a list with one item per message.

ChatView paints its messages itself, so Qt knows no widget per message. These interfaces
give screen readers one: the view is a List (its name says what it holds) whose first
children are the loaded messages, oldest first, each a ListItem whose name is who wrote it
and what it says ("Assistant: It is 5."), whose description is its state (Writing…,
Stopped, Error: …), with its screen rectangle and the keyboard's focus ring as its focus.
The view's own widgets (the viewport with the action bar, the scroll bar) follow the
messages, so every widget's parent lists it. TranscriptAccessibility owns the per-message
interfaces and says when they change.

PySide6 takes Python subclasses of QAccessibleInterface and QAccessibleWidget, and Python
factories through QAccessible.installFactory (checked by tests/gui/test_transcript_accessible.py).
One catch: QAccessible.registerAccessibleInterface does not take ownership of a Python
interface, so whoever registers one keeps it alive and unregisters it before letting go
(TranscriptAccessibility does, for each message).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, QRect
from PySide6.QtGui import QAccessible, QAccessibleInterface, QWindow
from PySide6.QtWidgets import QAccessibleWidget, QWidget

from desktopchat.storage.models import MessageState
from desktopchat.ui.i18n import translate
from desktopchat.ui.transcript_rows import MessageItem

if TYPE_CHECKING:
    from desktopchat.ui.transcript_a11y import TranscriptAccessibility

VIEW_CLASS = "ChatView"  # the metaobject class name the factory answers for
Relations = list[tuple[QAccessibleInterface, QAccessible.RelationFlag]]


def role_word(role: str) -> str:
    if role == "user":
        return translate("TranscriptAccessible", "You")
    if role == "assistant":
        return translate("TranscriptAccessible", "Assistant")
    if role == "tool":
        return translate("TranscriptAccessible", "Tool result")
    if role == "system":
        return translate("TranscriptAccessible", "System")
    return role


def state_words(item: MessageItem) -> str:
    """The message's state as a screen reader should say it ("" for a finished message)."""
    if item.state == MessageState.STREAMING:
        return translate("TranscriptAccessible", "Writing…")
    if item.state == MessageState.STOPPED:
        return translate("TranscriptAccessible", "Stopped")
    if item.state == MessageState.INTERRUPTED:
        return translate("TranscriptAccessible", "Interrupted: the reply is incomplete")
    if item.state == MessageState.ERROR:
        if item.error:
            return translate("TranscriptAccessible", "Error: {error}").format(error=item.error)
        return translate("TranscriptAccessible", "Error")
    return ""


class MessageAccessible(QAccessibleInterface):
    """One message. Holds only its id: everything it says is read from the rows when asked,
    so a streaming reply needs no update here, only an event (TranscriptAccessibility)."""

    def __init__(self, owner: TranscriptAccessibility, message_id: int) -> None:
        super().__init__()
        self._owner = owner
        self.message_id = message_id

    def _item(self) -> MessageItem | None:
        return self._owner.rows.get(self.message_id)

    def isValid(self) -> bool:
        return self._item() is not None

    def object(self) -> QObject:
        return None  # type: ignore[return-value]  # painted, not a QObject

    def window(self) -> QWindow:
        return self._owner.view.window().windowHandle()

    def relations(self, match: QAccessible.RelationFlag = QAccessible.RelationFlag.AllRelations,
                  ) -> Relations:
        return []

    def focusChild(self) -> QAccessibleInterface:
        return None  # type: ignore[return-value]

    def childAt(self, x: int, y: int) -> QAccessibleInterface:
        return None  # type: ignore[return-value]

    def parent(self) -> QAccessibleInterface:
        return QAccessible.queryAccessibleInterface(self._owner.view)

    def child(self, index: int) -> QAccessibleInterface:
        return None  # type: ignore[return-value]

    def childCount(self) -> int:
        return 0

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        return -1

    def text(self, t: QAccessible.Text) -> str:
        item = self._item()
        if item is None:
            return ""
        if t == QAccessible.Text.Name:
            words = self._owner.plain_text(item)
            if not words:
                return role_word(item.role)
            return translate("TranscriptAccessible", "{role}: {text}").format(
                role=role_word(item.role), text=words)
        if t == QAccessible.Text.Value:
            return self._owner.plain_text(item)
        if t == QAccessible.Text.Description:
            # With a code block chosen by Tab: which block it is and its keys.
            return " ".join(w for w in (state_words(item), self._owner.code_words(item.id)) if w)
        return ""

    def setText(self, t: QAccessible.Text, text: str) -> None:
        pass  # messages are read-only here; Edit makes a new version

    def rect(self) -> QRect:
        item = self._item()
        return self._owner.screen_rect(item) if item is not None else QRect()

    def role(self) -> QAccessible.Role:
        return QAccessible.Role.ListItem

    def state(self) -> QAccessible.State:
        state = QAccessible.State()
        item = self._item()
        if item is None:
            state.invalid = True
            return state
        state.focusable = True
        state.selectable = True
        state.readOnly = True
        state.multiLine = True
        state.busy = item.streaming
        state.focused = self._owner.focused_id() == item.id
        state.selected = self._owner.current_id() == item.id
        state.offscreen = not self._owner.on_screen(item)
        return state


class TranscriptAccessible(QAccessibleWidget):
    """The view: a List of its messages, then its own widgets."""

    def __init__(self, view: QWidget) -> None:
        super().__init__(view, QAccessible.Role.List)
        self._view = view

    def _owner(self) -> TranscriptAccessibility | None:
        # Looked up when asked: the factory may run before the view has built its helper.
        from desktopchat.ui.transcript_a11y import TranscriptAccessibility

        owner = getattr(self._view, "accessibility", None)
        return owner if isinstance(owner, TranscriptAccessibility) else None

    def _messages(self) -> int:
        owner = self._owner()
        return len(owner.rows) if owner is not None else 0

    def text(self, t: QAccessible.Text) -> str:
        if t == QAccessible.Text.Name:
            return self._view.accessibleName() or translate("TranscriptAccessible",
                                                             "Conversation")
        if t == QAccessible.Text.Description:
            return self._view.accessibleDescription() or translate(
                "TranscriptAccessible", "Messages, oldest first. Up and Down move between "
                "messages; Enter reaches a message's actions.")
        return super().text(t)

    def childCount(self) -> int:
        return self._messages() + super().childCount()

    def child(self, index: int) -> QAccessibleInterface:
        owner = self._owner()
        count = self._messages()
        if owner is not None and 0 <= index < count:
            return owner.child(owner.rows.items[index].id)
        return super().child(index - count) if index >= count else None  # type: ignore[return-value]

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        owner = self._owner()
        if isinstance(child, MessageAccessible):
            return owner.rows.index_of(child.message_id) if owner is not None else -1
        index = super().indexOfChild(child)
        return index + self._messages() if index >= 0 else -1

    def focusChild(self) -> QAccessibleInterface:
        owner = self._owner()
        focused = owner.focused_id() if owner is not None else -1
        if owner is not None and focused >= 0 and self._view.hasFocus():
            return owner.child(focused)
        return super().focusChild()

    def childAt(self, x: int, y: int) -> QAccessibleInterface:
        owner = self._owner()
        if owner is not None:
            item = owner.item_at(QPoint(x, y))
            if item is not None:
                return owner.child(item.id)
        return super().childAt(x, y)


def _factory(key: str, obj: QObject) -> QAccessibleInterface | None:
    if key == VIEW_CLASS and isinstance(obj, QWidget):
        return TranscriptAccessible(obj)
    return None


class _Factory:
    installed = False  # QAccessible keeps one list of factories per process: add ours once


def install_factory() -> None:
    if not _Factory.installed:
        QAccessible.installFactory(_factory)
        _Factory.installed = True
