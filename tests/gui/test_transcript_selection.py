"""Selecting across blocks and messages in the real window, with history in a real SQLite
file: Copy gives the text as shown, Ctrl+Shift+C the Markdown, Ctrl+A the conversation."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication

from desktopchat.ui.message_render import PAD
from tests.gui.test_chat_window import final_assistant, reply_pieces, type_and_send
from tests.support.loopback import ScriptedResponse
from tests.support.qt_loop import ChatEnv, QtLoop, wait_until

QUESTION = "Why do tides happen twice a day?"
ANSWER = ("**Tides** follow the `moon`, mostly.\n\n"
          "- the near side is pulled\n- the far side lags\n\n"
          "Second paragraph ends here.")
# Long enough to be rendered as two documents (chunks): the drag must cross between them.
FILLER = "The sea rises and falls. " * 110
LONG_ANSWER = ANSWER.replace("\n\n- the", f"\n\n{FILLER}\n\n- the", 1)


def store_chat(env: ChatEnv, pairs: list[tuple[str, str]]) -> tuple[int, list[int]]:
    conversation = env.store.create_conversation(title="Tides")
    ids = []
    for question, answer in pairs:
        ids.append(env.store.add_user_message(conversation.id, question).id)
        reply = env.store.start_assistant_message(conversation.id)
        env.store.finish_assistant_message(reply.id, state="complete", content=answer)
        ids.append(reply.id)
    return conversation.id, ids


def point_of(view: Any, message_id: int, text: str, *, after: bool = False) -> QPoint:
    """The viewport point at the start (or end) of `text` in a message as painted."""
    index = view.rows.index_of(message_id)
    item = view.rows.items[index]
    for part in item.render.parts:
        cursor = part.doc.find(text) if part.doc is not None else None
        if cursor is None or cursor.isNull():
            continue
        position = cursor.selectionEnd() if after else cursor.selectionStart()
        block = part.doc.findBlock(position)
        line = block.layout().lineForTextPosition(position - block.position())
        x = line.cursorToX(position - block.position())
        x = x[0] if isinstance(x, tuple) else x
        box = part.doc.documentLayout().blockBoundingRect(block)
        top = view.rows.top(index) - view.verticalScrollBar().value()
        return QPoint(int(view.row_geometry.card_x(item) + PAD + box.left() + x),
                      int(top + part.y + box.top() + line.y() + line.height() / 2))
    raise AssertionError(f"{text!r} is not painted in message {message_id}")


def drag(qtbot: Any, view: Any, start: QPoint, end: QPoint) -> None:
    vp = view.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(vp, QPoint((start.x() + end.x()) // 2, (start.y() + end.y()) // 2))
    qtbot.mouseMove(vp, end)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=end)


def open_chat(window: Any, env: ChatEnv, pairs: list[tuple[str, str]],
              qtbot: Any) -> tuple[Any, list[int]]:
    cid, ids = store_chat(env, pairs)
    window.open_conversation(cid)
    view = window.chat_view
    view.scroll_to_bottom()
    qtbot.waitUntil(lambda: not view.row_geometry.pump.busy, timeout=10000)
    return view, ids


def test_a_drag_from_one_message_into_the_next_copies_both_texts(
        chat_window: Any, chat_env: ChatEnv, qtbot: Any) -> None:
    chat_window.resize(1000, 1400)
    view, ids = open_chat(chat_window, chat_env, [(QUESTION, LONG_ANSWER)], qtbot)
    assert len([p for p in view.rows.items[1].render.parts if p.kind == "body"]) >= 2
    drag(qtbot, view, point_of(view, ids[0], "Why"), point_of(view, ids[1], "ends", after=True))
    text = view.selected_text()
    # Both messages, in order, as shown (no Markdown marks), and none of the chrome.
    assert text.startswith(QUESTION)
    assert "Tides follow the moon, mostly." in text and "the far side lags" in text
    assert text.endswith("Second paragraph ends")
    assert text.index(QUESTION) < text.index("Tides follow")
    assert "Assistant" not in text and "Copy" not in text and "**" not in text
    # The selection is painted in both messages, across the answer's blocks.
    assert view.input.selection_for(ids[0]) and len(view.input.selection_for(ids[1])) >= 2
    view.grab()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == text


def test_ctrl_shift_c_copies_the_markdown_of_the_selection(
        chat_window: Any, chat_env: ChatEnv, qtbot: Any) -> None:
    pairs = [(QUESTION, ANSWER), ("Thanks", "You're **welcome**.")]
    view, ids = open_chat(chat_window, chat_env, pairs, qtbot)
    markdown = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    # From the question into the whole answer: the question, then the answer's source.
    drag(qtbot, view, point_of(view, ids[0], "Why"), point_of(view, ids[1], "here.", after=True))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_C, markdown)
    assert QGuiApplication.clipboard().text() == QUESTION + "\n\n" + ANSWER
    # Part of one message: the source of the selected words, marks included.
    drag(qtbot, view, point_of(view, ids[1], "Tides"), point_of(view, ids[1], "moon", after=True))
    assert view.selected_text() == "Tides follow the moon"
    qtbot.keyClick(view, Qt.Key.Key_C, markdown)
    assert QGuiApplication.clipboard().text() == "**Tides** follow the `moon`"
    # With nothing selected, Ctrl+Shift+C is still the window's Copy last reply.
    click = point_of(view, ids[1], "Tides")
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=click)
    assert view.selected_text() == ""
    qtbot.keyClick(view, Qt.Key.Key_C, markdown)
    assert QGuiApplication.clipboard().text() == "You're **welcome**."


def test_ctrl_a_selects_the_conversation(chat_window: Any, chat_env: ChatEnv,
                                         qtbot: Any) -> None:
    pairs = [(f"question {i}", f"answer {i} *done*") for i in range(30)]
    view, _ = open_chat(chat_window, chat_env, pairs, qtbot)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    text = view.selected_text()
    # Rows never laid out (far above the screen) give their text too.
    assert text.startswith("question 0\n\nanswer 0") and text.endswith("answer 29 done")
    assert text.count("question ") == 30
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert QGuiApplication.clipboard().text().endswith("question 29\n\nanswer 29 *done*")


def test_the_selection_stays_while_a_reply_streams_and_older_pages_load(
        chat_window: Any, chat_env: ChatEnv, qasync_loop: QtLoop, qtbot: Any) -> None:
    pairs = [(f"question {i}", f"answer {i}") for i in range(60)]  # 120 messages: two pages
    pairs[-1] = (QUESTION, ANSWER)
    view, ids = open_chat(chat_window, chat_env, pairs, qtbot)
    assert view.has_older
    response = ScriptedResponse(pieces=reply_pieces("Streaming ", "more ", "text"),
                                delay=0.02, hold_after=1)
    chat_env.server.enqueue(response)
    drag(qtbot, view, point_of(view, ids[-2], "tides"), point_of(view, ids[-1], "mostly"))
    chosen = view.selected_text()
    assert chosen == "tides happen twice a day?\n\nTides follow the moon,"

    async def scenario() -> Any:
        type_and_send(chat_window, qtbot, "go on")
        _, mid, _ = await wait_until_stream(chat_window)
        await wait_until(lambda: "Streaming" in (view.item(mid).content or ""))
        view.flush()
        assert view.selected_text() == chosen
        response.release.set()
        return await final_assistant(chat_window)

    qasync_loop.run(scenario())
    view.flush()
    assert view.selected_text() == chosen
    before = len(view.message_ids())
    chat_window._load_older()  # an older page arrives above the selection
    assert len(view.message_ids()) > before
    assert view.selected_text() == chosen
    view.grab()


async def wait_until_stream(window: Any) -> Any:
    from tests.support.qt_loop import wait_signal

    return await wait_signal(window.controller.stream_progressed)
