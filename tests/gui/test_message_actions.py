"""Issue 17: the hover/keyboard action bar, role marks, time, model, the streaming dots, and
what a reply with no text or a stopped reply shows. Real ChatView widgets under pytest-qt."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QGuiApplication, QPaintEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktopchat.ui.chat_view import ChatView
from desktopchat.ui.message_action_bar import time_label
from tests.gui.test_chat_view import make_view, msg

NOW = time.time()
ADD_CALL = [{"id": "c1", "type": "function",
             "function": {"name": "add", "arguments": '{"a": 2, "b": 3}'}}]


def chat(*extra: Any) -> list[Any]:
    return [msg(1, "user", "What is 2 + 3?", created_at=NOW - 120),
            msg(2, "assistant", "It is **5**.", finish_reason="stop", model="m-turbo",
                created_at=NOW - 60), *extra]


def hover(view: ChatView, message_id: int) -> None:
    index = view.rows.index_of(message_id)
    y = view.rows.top(index) - view.verticalScrollBar().value() + 30
    x = view.viewport().width() // 2
    # Two moves: Qt drops a move to where the pointer already is (say, from the last test).
    QTest.mouseMove(view.viewport(), QPoint(x - 1, y))
    QTest.mouseMove(view.viewport(), QPoint(x, y))


def card_rect(view: ChatView, message_id: int) -> QRect:
    index = view.rows.index_of(message_id)
    item = view.rows.items[index]
    top = view.rows.top(index) - view.verticalScrollBar().value()
    geometry = view.row_geometry
    return QRect(geometry.card_x(item), top, geometry.card_width(item), item.height)


def test_buttons_hide_until_hover_and_fit_the_message(qtbot: Any) -> None:
    view = make_view(qtbot, chat())
    bar = view.message_actions.bar
    assert not bar.isVisible()
    hover(view, 2)
    qtbot.waitUntil(bar.isVisible)
    assert bar.message_id == 2
    assert card_rect(view, 2).contains(bar.geometry())
    assert bar.copy.isVisible() and bar.regenerate.isVisible() and bar.delete.isVisible()
    assert not bar.edit.isVisible() and not bar.resume.isVisible()
    assert not bar.previous.isVisible()  # one version: no ‹ ›
    for button in bar.buttons.values():
        assert button.toolTip() and not button.icon().isNull()
    # The time, faint, with the full date as its tooltip.
    assert bar.time.isVisible() and bar.time.text() == time_label(NOW - 60)[0]
    assert bar.time.toolTip() == time_label(NOW - 60)[1]
    hover(view, 1)
    qtbot.waitUntil(lambda: bar.message_id == 1)
    assert bar.edit.isVisible() and not bar.regenerate.isVisible()
    assert card_rect(view, 1).contains(bar.geometry())
    QApplication.sendEvent(view.viewport(), QEvent(QEvent.Type.Leave))
    assert not bar.isVisible()


def test_versions_in_the_bar_and_the_delete_tooltip_names_what_goes(qtbot: Any) -> None:
    view = make_view(qtbot, chat())
    view.set_versions({2: (2, 3)})
    hover(view, 2)
    bar = view.message_actions.bar
    qtbot.waitUntil(bar.isVisible)
    assert bar.versions.text() == "2/3"
    assert bar.previous.isEnabled() and bar.next.isEnabled()
    assert "this version" in bar.delete.toolTip()
    with qtbot.waitSignal(view.action_triggered) as got:
        bar.previous.click()
    assert got.args == [2, "previous-version"]
    hover(view, 1)
    qtbot.waitUntil(lambda: bar.message_id == 1)
    assert "everything below" in bar.delete.toolTip()


def test_versions_show_once_as_the_bars_buttons_not_as_footer_links(qtbot: Any) -> None:
    view = make_view(qtbot, chat())
    view.set_versions({1: (1, 2), 2: (2, 3)})
    for message_id in (1, 2):  # the footer keeps the model and finish, not ‹ n/m › links
        shown = view.rendered_html(message_id)
        assert "version" not in shown and "/3" not in shown and "1/2" not in shown
    assert "m-turbo" in view.rendered_html(2)
    hover(view, 2)
    bar = view.message_actions.bar
    qtbot.waitUntil(bar.isVisible)
    assert bar.versions.text() == "2/3" and bar.previous.toolTip() and bar.next.toolTip()


def test_copy_puts_the_text_on_the_clipboard_and_says_copied(qtbot: Any) -> None:
    view = make_view(qtbot, chat())
    QGuiApplication.clipboard().setText("before")
    hover(view, 2)
    bar = view.message_actions.bar
    qtbot.waitUntil(bar.isVisible)
    QTest.mouseClick(bar.copy, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "It is **5**."
    assert bar.copied.isVisible() and bar.copied.text() == "Copied"
    assert bar.copy.toolTip() == "Copied"
    assert card_rect(view, 2).contains(bar.geometry())  # the wider bar stays on its card
    qtbot.waitUntil(lambda: not bar.copied.isVisible(), timeout=5000)
    assert bar.copy.toolTip() != "Copied"


def test_keyboard_reaches_each_message_and_its_actions(qtbot: Any) -> None:
    view = make_view(qtbot, chat())
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    actions = view.message_actions
    view.clearFocus()  # the window's first focus is not the keyboard's choice
    view.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(view.hasFocus)
    assert actions.focus_id == 2 and actions.ring_id() == 2  # the newest message, ringed
    assert actions.bar.isVisible() and actions.bar.message_id == 2
    QGuiApplication.clipboard().setText("before")
    QTest.keyClick(view, Qt.Key.Key_C)
    assert QGuiApplication.clipboard().text() == "It is **5**."
    assert actions.bar.copied.isVisible()
    QTest.keyClick(view, Qt.Key.Key_Up)
    assert actions.focus_id == 1 and actions.bar.message_id == 1
    with qtbot.waitSignal(view.action_triggered) as got:
        QTest.keyClick(view, Qt.Key.Key_E)
    assert got.args == [1, "edit"]
    with qtbot.assertNotEmitted(view.action_triggered):
        QTest.keyClick(view, Qt.Key.Key_R)  # a user message has no Regenerate
    QTest.keyClick(view, Qt.Key.Key_Down)
    with qtbot.waitSignal(view.action_triggered) as got:
        QTest.keyClick(view, Qt.Key.Key_Delete)
    assert got.args == [2, "delete"]
    # Enter moves into the bar: its buttons are walked with Tab and pressed with Space.
    QTest.keyClick(view, Qt.Key.Key_Return)
    focused = QApplication.focusWidget()
    assert focused is actions.bar.copy
    QTest.keyClick(focused, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is actions.bar.regenerate
    with qtbot.waitSignal(view.action_triggered) as got:
        QTest.keyClick(actions.bar.regenerate, Qt.Key.Key_Space)
    assert got.args == [2, "regenerate"]


class PaintSpy(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.rects: list[QRect] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QPaintEvent):
            self.rects.append(event.rect())
        return False


def test_the_streaming_dots_repaint_only_themselves_and_stop_with_the_stream(
        qtbot: Any) -> None:
    live = msg(3, "assistant", "Partial answer", state="streaming", model="m-turbo")
    view = make_view(qtbot, chat(msg(4, "user", "more?"), live))
    qtbot.waitUntil(lambda: view.marks.pulse.running)  # from the first paint of the row
    dots = view.marks.pulse.indicator_rect(3)
    assert dots is not None and card_rect(view, 3).contains(dots)
    assert dots.width() <= 40 and dots.height() <= 20
    assert "m-turbo" in view.rendered_html(3)  # the model while it writes
    spy = PaintSpy()
    view.viewport().installEventFilter(spy)
    qtbot.waitUntil(lambda: len(spy.rects) >= 3, timeout=5000)
    view.viewport().removeEventFilter(spy)
    assert all(dots.contains(rect) for rect in spy.rects)  # the dots only, never the row
    hover(view, 3)
    assert not view.message_actions.bar.isVisible()  # no actions on a reply still writing
    view.finish_message(msg(3, "assistant", "Partial answer, done.", finish_reason="stop",
                            model="m-turbo"))
    assert view.marks.pulse.indicator_rect(3) is None
    qtbot.waitUntil(lambda: not view.marks.pulse.running, timeout=5000)


def test_role_marks_and_model_name(qtbot: Any) -> None:
    view = make_view(qtbot, chat())
    user_html, reply_html = view.rendered_html(1), view.rendered_html(2)
    assert "You" in user_html and "Assistant" in reply_html
    assert "m-turbo" in reply_html
    for message_id in (1, 2):
        render = view.item(message_id).render
        avatar = render.avatar_rect()
        assert avatar is not None and avatar.width() == avatar.height() > 10
    view.grab()  # paints avatars without errors


def test_a_reply_with_no_text_says_what_it_did(qtbot: Any) -> None:
    """Defect 6: a tool-call-only reply, or an empty one, is no longer a blank bubble."""
    view = make_view(qtbot, chat(
        msg(3, "user", "add them"),
        msg(4, "assistant", "", finish_reason="stop", tool_calls=ADD_CALL),
        msg(5, "user", "and?"),
        msg(6, "assistant", "", finish_reason="stop")))
    assert "Called add(a: 2, b: 3)" in view.rendered_html(4)
    assert "The model sent no text (finish reason: stop)." in view.rendered_html(6)
    assert "Called" not in view.rendered_html(2) and "no text" not in view.rendered_html(2)


def test_a_stopped_reply_offers_continue_or_regenerate_and_no_retry(qtbot: Any) -> None:
    """Defect 10: one clear pair of choices, each saying what it does."""
    view = make_view(qtbot, chat(msg(3, "user", "a story"),
                                 msg(4, "assistant", "Once upon", state="stopped")))
    html = view.rendered_html(4)
    assert "dc:continue" in html and "dc:regenerate" in html and "dc:retry" not in html
    assert "Continue writes on in this reply" in html
    hover(view, 4)
    bar = view.message_actions.bar
    qtbot.waitUntil(lambda: bar.isVisible() and bar.message_id == 4)
    assert bar.resume.isVisible() and bar.regenerate.isVisible()
    assert "where this reply stopped" in bar.resume.toolTip()
    assert "new version" in bar.regenerate.toolTip()
    assert "retry" not in bar.buttons
    with qtbot.waitSignal(view.action_triggered) as got:
        bar.resume.click()
    assert got.args == [4, "continue"]


TWO_BLOCKS = "Two ways:\n\n```python\nprint(1)\n```\n\nor\n\n```bash\necho 1\necho 2\n```\n"


def test_the_bar_copies_a_code_block_with_the_keyboard_too(qtbot: Any) -> None:
    """Issue 17: a block's own Copy (in its header) is out of the keyboard's reach; the bar's
    Copy code is not: one block copies at once, several are offered by name."""
    view = make_view(qtbot, [msg(1, "user", "Code?", created_at=NOW - 60),
                             msg(2, "assistant", TWO_BLOCKS, finish_reason="stop",
                                 created_at=NOW - 30),
                             msg(3, "user", "One:\n\n```\nx = 1\n```\n", created_at=NOW)])
    bar = view.message_actions.bar
    hover(view, 2)
    qtbot.waitUntil(lambda: bar.isVisible() and bar.message_id == 2)
    code = bar.code
    assert code.isVisible() and not code.icon().isNull() and "code blocks" in code.toolTip()
    titles = [a.text() for a in code.menu().actions()]
    assert titles == ["python: print(1)", "bash: echo 1"]
    code.menu().actions()[1].trigger()  # what Enter on the menu's second entry does
    assert QGuiApplication.clipboard().text() == "echo 1\necho 2"
    assert bar.copied.isVisible()
    hover(view, 3)
    qtbot.waitUntil(lambda: bar.message_id == 3)
    assert code.isVisible() and code.menu() is None
    code.setFocus()
    QTest.keyClick(code, Qt.Key.Key_Space)  # one block: the button copies it
    assert QGuiApplication.clipboard().text() == "x = 1"
    hover(view, 1)
    qtbot.waitUntil(lambda: bar.message_id == 1)
    assert not code.isVisible()  # no code, no button
