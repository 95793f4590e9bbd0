"""Issue 17, accessibility: the painted transcript as assistive technology sees it. Real
ChatView widgets; the interfaces are the ones Qt hands a screen reader (queryAccessibleInterface
runs the installed factory), and events are observed as they are sent with a client active."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtTest import QTest

from desktopchat.core.events import ContentDelta
from desktopchat.ui.chat_view import ChatView
from desktopchat.ui.markdown_plain import MarkdownPlainText
from desktopchat.ui.stream_runner import LiveStream
from desktopchat.ui.transcript_accessible import MessageAccessible, TranscriptAccessible
from tests.gui.test_chat_view import conversation, make_view, msg

Text = QAccessible.Text


@pytest.fixture
def client_active() -> Iterator[None]:
    """A screen reader listening: what the platform sets when one connects."""
    QAccessible.setActive(True)
    try:
        yield
    finally:
        QAccessible.setActive(False)


def accessible(view: ChatView) -> QAccessibleInterface:
    iface = QAccessible.queryAccessibleInterface(view)
    assert isinstance(iface, TranscriptAccessible)
    return iface


def chat() -> list[Any]:
    return [msg(1, "user", "What is 2 + 3?"),
            msg(2, "assistant", "It is **5**.\n\n- one\n- two", finish_reason="stop"),
            msg(3, "assistant", "Partial", "stopped")]


def focus_by_tab(qtbot: Any, view: ChatView) -> None:
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.clearFocus()
    view.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(view.hasFocus)


def test_the_view_is_a_list_with_one_item_per_loaded_message(qtbot: Any) -> None:
    view = make_view(qtbot, conversation(300))  # far more than are laid out
    iface = accessible(view)
    assert iface.role() == QAccessible.Role.List
    assert iface.text(Text.Name) == "Conversation"
    widgets = iface.childCount() - 300
    assert widgets >= 0  # the view's own widgets come after the messages
    for index in (0, 150, 299):
        child = iface.child(index)
        assert isinstance(child, MessageAccessible)
        assert child.message_id == view.rows.items[index].id
        assert iface.indexOfChild(child) == index
        assert child.parent() is iface
    # The view's own widgets follow, and each says it is a child of the view.
    for index in range(300, iface.childCount()):
        other = iface.child(index)
        assert other is not None and not isinstance(other, MessageAccessible)
        assert iface.indexOfChild(other) == index
    assert iface.child(iface.childCount()) is None
    view.add_message(msg(301, "user", "one more"))
    assert iface.childCount() == 301 + widgets
    view.remove_from(300)
    assert iface.childCount() == 299 + widgets


def test_each_message_says_who_wrote_it_and_what_it_says(qtbot: Any) -> None:
    view = make_view(qtbot, [*chat(), msg(4, "tool", "5", tool_calls=[{"name": "add"}])])
    iface = accessible(view)
    user, reply, stopped, tool = (iface.child(i) for i in range(4))
    assert user.role() == reply.role() == QAccessible.Role.ListItem
    assert user.text(Text.Name) == "You: What is 2 + 3?"
    assert user.text(Text.Value) == "What is 2 + 3?"
    assert user.text(Text.Description) == ""
    # Plain words: no Markdown marks for a screen reader to spell out.
    assert reply.text(Text.Name) == "Assistant: It is 5.\none\ntwo"
    assert reply.text(Text.Value) == "It is 5.\none\ntwo"
    assert stopped.text(Text.Description) == "Stopped"
    assert tool.text(Text.Name) == "Tool result: 5"
    state = reply.state()
    assert state.focusable and state.selectable and state.readOnly and not state.busy
    # Its rectangle is its card on the screen.
    index = view.rows.index_of(2)
    item = view.rows.items[index]
    top = view.rows.top(index) - view.verticalScrollBar().value()
    origin = view.viewport().mapToGlobal(QPoint(view.row_geometry.card_x(item), top))
    assert reply.rect().topLeft() == origin and reply.rect().height() == item.height
    assert iface.childAt(reply.rect().center().x(), reply.rect().center().y()) is reply


def test_an_error_says_what_went_wrong(qtbot: Any) -> None:
    view = make_view(qtbot, [msg(1, "user", "hi"),
                             msg(2, "assistant", "", "error", error="HTTP 401: bad key")])
    reply = accessible(view).child(1)
    assert reply.text(Text.Name) == "Assistant"
    assert reply.text(Text.Description) == "Error: HTTP 401: bad key"


def test_a_streaming_reply_reads_its_text_so_far_and_is_told_once_per_frame(
        qtbot: Any, client_active: None) -> None:
    view = make_view(qtbot, [msg(1, "user", "Count"), msg(2, "assistant", "", "streaming")])
    reply = accessible(view).child(1)
    assert reply.state().busy and reply.text(Text.Description) == "Writing…"
    told: list[tuple[str, int]] = []
    view.accessibility.announced.connect(lambda kind, mid: told.append((kind, mid)))
    live = LiveStream(conversation_id=1, message_id=2)
    for word in ("one ", "two ", "**three**"):  # three deltas before the frame
        live.reply.apply(ContentDelta(word))
        view.stream_from(2, live)
    assert reply.text(Text.Value) == "one two three"  # the text so far, even between frames
    view.flush()
    assert told == [("text", 2)]  # one event for the frame, not one per delta
    view.flush()
    assert told == [("text", 2)]  # a frame with nothing new tells nothing
    live.reply.apply(ContentDelta(" four"))
    view.stream_from(2, live)
    view.flush()
    assert reply.text(Text.Name) == "Assistant: one two three four"
    assert told == [("text", 2), ("text", 2)]
    view.finish_message(msg(2, "assistant", "one two **three** four", "stopped"))
    assert ("state", 2) in told and not reply.state().busy
    assert reply.text(Text.Description) == "Stopped"


def test_without_a_client_nothing_is_told_or_built(qtbot: Any) -> None:
    view = make_view(qtbot, [msg(1, "user", "Count"), msg(2, "assistant", "", "streaming")])
    told: list[tuple[str, int]] = []
    view.accessibility.announced.connect(lambda kind, mid: told.append((kind, mid)))
    live = LiveStream(conversation_id=1, message_id=2)
    live.reply.apply(ContentDelta("words"))
    view.stream_from(2, live)
    view.flush()
    view.add_message(msg(3, "user", "next"))
    assert told == [] and view.accessibility.built() == 0


def test_added_and_removed_messages_are_told(qtbot: Any, client_active: None) -> None:
    view = make_view(qtbot, chat())
    told: list[tuple[str, int]] = []
    view.accessibility.announced.connect(lambda kind, mid: told.append((kind, mid)))
    view.add_message(msg(4, "user", "And 3 + 4?"))
    assert told[-1] == ("added", 4)
    view.remove_from(4)
    assert told[-1] == ("removed", 4)
    view.set_messages(conversation(50))  # a chat opened: one event for the lot
    assert told[-1] == ("reset", -1)
    assert accessible(view).child(0).text(Text.Name).startswith("You: Message 1")


def test_the_focused_message_follows_the_keyboard(qtbot: Any, client_active: None) -> None:
    view = make_view(qtbot, chat())
    iface = accessible(view)
    assert iface.focusChild() is None
    told: list[tuple[str, int]] = []
    view.accessibility.announced.connect(lambda kind, mid: told.append((kind, mid)))
    focus_by_tab(qtbot, view)  # Tab into the transcript: the newest message
    newest = iface.focusChild()
    assert isinstance(newest, MessageAccessible) and newest.message_id == 3
    assert newest.state().focused and newest.state().selected
    qtbot.waitUntil(lambda: ("focus", 3) in told)
    QTest.keyClick(view, Qt.Key.Key_Up)
    moved = iface.focusChild()
    assert isinstance(moved, MessageAccessible) and moved.message_id == 2
    assert moved.state().focused and not newest.state().focused
    qtbot.waitUntil(lambda: told[-1] == ("focus", 2))
    QTest.keyClick(view, Qt.Key.Key_Up)
    assert iface.focusChild() is iface.child(0)
    qtbot.waitUntil(lambda: told[-1] == ("focus", 1))
    view.clearFocus()
    assert iface.focusChild() is None
    assert iface.child(0).state().selected and not iface.child(0).state().focused


def test_plain_text_keeps_every_word() -> None:
    plain = MarkdownPlainText()
    assert plain("# Title\n\nSome *text*\nmore") == "Title\nSome text more"
    assert plain("1. one\n2. two") == "1. one\n2. two"
    assert plain("```py\nprint(1)\n```") == "print(1)"
    assert plain("| a | b |\n|---|---|\n| 1 | 2 |") == "a\tb\n1\t2"
    assert plain("Inline $x^2$, `code` and [a link](http://x) ![a cat](http://img)") == (
        "Inline x^2, code and a link a cat")
    deep = "> " * 40 + "deep words"  # past markdown-it's nesting limit
    assert "deep words" in plain(deep)
