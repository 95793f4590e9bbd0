"""Every code block the transcript shows is a Tab stop with its keys (C copies it): the
blocks of a large reply's parts not yet rendered when the chat opened, and those of a reply
still streaming (its open tail too), not only the blocks of parts already rendered. The
blocks in parts never rendered are rendered on the way, brought on screen and ringed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from desktopchat.core.reply import ContentDelta
from desktopchat.ui.chat_view import ChatView
from desktopchat.ui.code_block_bars import shown_blocks
from desktopchat.ui.stream_runner import LiveStream
from tests.gui.test_chat_view import msg
from tests.support.transcript_window import transcript_over_field

PARA = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
        "incididunt ut labore et dolore magna aliqua. ") * 6
BLOCKS = 80
BIG = "".join(f"Section {n}.\n\n{PARA}\n\n{PARA}\n\n```python\nblock_{n} = {n}\n```\n\n"
              for n in range(BLOCKS))


def window_around(qtbot: Any,
                  messages: list[Any]) -> tuple[QWidget, ChatView, QLineEdit]:
    """The transcript above a text field (the next Tab stop); the keyboard on the last
    message, chosen by Shift+Tab from the field."""
    return transcript_over_field(qtbot, messages, settle=False)


def focused_code(view: ChatView) -> str:
    found = view.code_focus.stop()
    assert found is not None, "no code block has the keyboard"
    part, index = found[1]
    return part.codes[index]


def focused_on_screen(view: ChatView) -> bool:
    assert view.code_focus.current is not None
    state = view.code_focus.current[1]
    return any(s.state is state for s in shown_blocks(view, view.rows, view.row_geometry))


def rendered_blocks(view: ChatView, message_id: int) -> int:
    render = view.item(message_id).render
    assert render is not None
    return sum(len(p.codes) for p in render.parts)


def test_tab_reaches_every_block_of_a_reply_rendered_only_near_the_screen(qtbot: Any) -> None:
    _window, view, _after = window_around(qtbot, [msg(1, "user", "Eighty blocks"),
                                        msg(2, "assistant", BIG)])
    view.scroll_to_message(2, highlight=False)  # the reply's top: its first blocks wait
    assert view.message_actions.focus_id == 2
    assert rendered_blocks(view, 2) < BLOCKS // 2  # most blocks are in parts not rendered
    for n in range(BLOCKS):
        qtbot.keyClick(view, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is view
        assert focused_code(view) == f"block_{n} = {n}\n"
        assert focused_on_screen(view)  # brought into view, where its ring is painted
        if n == BLOCKS // 2:
            with qtbot.waitSignal(view.input.code_blocks.copied, timeout=2000):
                qtbot.keyClick(view, Qt.Key.Key_C)
            assert QGuiApplication.clipboard().text() == f"block_{n} = {n}"
    assert "Code block 80 of 80" in view.code_focus.words(2)
    qtbot.keyClick(view, Qt.Key.Key_Tab)  # past the last block: the message's actions
    assert QApplication.focusWidget() is not view and view.code_focus.stop() is None


def test_shift_tab_walks_back_through_blocks_not_rendered_yet(qtbot: Any) -> None:
    _window, view, _after = window_around(qtbot, [msg(1, "user", "Eighty blocks"),
                                         msg(2, "assistant", BIG)])
    assert view.message_actions.focus_id == 2
    for _ in range(BLOCKS):
        qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert focused_code(view) == f"block_{BLOCKS - 1} = {BLOCKS - 1}\n"
    view.rows.get(2).render.body.sealed[0].drop()  # type: ignore[union-attr]  # far: dropped
    for n in range(BLOCKS - 2, -1, -1):
        qtbot.keyClick(view, Qt.Key.Key_Backtab)
        assert focused_code(view) == f"block_{n} = {n}\n"
        assert focused_on_screen(view)
    assert "Code block 1 of 80" in view.code_focus.words(2)
    qtbot.keyClick(view, Qt.Key.Key_Backtab)
    assert view.code_focus.stop() is None and QApplication.focusWidget() is view


def test_tab_reaches_the_blocks_of_a_streaming_reply_and_its_open_tail(qtbot: Any) -> None:
    _window, view, _after = window_around(qtbot, [msg(1, "user", "Stream code"),
                                         msg(2, "assistant", "", state="streaming")])
    live = LiveStream(conversation_id=1, message_id=2)
    live.reply.apply(ContentDelta("One:\n\n```sh\necho one\n```\n\nTwo:\n\n```sh\necho two"))
    view.stream_from(2, live)
    view.flush()
    qtbot.waitUntil(lambda: not view.row_geometry.pump.busy)
    assert view.message_actions.focus_id == 2
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert focused_code(view) == "echo one\n"
    with qtbot.waitSignal(view.input.code_blocks.copied, timeout=2000):
        qtbot.keyClick(view, Qt.Key.Key_C)
    assert QGuiApplication.clipboard().text() == "echo one"
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert focused_code(view).startswith("echo two")  # still open: the tail's block
    state = view.code_focus.current
    live.reply.apply(ContentDelta("\n```\n\nThree:\n\n```sh\necho three\n```\n"))
    view.stream_from(2, live)
    view.flush()
    qtbot.waitUntil(lambda: not view.row_geometry.pump.busy)
    assert view.code_focus.current is state  # the block kept the keyboard as it grew
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert focused_code(view) == "echo three\n"
    assert "Code block 3 of 3" in view.code_focus.words(2)
