"""Issue 12's scenario on the real window against the loopback server: nothing is destroyed.

Send; stop the server and Regenerate (it fails, the first reply stays and is shown); start
the server and Regenerate again; switch with ‹ ›; edit an earlier message (the draft in the
composer survives); restart on the same data; the same branch is shown, with model names.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from desktopchat.settings import WindowStateStore
from desktopchat.storage.store import HistoryStore
from desktopchat.ui.main_window import MainWindow
from tests.support.loopback import LoopbackServer, ScriptedResponse
from tests.support.qt_loop import ChatEnv, QtLoop, wait_signal
from tests.support.sse_script import chat_chunk, sse_body

MODEL = "m-special"  # picked in the toolbar for this chat only


def answer(text: str) -> ScriptedResponse:
    usage = chat_chunk(usage={"prompt_tokens": 7, "completion_tokens": 2})
    usage["choices"] = []
    return ScriptedResponse(pieces=[
        sse_body(chat_chunk(text), done=False), sse_body(chat_chunk(finish="stop"), done=False),
        sse_body(usage)])


async def final_reply(window: Any) -> Any:
    _, message = await wait_signal(window.controller.message_updated, timeout=20,
                                   check=lambda c, m: m.role == "assistant"
                                   and m.state != "streaming")
    return message


def shown(window: Any) -> list[tuple[int, str, tuple[int, int] | None]]:
    view = window.chat_view
    return [(i, view.item(i).content, view.item(i).versions) for i in view.message_ids()]


def test_versions_survive_failure_switching_editing_and_restart(
    chat_window: Any, chat_env: ChatEnv, qasync_loop: QtLoop, qtbot: Any
) -> None:
    window, view = chat_window, chat_window.chat_view
    window.toolbar.model_combo.setEditText(MODEL)
    window.toolbar._edited()  # the toolbar change applies to this chat only
    port = chat_env.server.port
    restarted: list[LoopbackServer] = []

    async def scenario() -> dict[str, Any]:
        got: dict[str, Any] = {}
        # 1. Send a message.
        chat_env.server.enqueue(answer("first answer"))
        window.composer.set_text("hello")
        qtbot.keyClick(window.composer.editor, Qt.Key.Key_Return)
        got["first"] = await final_reply(window)
        # 2. Stop the server and Regenerate: the attempt fails, the first reply stays shown.
        chat_env.server.close()
        view.activate_anchor(got["first"].id, "dc:regenerate", [])
        got["failed"] = await final_reply(window)
        got["after_failure"] = shown(window)
        # 3. Start the server (same address) and Regenerate again.
        server = LoopbackServer(port=port)
        restarted.append(server)
        server.enqueue(answer("second answer"))
        view.activate_anchor(got["first"].id, "dc:regenerate", [])
        got["second"] = await final_reply(window)
        got["after_second"] = shown(window)
        # 4. Switch with ‹ › (back to the first answer, then forward one).
        view.activate_anchor(got["second"].id, "dc:previous-version", [])
        view.activate_anchor(got["failed"].id, "dc:previous-version", [])
        got["after_back"] = shown(window)
        view.activate_anchor(got["first"].id, "dc:next-version", [])
        view.activate_anchor(got["failed"].id, "dc:next-version", [])
        # 5. Edit the earlier (first) message; the unsent draft comes back afterwards.
        window.composer.set_text("an unsent draft")
        user_id = view.message_ids()[0]
        view.activate_anchor(user_id, "dc:edit", [])
        got["editing_text"] = window.composer.text
        server.enqueue(answer("answer to the edit"))
        window.composer.set_text("hello, edited")
        qtbot.keyClick(window.composer.editor, Qt.Key.Key_Return)
        got["edited_reply"] = await final_reply(window)
        got["draft_after_edit"] = window.composer.text
        got["before_restart"] = shown(window)
        return got

    try:
        got = qasync_loop.run(scenario())
    finally:
        for server in restarted:
            server.close()
    first, failed, second = got["first"], got["failed"], got["second"]
    assert first.content == "first answer" and first.model == MODEL
    # The failed attempt is a version of its own; the first reply is intact and shown.
    assert failed.state == "error" and failed.content == ""
    assert got["after_failure"][1] == (first.id, "first answer", (1, 2))
    store = chat_env.store
    assert [(m.id, m.state) for m in store.siblings(first.id)] == [
        (first.id, "complete"), (failed.id, "error"), (second.id, "complete")]
    assert got["after_second"][1] == (second.id, "second answer", (3, 3))
    assert got["after_back"][1] == (first.id, "first answer", (1, 3))
    # Editing restored the draft and added a version of the question with its own answer.
    assert got["editing_text"] == "hello"
    assert got["draft_after_edit"] == "an unsent draft"
    before = got["before_restart"]
    assert [(text, versions) for _, text, versions in before] == [
        ("hello, edited", (2, 2)), ("answer to the edit", None)]
    assert [m.content for m in store.siblings(before[0][0])] == ["hello", "hello, edited"]
    conversation_id = window.controller.current_id
    assert window.branches.tokens.text() == "This chat: 21 in / 6 out tokens"

    # 6. Restart: a new store, controller and window on the same data folder.
    qasync_loop.run(window.controller.aclose())  # as the app's shutdown does
    window.close()
    chat_env.store.close()
    chat_env.store = HistoryStore.open(chat_env.tmp_path / "history.sqlite3")
    controller = chat_env.controller()
    again = MainWindow(controller, settings_store=chat_env.settings_store,
                       window_state=WindowStateStore(chat_env.tmp_path / "window.json"))
    qtbot.addWidget(again)
    assert again.toolbar.model_combo.currentText() == "m1"  # a new chat: the default
    again.open_conversation(conversation_id)
    assert shown(again) == before
    assert again.toolbar.model_combo.currentText() == MODEL  # the chat's own model
    reply_id = before[1][0]
    assert again.chat_view.item(reply_id).model == MODEL
    assert MODEL in again.chat_view.rendered_html(reply_id)
    assert "7 in / 2 out tokens" in again.chat_view.rendered_html(reply_id)
    # The profile's saved settings were never rewritten by the toolbar.
    assert chat_env.settings_store.load().settings.profile("local").model == "m1"


def test_delete_a_version_then_undo_and_cancel_an_edit(
    chat_window: Any, chat_env: ChatEnv, qasync_loop: QtLoop, qtbot: Any
) -> None:
    window, view, store = chat_window, chat_window.chat_view, chat_env.store

    async def scenario() -> tuple[Any, Any]:
        chat_env.server.enqueue(answer("one"))
        window.composer.set_text("q")
        qtbot.keyClick(window.composer.editor, Qt.Key.Key_Return)
        first = await final_reply(window)
        chat_env.server.enqueue(answer("two"))
        view.activate_anchor(first.id, "dc:regenerate", [])
        return first, await final_reply(window)

    first, second = qasync_loop.run(scenario())
    assert shown(window)[1] == (second.id, "two", (2, 2))
    # Delete is a hover button now (issue 17), named for what it deletes.
    view.message_actions.bar.show_for(view.item(second.id))
    assert "Delete this version" in view.message_actions.bar.delete.toolTip()
    view.activate_anchor(second.id, "dc:delete", [])
    assert shown(window)[1] == (first.id, "one", None)  # the other version is shown
    assert window.branches.undo.isVisibleTo(window)
    window.branches.undo.click()
    restored = shown(window)[1]
    assert restored[1:] == ("two", (2, 2))
    assert [m.content for m in store.siblings(first.id)] == ["one", "two"]
    # Cancel an edit: the composer gets its draft back, nothing is sent or stored.
    window.composer.set_text("half-typed")
    user_id = view.message_ids()[0]
    view.activate_anchor(user_id, "dc:edit", [])
    assert window.composer.text == "q"
    qtbot.keyClick(window.composer.editor, Qt.Key.Key_Escape)
    assert window.composer.text == "half-typed"
    assert store.count_messages(window.controller.current_id) == 3
    qasync_loop.run(window.controller.aclose())
