"""One owner for conversation changes: the history panel asks, the controller's owner acts."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from tests.gui.test_chat_window import type_and_send
from tests.support.loopback import ScriptedResponse
from tests.support.qt_loop import ChatEnv, QtLoop, wait_until
from tests.support.sse_script import text_pieces


def test_deleting_a_conversation_while_its_reply_streams_stops_it_first(
        chat_window: Any, chat_env: ChatEnv, qasync_loop: QtLoop, qtbot: Any,
        caplog: pytest.LogCaptureFixture) -> None:
    store, controller, panel = chat_env.store, chat_window.controller, chat_window.history_panel
    keep = store.create_conversation(title="keep me")
    store.add_user_message(keep.id, "an older question")
    panel.refresh()
    response = ScriptedResponse(pieces=text_pieces("first words ", "never shown"),
                                hold_after=1)
    chat_env.server.enqueue(response)
    problems: list[str] = []
    controller.problem_reported.connect(problems.append)
    deleted: list[int] = []
    panel.conversation_deleted.connect(deleted.append)

    async def scenario() -> int:
        type_and_send(chat_window, qtbot, "a question I will delete")
        doomed = controller.current_id
        await wait_until(lambda: "first words" in chat_window.chat_view.last_reply_text())
        assert controller.is_streaming(doomed)
        menu = panel.build_context_menu(panel.model.index(panel.model.row_of(doomed), 0))
        next(act for act in menu.actions() if act.text() == "Delete").trigger()
        assert controller.is_streaming(doomed)  # the undo period: nothing is final yet
        panel.commit_pending_deletes()
        await wait_until(lambda: deleted == [doomed] and not controller.is_streaming())
        return doomed

    with caplog.at_level(logging.WARNING):
        doomed = qasync_loop.run(scenario())
    response.release.set()
    assert problems == []
    assert not [r for r in caplog.records if "does not exist" in r.getMessage()]
    assert chat_window.problem_box is None
    assert not controller.is_streaming()
    assert [c.id for c in store.list_conversations()] == [keep.id]
    assert [m.content for m in store.messages(keep.id)] == ["an older question"]
    assert controller.current_id == -1 and chat_window.chat_view.message_ids() == []
    assert panel.model.row_of(doomed) == -1 and panel.model.row_of(keep.id) >= 0


def test_rename_and_pin_failures_are_reported_and_change_nothing(
        chat_window: Any, chat_env: ChatEnv) -> None:
    store, panel = chat_env.store, chat_window.history_panel
    conv = store.create_conversation(title="stays")
    panel.refresh()
    assert not chat_window.controller.conversations.rename(conv.id, "   ")
    assert store.get_conversation(conv.id).title == "stays"
    missing = conv.id + 100
    assert not chat_window.controller.conversations.set_pinned(missing, True)
    assert panel.problem.isVisibleTo(panel)
    assert panel.problem.text() == f"History problem: Conversation {missing} does not exist."
