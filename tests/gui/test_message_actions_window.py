"""Issue 17 on the real window, loopback server and SQLite: the hover buttons edit, regenerate,
delete (with Undo) and continue; a stopped reply's two choices do different things; a
tool-call-only stream says what it called."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.gui.test_chat_window import final_assistant, reply_pieces, type_and_send
from tests.gui.test_message_actions import hover
from tests.gui.test_tree_window import answer, final_reply, shown
from tests.support.loopback import ScriptedResponse, chat_chunk
from tests.support.qt_loop import ChatEnv, QtLoop, wait_until
from tests.support.sse_script import sse_pieces


def click(window: Any, qtbot: Any, message_id: int, action: str) -> None:
    """Point at the message, wait for its bar, press the button."""
    point_at(window, qtbot, message_id)
    press(window, action)


def point_at(window: Any, qtbot: Any, message_id: int) -> None:
    """Hover the message until its bar shows. Outside any task: the pointer's events are
    processed here, and inside a task that would step other tasks within it."""
    bar = window.chat_view.message_actions.bar
    hover(window.chat_view, message_id)
    qtbot.waitUntil(lambda: bar.isVisible() and bar.message_id == message_id)


def press(window: Any, action: str) -> None:
    button = window.chat_view.message_actions.bar.buttons[action]
    assert button.isVisible() and button.isEnabled()
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def test_edit_regenerate_delete_and_undo_from_the_buttons(
        chat_window: Any, chat_env: ChatEnv, qasync_loop: QtLoop, qtbot: Any) -> None:
    window, store = chat_window, chat_env.store

    async def first_turn() -> Any:
        chat_env.server.enqueue(answer("one"))
        type_and_send(window, qtbot, "question")
        return await final_reply(window)

    first = qasync_loop.run(first_turn())
    user_id = window.chat_view.message_ids()[0]
    # Edit: the message comes back into the composer as a draft to change.
    click(window, qtbot, user_id, "edit")
    assert window.composer.text == "question"
    window.composer.cancel_editing()

    async def regenerate() -> Any:
        chat_env.server.enqueue(answer("two"))
        press(window, "regenerate")
        return await final_reply(window)

    point_at(window, qtbot, first.id)
    second = qasync_loop.run(regenerate())
    assert second.id != first.id and second.parent_id == first.parent_id  # a sibling
    assert shown(window)[1] == (second.id, "two", (2, 2))
    click(window, qtbot, second.id, "previous-version")
    assert shown(window)[1] == (first.id, "one", (1, 2))
    click(window, qtbot, first.id, "delete")
    assert shown(window)[1] == (second.id, "two", None)
    assert [m.content for m in store.siblings(second.id)] == ["two"]
    assert window.branches.undo.isVisibleTo(window)
    window.branches.undo.click()
    assert sorted(m.content for m in store.siblings(second.id)) == ["one", "two"]
    qasync_loop.run(window.controller.aclose())


def test_a_stopped_reply_continues_in_place_or_regenerates_beside_it(
        chat_window: Any, chat_env: ChatEnv, qasync_loop: QtLoop, qtbot: Any) -> None:
    """Defect 10: Continue extends the same reply; Regenerate adds a version."""
    window, store = chat_window, chat_env.store
    chat_env.server.enqueue(ScriptedResponse(
        pieces=reply_pieces("Once ", "upon", "never"), stall_after=2))

    async def stopped() -> Any:
        type_and_send(window, qtbot, "a story")
        await wait_until(lambda: "Once upon" in window.chat_view.last_reply_text())
        window.controller.stop()
        _, final = await final_assistant(window)
        return final

    halted = qasync_loop.run(stopped())
    assert halted.state == "stopped"
    assert "dc:continue" in window.chat_view.rendered_html(halted.id)

    async def resume() -> Any:
        chat_env.server.enqueue(ScriptedResponse(pieces=reply_pieces(" a time.")))
        press(window, "continue")
        return await final_reply(window)

    point_at(window, qtbot, halted.id)
    continued = qasync_loop.run(resume())
    assert continued.id == halted.id and continued.content == "Once upon a time."
    assert len(store.siblings(halted.id)) == 1  # the same reply, no new version

    async def again() -> Any:
        chat_env.server.enqueue(answer("A new story."))
        press(window, "regenerate")
        return await final_reply(window)

    point_at(window, qtbot, halted.id)
    fresh = qasync_loop.run(again())
    assert fresh.id != halted.id
    assert [m.content for m in store.siblings(halted.id)] == ["Once upon a time.",
                                                              "A new story."]
    qasync_loop.run(window.controller.aclose())


def test_a_tool_call_only_stream_says_what_it_called(
        chat_window: Any, chat_env: ChatEnv, qasync_loop: QtLoop, qtbot: Any) -> None:
    """Defect 6, through the wire: no text, a call, finish "stop"."""
    call = {"index": 0, "id": "call_1", "type": "function",
            "function": {"name": "add", "arguments": '{"a": 2, "b": 3}'}}
    chat_env.server.enqueue(ScriptedResponse(pieces=sse_pieces(
        chat_chunk(tool_calls=[call]), chat_chunk(finish="stop"))))

    async def scenario() -> Any:
        type_and_send(window := chat_window, qtbot, "add 2 and 3")
        return await final_reply(window)

    final = qasync_loop.run(scenario())
    assert final.content == "" and final.tool_calls
    html = chat_window.chat_view.rendered_html(final.id)
    assert "Called add(a: 2, b: 3)" in html
    qasync_loop.run(chat_window.controller.aclose())
