"""The chat window end to end: real widgets, real loopback server, real SQLite."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.support.loopback import ScriptedResponse
from tests.support.qt_loop import ChatEnv, QtLoop, wait_signal, wait_until
from tests.support.sse_script import chat_chunk, sse_pieces, text_pieces

reply_pieces = text_pieces  # the name test_lookfeel_defects.py imports from here


def type_and_send(window: Any, qtbot: Any, text: str) -> None:
    window.composer.editor.setFocus()
    window.composer.set_text(text)
    qtbot.keyClick(window.composer.editor, Qt.Key.Key_Return)


def final_assistant(window: Any) -> Any:
    return wait_signal(window.controller.message_updated, timeout=20,
                       check=lambda c, m: m.role == "assistant")


def test_type_send_stream_render_store(chat_window: Any, chat_env: ChatEnv,
                                       qasync_loop: QtLoop, qtbot: Any) -> None:
    # The rest of the reply waits until the live state was checked: with only a delay, a
    # loaded machine could finish the stream before the coalesced view update showed up.
    response = ScriptedResponse(pieces=text_pieces("The **answer** ", "is ", "`42`."),
                                hold_after=1)
    chat_env.server.enqueue(response)
    view = chat_window.chat_view

    async def scenario() -> Any:
        type_and_send(chat_window, qtbot, "What is the answer?")
        assert chat_window.composer.text == ""
        assert chat_window.composer.button.text() == "Stop"
        _, mid, _reply = await wait_signal(chat_window.controller.stream_progressed)
        await wait_until(lambda: "The **answer**" in (view.item(mid).content or ""))
        assert view.item(mid).streaming
        response.release.set()
        _, final = await final_assistant(chat_window)
        return final

    final = qasync_loop.run(scenario())
    assert final.content == "The **answer** is `42`." and final.state == "complete"
    html = view.rendered_html(final.id)
    assert "answer" in html and "42" in html and "font-weight" in html  # bold rendered
    assert "finish: stop" in html
    assert chat_window.composer.button.text() == "Send"
    stored = chat_env.store.messages(chat_window.controller.current_id)
    assert [m.content for m in stored] == ["What is the answer?", "The **answer** is `42`."]
    chat_window.grab()  # paints without errors


def test_stop_mid_stream_keeps_partial(chat_window: Any, chat_env: ChatEnv,
                                       qasync_loop: QtLoop, qtbot: Any) -> None:
    chat_env.server.enqueue(ScriptedResponse(
        pieces=text_pieces("partial ", "text", "never"), stall_after=2))

    async def scenario() -> Any:
        type_and_send(chat_window, qtbot, "go")
        await wait_until(lambda: "partial text" in chat_window.chat_view.last_reply_text())
        qtbot.keyClick(chat_window, Qt.Key.Key_Escape)
        _, final = await final_assistant(chat_window)
        return final

    final = qasync_loop.run(scenario())
    assert final.state == "stopped" and final.content == "partial text"
    assert chat_env.store.message(final.id).state == "stopped"
    assert "Stopped" in chat_window.chat_view.rendered_html(final.id)


def test_401_shows_error_card_and_retry_works(chat_window: Any, chat_env: ChatEnv,
                                              qasync_loop: QtLoop, qtbot: Any) -> None:
    body = b'{"error": {"message": "Invalid API key provided", "type": "auth"}}'
    chat_env.server.enqueue(ScriptedResponse(
        status=401, headers={"Content-Type": "application/json"}, pieces=[body]))
    view = chat_window.chat_view

    async def scenario() -> tuple[Any, Any]:
        type_and_send(chat_window, qtbot, "hello")
        _, failed = await final_assistant(chat_window)
        chat_env.server.enqueue(ScriptedResponse(pieces=text_pieces("Welcome back")))
        view.activate_anchor(failed.id, "dc:retry", [])
        _, good = await final_assistant(chat_window)
        return failed, good

    failed, good = qasync_loop.run(scenario())
    assert failed.state == "error" and "Invalid API key provided" in (failed.error or "")
    assert len(view.message_ids()) == 2  # the failed reply made way for the retry
    assert view.item(good.id).state == "complete"
    assert good.state == "complete" and good.content == "Welcome back"
    shown = chat_env.store.current_path(chat_window.controller.current_id)
    assert [(m.role, m.state) for m in shown] == [("user", "complete"), ("assistant", "complete")]
    # The failed attempt is kept as the other version of the reply.
    assert [m.state for m in chat_env.store.siblings(good.id)] == ["error", "complete"]


def test_drop_mid_stream_keeps_partial_under_error_card(chat_window: Any, chat_env: ChatEnv,
                                                        qasync_loop: QtLoop, qtbot: Any) -> None:
    chat_env.server.enqueue(ScriptedResponse(
        pieces=text_pieces("half ", "a reply", "lost"), drop_after=2))
    view = chat_window.chat_view

    async def scenario() -> Any:
        type_and_send(chat_window, qtbot, "tell me")
        _, failed = await final_assistant(chat_window)
        return failed

    failed = qasync_loop.run(scenario())
    assert failed.state in ("error", "interrupted") and failed.content == "half a reply"
    html = view.rendered_html(failed.id)
    assert "half a reply" in html and "Retry" in html
    chat_env.server.enqueue(ScriptedResponse(pieces=text_pieces("whole reply")))

    async def retry() -> Any:
        view.activate_anchor(failed.id, "dc:retry", [])
        _, good = await final_assistant(chat_window)
        return good

    assert qasync_loop.run(retry()).content == "whole reply"


def test_reasoning_and_tool_calls_render(chat_window: Any, chat_env: ChatEnv,
                                         qasync_loop: QtLoop, qtbot: Any) -> None:
    call = [{"index": 0, "id": "call_1", "type": "function",
             "function": {"name": "get_weather", "arguments": '{"city": '}}]
    more = [{"index": 0, "function": {"arguments": '"Paris"}'}}]
    response = ScriptedResponse(pieces=sse_pieces(
        chat_chunk(reasoning="Thinking about "), chat_chunk(reasoning="the weather."),
        chat_chunk(tool_calls=call), chat_chunk(tool_calls=more),
        chat_chunk(finish="tool_calls")), hold_after=1)
    chat_env.server.enqueue(response)
    view = chat_window.chat_view

    async def scenario() -> Any:
        type_and_send(chat_window, qtbot, "weather?")
        _, mid, _reply = await wait_signal(chat_window.controller.stream_progressed)
        await wait_until(lambda: "Thinking" in view.item(mid).reasoning)
        live = view.rendered_html(mid)
        assert "Thinking about" in live and "thinking…" in live  # open while streaming
        response.release.set()
        _, final = await final_assistant(chat_window)
        return final

    final = qasync_loop.run(scenario())
    html = view.rendered_html(final.id)
    assert "get_weather" in html and "&quot;city&quot;: &quot;Paris&quot;" in html
    assert "Reasoning" in html and "Thinking about" not in html  # collapsed when done
    view.activate_anchor(final.id, "dc:toggle-reasoning", [])
    assert "Thinking about the weather." in view.rendered_html(final.id)
    stored = chat_env.store.message(final.id)
    assert stored.tool_calls[0]["function"]["name"] == "get_weather"
    assert stored.reasoning == "Thinking about the weather."


def test_switching_conversations_keeps_streaming_and_saving(
        chat_window: Any, chat_env: ChatEnv, qasync_loop: QtLoop, qtbot: Any) -> None:
    # The reply waits after its first words until the other chat is open: it streams on.
    response = ScriptedResponse(pieces=text_pieces(*[f"w{i} " for i in range(12)]),
                                hold_after=1)
    chat_env.server.enqueue(response)
    controller = chat_window.controller

    async def scenario() -> tuple[int, Any]:
        type_and_send(chat_window, qtbot, "long story")
        first = controller.current_id
        await wait_signal(controller.stream_progressed)
        qtbot.keyClick(chat_window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        assert controller.current_id == -1 and chat_window.chat_view.message_ids() == []
        assert chat_window.composer.button.text() == "Send"
        response.release.set()
        _, final = await final_assistant(chat_window)
        return first, final

    first, final = qasync_loop.run(scenario())
    assert final.state == "complete" and final.content.startswith("w0 w1")
    assert chat_env.store.message(final.id).content == final.content
    chat_window.open_conversation(first)
    assert chat_window.chat_view.item(final.id).content == final.content


def test_reopening_a_streaming_conversation_shows_live_text(
        chat_window: Any, chat_env: ChatEnv, qasync_loop: QtLoop, qtbot: Any) -> None:
    response = ScriptedResponse(pieces=text_pieces("alpha ", "beta ", "gamma"), hold_after=1)
    chat_env.server.enqueue(response)
    controller = chat_window.controller

    async def scenario() -> Any:
        type_and_send(chat_window, qtbot, "abc")
        first = controller.current_id
        await wait_signal(controller.stream_progressed)
        chat_window.new_chat()
        chat_window.open_conversation(first)
        assert chat_window.composer.button.text() == "Stop"
        response.release.set()
        _, final = await final_assistant(chat_window)
        return final

    final = qasync_loop.run(scenario())
    assert chat_window.chat_view.item(final.id).content == "alpha beta gamma"


def test_closing_during_a_stream_asks_then_saves_stopped(
        chat_window: Any, chat_env: ChatEnv, qasync_loop: QtLoop, qtbot: Any) -> None:
    chat_env.server.enqueue(ScriptedResponse(pieces=text_pieces("some ", "words"),
                                             stall_after=2))

    async def scenario() -> None:
        type_and_send(chat_window, qtbot, "go on")
        await wait_until(lambda: "some words" in chat_window.chat_view.last_reply_text())
        assert not chat_window.close()  # asks first
        box = chat_window.close_box
        assert box is not None and box.isVisible()
        box.button(QMessageBox.StandardButton.Yes).click()
        await wait_until(lambda: not chat_window.isVisible())

    qasync_loop.run(scenario())
    stored = chat_env.store.messages(chat_window.controller.current_id)
    assert (stored[-1].state, stored[-1].content) == ("stopped", "some words")
    assert (chat_env.tmp_path / "window.json").exists()


def test_closing_during_a_stream_can_be_cancelled(
        chat_window: Any, chat_env: ChatEnv, qasync_loop: QtLoop, qtbot: Any) -> None:
    chat_env.server.enqueue(ScriptedResponse(pieces=text_pieces("x"), stall_after=1))

    async def scenario() -> None:
        type_and_send(chat_window, qtbot, "go")
        await wait_signal(chat_window.controller.stream_progressed)
        chat_window.close()
        chat_window.close_box.button(QMessageBox.StandardButton.No).click()
        assert chat_window.isVisible() and chat_window.controller.is_streaming()
        chat_window.controller.stop()
        await final_assistant(chat_window)

    qasync_loop.run(scenario())


def test_no_key_shows_the_composer_hint(chat_window: Any, chat_env: ChatEnv,
                                        qasync_loop: QtLoop, qtbot: Any) -> None:
    chat_env.secrets.delete_key("local")
    chat_window.apply_settings(chat_env.settings)
    type_and_send(chat_window, qtbot, "hello?")
    assert "needs an API key" in chat_window.composer.hint_text
    assert chat_window.composer.text == "hello?"  # nothing typed is lost
    assert chat_env.store.count_conversations() == 0 and chat_env.server.requests == []


def test_model_output_fetches_nothing_and_unsafe_links_do_nothing(
        chat_window: Any, chat_env: ChatEnv, qasync_loop: QtLoop, qtbot: Any) -> None:
    server = chat_env.server
    trap = server.url("/x.png")
    text = (f'Look <img src="{trap}"> and ![pic]({server.url("/y.png")}) '
            f"[click](javascript:alert(1)) [safe](https://example.org/a)\n\n"
            f'<a href="{server.url("/z")}">raw</a>')
    server.enqueue(ScriptedResponse(pieces=text_pieces(text)))

    async def scenario() -> Any:
        type_and_send(chat_window, qtbot, "show me")
        _, final = await final_assistant(chat_window)
        return final

    final = qasync_loop.run(scenario())
    view = chat_window.chat_view
    view.scroll_to_bottom()
    chat_window.grab()  # paint everything that is visible
    html = view.rendered_html(final.id)
    assert "<img" not in html and "javascript" not in html.split("click")[0][-200:]
    assert 'href="javascript' not in html
    assert [r.path for r in server.requests] == ["/v1/chat/completions"]
    view.activate_anchor(final.id, "javascript:alert(1)", [])
    view.activate_anchor(final.id, "file:///etc/passwd", [])
    assert chat_window.opened_links == []
    view.activate_anchor(final.id, "https://example.org/a", [])
    assert [u.toString() for u in chat_window.opened_links] == ["https://example.org/a"]
    assert [r.path for r in server.requests] == ["/v1/chat/completions"]
