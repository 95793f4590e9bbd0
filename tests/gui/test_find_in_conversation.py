"""Find in conversation (Ctrl+F) through the real window, with history in real SQLite files:
the count, next/previous with wrap-around, walking into older pages, hits in reasoning and
tool calls, and Esc that closes the bar without stopping a live reply."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui.test_chat_window import final_assistant, reply_pieces, type_and_send
from tests.support.loopback import ScriptedResponse
from tests.support.qt_loop import ChatEnv, QtLoop, wait_until

SHIFT = Qt.KeyboardModifier.ShiftModifier


def store_messages(env: ChatEnv, texts: list[str], *, reasoning: dict[int, str] | None = None,
                   tool_calls: dict[int, list[Any]] | None = None) -> tuple[int, list[int]]:
    """Alternating user / assistant messages (even indexes are the user's)."""
    conversation = env.store.create_conversation(title="Findable")
    ids = []
    for n, text in enumerate(texts):
        if n % 2 == 0:
            ids.append(env.store.add_user_message(conversation.id, text).id)
            continue
        reply = env.store.start_assistant_message(conversation.id)
        env.store.finish_assistant_message(
            reply.id, state="complete", content=text, reasoning=(reasoning or {}).get(n, ""),
            tool_calls=(tool_calls or {}).get(n))
        ids.append(reply.id)
    return conversation.id, ids


def find(window: Any, qtbot: Any, query: str) -> Any:
    qtbot.keyClick(window.chat_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = window.chat_find.bar
    assert bar.isVisible() and QApplication.focusWidget() is bar.field
    qtbot.keyClicks(bar.field, query)
    qtbot.waitUntil(lambda: not window.chat_find.session.scanning, timeout=10000)
    return bar


def current(window: Any) -> Any:
    session = window.chat_find.session
    return session.match(session.current)


def shown_current(window: Any, message_id: int) -> bool:
    """The current match is marked in that message's painted parts."""
    item = window.chat_view.item(message_id)
    return item is not None and any(
        is_current for _, _, is_current in window.chat_view.find_marks.marks_for(item))


def test_find_counts_matches_and_walks_them_with_wrap_around(
        chat_window: Any, chat_env: ChatEnv, qtbot: Any) -> None:
    texts = ["where is the Needle?", "A needle, and another NEEDLE.", "nothing here",
             "no match", "one more needle", "last words"]
    cid, ids = store_messages(chat_env, texts)
    chat_window.open_conversation(cid)
    view = chat_window.chat_view
    bar = find(chat_window, qtbot, "needle")
    # Case-insensitive, over all messages; the first match at the top of the screen.
    assert bar.count.text() == "1 of 4"
    assert current(chat_window).message_id == ids[0] and shown_current(chat_window, ids[0])
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert bar.count.text() == "2 of 4" and current(chat_window).message_id == ids[1]
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert bar.count.text() == "3 of 4" and current(chat_window).occurrence == 1
    assert shown_current(chat_window, ids[1])
    bar.next_button.click()
    assert bar.count.text() == "4 of 4" and current(chat_window).message_id == ids[4]
    qtbot.keyClick(bar.field, Qt.Key.Key_F3)
    assert bar.count.text() == "1 of 4"  # wrapped to the first
    qtbot.keyClick(bar.field, Qt.Key.Key_Return, SHIFT)
    assert bar.count.text() == "4 of 4"  # and back
    bar.previous_button.click()
    qtbot.keyClick(view, Qt.Key.Key_F3, SHIFT)
    assert bar.count.text() == "2 of 4"
    # Every match on screen is marked; one of them is the current one.
    marks = [m for i in ids if (item := view.item(i)) for m in view.find_marks.marks_for(item)]
    assert len(marks) == 4 and sum(is_current for _, _, is_current in marks) == 1
    view.grab()
    bar.field.setText("absent words")
    qtbot.waitUntil(lambda: not chat_window.chat_find.session.scanning, timeout=10000)
    assert bar.count.text() == "No matches"


def test_find_walks_into_older_pages_loading_them(chat_window: Any, chat_env: ChatEnv,
                                                  qtbot: Any) -> None:
    texts = [f"filler message {n}" for n in range(260)]  # three pages of 100
    for n in (5, 190, 258):
        texts[n] = f"message {n} holds the marker word"
    cid, ids = store_messages(chat_env, texts)
    chat_window.open_conversation(cid)
    view = chat_window.chat_view
    assert view.item(ids[5]) is None and view.item(ids[190]) is not None and view.has_older
    bar = find(chat_window, qtbot, "MARKER")
    # Counted over the whole chat, older pages read from storage but not loaded yet.
    assert bar.count.text() == "3 of 3" and current(chat_window).message_id == ids[258]
    assert view.item(ids[5]) is None
    qtbot.keyClick(bar.field, Qt.Key.Key_Return, SHIFT)
    assert bar.count.text() == "2 of 3"
    qtbot.waitUntil(lambda: shown_current(chat_window, ids[190]), timeout=10000)
    qtbot.keyClick(bar.field, Qt.Key.Key_Return, SHIFT)
    assert bar.count.text() == "1 of 3"
    qtbot.waitUntil(lambda: shown_current(chat_window, ids[5]), timeout=10000)  # paged in
    assert not view.has_older
    index = view.rows.index_of(ids[5])
    top = view.rows.top(index) - view.verticalScrollBar().value()
    assert 0 <= top < view.viewport().height()  # scrolled to it
    qtbot.keyClick(bar.field, Qt.Key.Key_Return, SHIFT)
    assert bar.count.text() == "3 of 3"  # wrapped back to the newest
    qtbot.waitUntil(lambda: shown_current(chat_window, ids[258]), timeout=10000)


def test_a_hit_in_a_collapsed_reasoning_section_opens_it_and_tool_calls_are_found(
        chat_window: Any, chat_env: ChatEnv, qtbot: Any) -> None:
    call = {"id": "c1", "type": "function",
            "function": {"name": "lookup", "arguments": '{"city": "Reykjavik"}'}}
    cid, ids = store_messages(
        chat_env, ["think about it", "The answer is short.", "and the weather?", "Let me look."],
        reasoning={1: "first the hidden clue, then the answer"}, tool_calls={3: [call]})
    chat_window.open_conversation(cid)
    view = chat_window.chat_view
    item = view.item(ids[1])
    assert not item.reasoning_open and not any(
        p.kind == "reasoning" for p in item.render.parts)  # collapsed after streaming
    bar = find(chat_window, qtbot, "hidden clue")
    assert bar.count.text() == "1 of 1"
    assert item.reasoning_open is True
    qtbot.waitUntil(lambda: shown_current(chat_window, ids[1]), timeout=10000)
    part = view.find_marks.current[0]
    assert part.kind == "reasoning" and part in item.render.parts
    bar.field.setText("reykjavik")
    qtbot.waitUntil(lambda: not chat_window.chat_find.session.scanning, timeout=10000)
    assert bar.count.text() == "1 of 1" and current(chat_window).section == "tools"
    qtbot.waitUntil(lambda: shown_current(chat_window, ids[3]), timeout=10000)
    assert view.find_marks.current[0].kind == "tools"


def test_esc_closes_the_find_bar_and_leaves_the_reply_streaming(
        chat_window: Any, chat_env: ChatEnv, qasync_loop: QtLoop, qtbot: Any) -> None:
    chat_env.server.enqueue(ScriptedResponse(
        pieces=reply_pieces("partial ", "text", "never"), stall_after=2))

    async def scenario() -> Any:
        type_and_send(chat_window, qtbot, "go")
        await wait_until(lambda: "partial text" in chat_window.chat_view.last_reply_text())
        chat_window.activateWindow()
        chat_window.chat_find.open()
        bar = chat_window.chat_find.bar
        qtbot.keyClicks(bar.field, "partial")
        await wait_until(lambda: bar.count.text() == "1 of 1")
        qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
        assert not bar.isVisible() and not chat_window.chat_view.find_marks.query
        assert chat_window.controller.is_streaming(chat_window.controller.current_id)
        assert QApplication.focusWidget() is chat_window.composer.editor
        # Esc from the composer is still the Stop shortcut.
        qtbot.keyClick(chat_window.composer.editor, Qt.Key.Key_Escape)
        _, final = await final_assistant(chat_window)
        return final

    final = qasync_loop.run(scenario())
    assert final.state == "stopped" and final.content == "partial text"
