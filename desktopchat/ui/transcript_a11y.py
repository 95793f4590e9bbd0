"""Keeps assistive technology's picture of the transcript current, at no cost without it.

Owns one MessageAccessible per message a client asked about (created on demand, registered
with Qt, unregistered when the message leaves the view) and tells clients what changed:
messages added or removed (when the rows change), a streaming reply's new text (at most once
per painted frame: ChatView calls `frame` from its one coalescing point, never per delta)
and the message the keyboard chose (Up/Down, Tab into the view, a click). Each of those
first asks QAccessible.isActive(): with no screen reader or other client listening they
return at once, so the render budgets are untouched. `announced` repeats each event as
(kind, message id) for tests and debugging.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QObject, QPoint, QRect, QTimer, Signal
from PySide6.QtGui import QAccessible, QAccessibleEvent, QAccessibleStateChangeEvent
from PySide6.QtWidgets import QAbstractScrollArea, QApplication

from desktopchat.ui.markdown_plain import MarkdownPlainText
from desktopchat.ui.message_actions import MessageActions
from desktopchat.ui.transcript_accessible import MessageAccessible, install_factory
from desktopchat.ui.transcript_layout import TranscriptGeometry
from desktopchat.ui.transcript_rows import MessageItem, TranscriptRows

BULK = 8  # more new messages than this at once (a chat opened, a page loaded): one reorder
Event = QAccessible.Event


def _forget(children: dict[int, MessageAccessible]) -> None:
    """The view is gone: take its messages out of Qt's interface cache before Python frees
    them (the cache would otherwise keep pointers to deleted interfaces)."""
    for child in children.values():
        QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(child))
    children.clear()


class TranscriptAccessibility(QObject):
    announced = Signal(str, int)  # added, removed, reset, text, state, focus, code; id or -1

    def __init__(self, view: QAbstractScrollArea, rows: TranscriptRows,
                 geometry: TranscriptGeometry, actions: MessageActions) -> None:
        super().__init__(view)
        install_factory()
        self.view = view
        self.rows = rows
        self._geometry = geometry
        self._actions = actions
        self._plain = MarkdownPlainText()
        self._children: dict[int, MessageAccessible] = {}
        self._texts: dict[int, tuple[str, str]] = {}  # id -> (content, its plain text)
        self._told: list[int] | None = None  # the ids clients were last told of
        self._said: dict[int, tuple[int, str]] = {}  # id -> (text length, state) last told
        self._focus_pending = False
        # The keyboard's code block in a message, said as its description (code_block_keys).
        self.code_words: Callable[[int], str] = lambda _message_id: ""
        actions.focus_moved.connect(self._focus_moved)
        view.destroyed.connect(partial(_forget, self._children))

    # -- what the interfaces read ------------------------------------------------------------

    def child(self, message_id: int) -> MessageAccessible:
        child = self._children.get(message_id)
        if child is None:
            child = MessageAccessible(self, message_id)
            QAccessible.registerAccessibleInterface(child)
            self._children[message_id] = child
        return child

    def built(self) -> int:
        """How many message interfaces exist (none until a client asks)."""
        return len(self._children)

    def plain_text(self, item: MessageItem) -> str:
        """The message's words without Markdown; for a streaming reply, the text so far."""
        content = item.content if item.live is None else item.live.text
        cached = self._texts.get(item.id)
        if cached is not None and cached[0] == content:
            return cached[1]
        plain = self._plain(content)
        self._texts[item.id] = (content, plain)
        return plain

    def viewport_rect(self, item: MessageItem) -> QRect:
        index = self.rows.index_of(item.id)
        top = self.rows.top(index) - self.view.verticalScrollBar().value()
        return QRect(self._geometry.card_x(item), top, self._geometry.card_width(item),
                     item.height)

    def screen_rect(self, item: MessageItem) -> QRect:
        return self.viewport_rect(item).translated(self.view.viewport().mapToGlobal(QPoint()))

    def on_screen(self, item: MessageItem) -> bool:
        return self.viewport_rect(item).intersects(self.view.viewport().rect())

    def item_at(self, global_pos: QPoint) -> MessageItem | None:
        viewport = self.view.viewport()
        pos = viewport.mapFromGlobal(global_pos)
        return self._actions.row_at(pos) if viewport.rect().contains(pos) else None

    def current_id(self) -> int:
        """The message the keyboard chose last (selected, even while focus is elsewhere)."""
        focus_id = self._actions.focus_id
        return focus_id if self.rows.get(focus_id) is not None else -1

    def focused_id(self) -> int:
        """The current message while the view itself has the keyboard focus, else -1."""
        return self.current_id() if self.view.hasFocus() else -1

    # -- events ------------------------------------------------------------------------------

    def rows_changed(self) -> None:
        """After messages were added or removed (ChatView's relayout, not per frame)."""
        active = QAccessible.isActive()
        if not active and not self._children and self._told is None:
            return
        for message_id in [i for i in self._children if self.rows.get(i) is None]:
            child = self._children.pop(message_id)
            if active:
                self._send(QAccessibleEvent(child, Event.ObjectDestroyed), "removed", message_id)
            QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(child))
        for gone in [i for i in self._texts if self.rows.get(i) is None]:
            del self._texts[gone]
        self._said = {i: s for i, s in self._said.items() if self.rows.get(i) is not None}
        if not active:
            self._told = None  # nobody listened: tell the next client everything
            return
        ids = [item.id for item in self.rows.items]
        told = set(self._told or ())
        new = [i for i in ids if i not in told]
        if self._told is None or len(new) > BULK:
            self._send(QAccessibleEvent(self.view, Event.ObjectReorder), "reset", -1)
        else:
            for message_id in new:
                self._send(QAccessibleEvent(self.child(message_id), Event.ObjectCreated),
                           "added", message_id)
        self._told = ids
        for item in self.rows.items[-3:]:
            self._said.setdefault(item.id, (len(item.content), item.state))

    def frame(self) -> None:
        """A frame was painted: a streaming reply's new text or a new state, once per frame."""
        if not QAccessible.isActive():
            return
        for item in self.rows.items[-3:]:  # only the newest rows ever stream (as ChatView)
            now = (len(item.content), item.state)
            said = self._said.get(item.id)
            if said == now:
                continue
            self._said[item.id] = now
            if said is None and not item.streaming:
                continue  # not one that streams: nothing new to tell
            child = self.child(item.id)
            if said is None or said[0] != now[0]:
                self._send(QAccessibleEvent(child, Event.NameChanged), "text", item.id)
            if said is not None and said[1] != now[1]:
                changed = QAccessible.State()
                changed.busy = True
                self._send(QAccessibleStateChangeEvent(child, changed), "state", item.id)
                self._send(QAccessibleEvent(child, Event.DescriptionChanged), "state",
                           item.id)

    def _focus_moved(self, _message_id: int) -> None:
        # After Qt's own focus event for the view (sent once the FocusIn is delivered), so a
        # screen reader lands on the message rather than on the list.
        if QAccessible.isActive() and not self._focus_pending:
            self._focus_pending = True
            QTimer.singleShot(0, self, self._tell_focus)

    def _tell_focus(self) -> None:
        self._focus_pending = False
        focused = self.focused_id()
        if focused < 0 or QApplication.focusWidget() is not self.view:
            return
        self._send(QAccessibleEvent(self.child(focused), Event.Focus), "focus", focused)

    def code_focus_moved(self, message_id: int) -> None:
        """Tab moved to a code block of the message, or back: its description changed, and a
        screen reader reads the focused message again."""
        if not QAccessible.isActive() or self.rows.get(message_id) is None:
            return
        child = self.child(message_id)
        self._send(QAccessibleEvent(child, Event.DescriptionChanged), "code", message_id)
        if self.focused_id() == message_id:
            self._send(QAccessibleEvent(child, Event.Focus), "focus", message_id)

    def _send(self, event: QAccessibleEvent, kind: str, message_id: int) -> None:
        QAccessible.updateAccessibility(event)
        self.announced.emit(kind, message_id)
