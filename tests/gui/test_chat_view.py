"""ChatView and Composer widgets on their own: virtualization, autoscroll, keys, copy."""

from __future__ import annotations

import sys
from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from desktopchat.core.events import ContentDelta
from desktopchat.ui.chat_view import ChatView
from desktopchat.ui.composer import Composer
from desktopchat.ui.stream_runner import LiveStream
from desktopchat.ui.theme import theme_named


def msg(mid: int, role: str, content: str, state: str = "complete", **extra: Any) -> Any:
    fields = dict(id=mid, role=role, content=content, reasoning="", tool_calls=[], state=state,
                  finish_reason=None, usage=None, error=None)
    fields.update(extra)
    return SimpleNamespace(**fields)


def conversation(count: int) -> list[Any]:
    return [msg(i + 1, "user" if i % 2 == 0 else "assistant",
                f"Message {i + 1}\n\n" + "some words here " * (5 + i % 30)) for i in range(count)]


def make_view(qtbot: Any, messages: list[Any] | None = None) -> ChatView:
    view = ChatView(theme_named("light"))
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    if messages is not None:
        view.set_messages(messages)
    return view


def test_only_visible_rows_are_laid_out_on_open_and_resize(qtbot: Any) -> None:
    view = make_view(qtbot, conversation(400))
    laid_out = [i for i in view.rows.items if i.render is not None]
    assert 0 < len(laid_out) < 40  # the rest waits for the idle job
    assert view.at_bottom() and view.rows.items[-1].render is not None
    view.row_geometry.idle.stop()
    view.resize(600, 500)
    exact = [i for i in view.rows.items if i.exact_width == view.row_geometry.card_width(i)]
    assert 0 < len(exact) < 40


def test_idle_layout_finishes_the_rest(qtbot: Any) -> None:
    view = make_view(qtbot, conversation(120))
    qtbot.waitUntil(lambda: not view.row_geometry.idle.isActive(), timeout=10000)
    assert all(i.exact_width == view.row_geometry.card_width(i) for i in view.rows.items)
    assert view.at_bottom()


def test_autoscroll_follows_until_the_user_scrolls_up(qtbot: Any) -> None:
    messages = [*conversation(40), msg(41, "assistant", "", "streaming")]
    view = make_view(qtbot, messages)
    live = LiveStream(conversation_id=1, message_id=2)
    live.reply.apply(ContentDelta("first words\n\n" * 30))
    view.stream_from(41, live)
    view.flush()
    assert view.at_bottom() and view.following and not view.jump_button.isVisible()
    sb = view.verticalScrollBar()
    sb.setValue(sb.value() - 600)  # as a wheel or drag would
    assert not view.following and view.jump_button.isVisible()
    before = sb.value()
    live.reply.apply(ContentDelta("more words\n\n" * 30))
    view.stream_from(41, live)
    view.flush()
    assert sb.value() == before  # the text the user reads does not move
    view.jump_button.click()
    assert view.at_bottom() and view.following and not view.jump_button.isVisible()


def test_a_view_closed_before_its_older_page_request_runs_is_left_alone(qtbot: Any) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    view = ChatView(theme_named("light"))
    view.resize(700, 500)
    view.show()
    view.set_messages(conversation(60)[30:], has_older=True)
    view.verticalScrollBar().setValue(0)  # queues the older-page request
    view.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()  # the queued request must not fire on the deleted view


def test_scrolling_to_the_top_asks_for_older_messages(qtbot: Any) -> None:
    view = make_view(qtbot)
    view.set_messages(conversation(60)[30:], has_older=True)
    with qtbot.waitSignal(view.older_requested, timeout=2000):
        view.verticalScrollBar().setValue(0)
    top_item = view.rows.items[0].id
    on_screen = view.rows.top(0) - view.verticalScrollBar().value()
    view.prepend_messages(conversation(60)[:30], has_older=False)
    assert view.message_ids()[:2] == [1, 2] and len(view.message_ids()) == 60
    index = view.rows.index_of(top_item)
    assert view.rows.top(index) - view.verticalScrollBar().value() == on_screen


def test_scroll_to_message_highlights_it(qtbot: Any) -> None:
    view = make_view(qtbot, conversation(80))
    assert view.scroll_to_message(10)
    assert view._highlight_id == 10 and not view.following
    assert abs(view.verticalScrollBar().value() - (view.rows.top(9) - 8)) <= 1
    assert not view.scroll_to_message(999)


def test_copy_actions(qtbot: Any) -> None:
    view = make_view(qtbot, [msg(1, "assistant", "Intro\n\n```sh\necho hi\n```\n")])
    html = view.rendered_html(1)
    assert "dc:copy-code/0" in html
    codes = next(part.codes for part in view.rows.items[0].render.parts if part.codes)
    view.activate_anchor(1, "dc:copy-code/0", codes)
    assert QGuiApplication.clipboard().text() == "echo hi"
    view.activate_anchor(1, "dc:copy", [])
    assert QGuiApplication.clipboard().text() == "Intro\n\n```sh\necho hi\n```\n"


def test_states_and_usage_are_shown(qtbot: Any) -> None:
    view = make_view(qtbot, [
        msg(1, "user", "q"),
        msg(2, "assistant", "cut", finish_reason="length",
            usage={"prompt_tokens": 5, "completion_tokens": 7}),
        msg(3, "assistant", "half", state="interrupted", error=None),
    ])
    length = view.rendered_html(2)
    assert "finish: length" in length and "5 in / 7 out tokens" in length
    interrupted = view.rendered_html(3)
    assert "Interrupted" in interrupted and "dc:retry" in interrupted
    with qtbot.waitSignal(view.action_triggered) as signal:
        view.activate_anchor(3, "dc:retry", [])
    assert signal.args == [3, "retry"]


def test_continue_offered_after_length(qtbot: Any) -> None:
    view = make_view(qtbot, [msg(1, "user", "q"),
                             msg(2, "assistant", "cut", finish_reason="length")])
    assert "dc:continue" in view.rendered_html(2)


def test_theme_switch_rerenders(qtbot: Any) -> None:
    view = make_view(qtbot, conversation(4))
    light = view.rendered_html(2)
    view.set_theme(theme_named("dark"))
    assert view.rendered_html(2) != light
    view.grab()


def test_enter_sends_shift_enter_adds_a_line(qtbot: Any) -> None:
    composer = Composer()
    qtbot.addWidget(composer)
    sent: list[str] = []
    composer.send_requested.connect(sent.append)
    qtbot.keyClicks(composer.editor, "line one")
    qtbot.keyClick(composer.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(composer.editor, "line two")
    assert sent == []
    qtbot.keyClick(composer.editor, Qt.Key.Key_Return)
    assert sent == ["line one\nline two"]


def test_enter_to_send_can_be_swapped(qtbot: Any) -> None:
    composer = Composer()
    qtbot.addWidget(composer)
    composer.set_enter_to_send(False)
    sent: list[str] = []
    composer.send_requested.connect(sent.append)
    qtbot.keyClicks(composer.editor, "a")
    qtbot.keyClick(composer.editor, Qt.Key.Key_Return)
    assert sent == [] and composer.text == "a\n"
    qtbot.keyClick(composer.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert sent == ["a\n"]


def test_send_becomes_stop_while_streaming(qtbot: Any) -> None:
    composer = Composer()
    qtbot.addWidget(composer)
    stops: list[bool] = []
    composer.stop_requested.connect(lambda: stops.append(True))
    composer.set_streaming(True)
    assert composer.button.text() == "Stop"
    composer.button.click()
    assert stops == [True]
    composer.set_streaming(False)
    assert composer.button.text() == "Send"


def test_void_qt_calls_keep_none_refcount() -> None:
    """PySide6 6.12.0 on Python 3.11 drops a reference to None on every void call (§7)."""
    widget = QWidget()
    before = sys.getrefcount(None)
    for i in range(20_000):
        widget.setToolTip("x" if i % 2 else "y")
        widget.setObjectName("w")
    after = sys.getrefcount(None)
    assert after >= before - 100, f"None lost {before - after} references"


def test_drag_selects_text_and_ctrl_c_copies_it(qtbot: Any) -> None:
    from PySide6.QtCore import QPoint

    view = make_view(qtbot, [msg(1, "assistant", "alpha beta gamma delta epsilon")])
    render = view.rows.items[0].render
    body = next(p for p in render.parts if p.kind == "body")
    top = view.rows.top(0) - view.verticalScrollBar().value()
    y = int(top + body.y + body.height / 2)
    x0 = view.row_geometry.card_x(view.rows.items[0]) + 12 + 1
    vp = view.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=QPoint(x0, y))
    qtbot.mouseMove(vp, QPoint(x0 + 300, y))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=QPoint(x0 + 300, y))
    selected = view.selected_text()
    assert selected.startswith("alpha") and len(selected) > 8
    view.grab()  # paints the selection
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == selected


def test_clicking_a_link_opens_it_only_on_release_over_it(qtbot: Any) -> None:
    from PySide6.QtCore import QPoint

    view = make_view(qtbot, [msg(1, "assistant", "[site](https://example.org/)")])
    opened: list[Any] = []
    view.input.open_link_handler = opened.append
    body = next(p for p in view.rows.items[0].render.parts if p.kind == "body")
    top = view.rows.top(0) - view.verticalScrollBar().value()
    point = QPoint(view.row_geometry.card_x(view.rows.items[0]) + 12 + 5, int(top + body.y + 8))
    assert view.input.hit(point.toPointF())[2] == "https://example.org/"
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert [u.toString() for u in opened] == ["https://example.org/"]
