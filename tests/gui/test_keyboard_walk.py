"""Issue 17, accessibility: every action by keyboard, with a Tab order that follows the
screen. The real window: Tab is pressed on whatever has the focus (qtbot.keyClick) and
QApplication.focusWidget() is recorded after each press."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMenu, QScrollArea, QWidget

from desktopchat.core.providers import PRESETS
from desktopchat.settings import first_run_settings
from desktopchat.ui.tab_order import tab_stops
from tests.gui.test_chat_view import msg
from tests.gui.test_settings_dialog import make_dialog
from tests.gui.test_settings_dialog import settings_store as settings_store  # the fixture
from tests.gui.test_tool_approval import plans
from tests.support.qt_loop import QtLoop


def start_at_toolbar(window: Any, qtbot: Any) -> QWidget:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    first = tab_stops(window.toolbar)[0]
    first.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first)
    return first


def walk(qtbot: Any, start: QWidget, key: Qt.Key = Qt.Key.Key_Tab) -> list[QWidget]:
    """Press Tab until the focus comes back to `start`; the widgets it visited, in order."""
    visited: list[QWidget] = []
    for _ in range(80):
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, key)
        focused = QApplication.focusWidget()
        assert focused is not None
        if focused is start:
            return visited
        visited.append(focused)
    raise AssertionError(f"Tab never came back: {[w.objectName() for w in visited]}")


def in_order(visited: list[QWidget], *expected: QWidget) -> list[int]:
    positions = [visited.index(w) for w in expected]
    assert positions == sorted(positions), [w.objectName() for w in visited]
    return positions


def test_tab_walks_toolbar_sidebar_transcript_composer(chat_window: Any, qtbot: Any) -> None:
    start = start_at_toolbar(chat_window, qtbot)
    visited = [start, *walk(qtbot, start)]
    panel, view, composer = chat_window.history_panel, chat_window.chat_view, chat_window.composer
    search, send = in_order(visited, panel.search_box.edit, panel.list_view, view,
                            composer.editor, composer.button)[0::4]
    # The toolbar first, then the sidebar...
    assert all(chat_window.toolbar.isAncestorOf(w) for w in visited[:search - 2])
    # ...the empty chat's example prompts between the transcript and the composer...
    prompts = [visited.index(b) for b in chat_window.empty_state.prompts]
    assert visited.index(view) < min(prompts) and max(prompts) < visited.index(composer.editor)
    # ...and Send is the last stop before the toolbar again.
    assert send == len(visited) - 1
    # Shift+Tab walks the same stops backwards.
    back = walk(qtbot, start, Qt.Key.Key_Backtab)
    assert back == list(reversed(visited[1:]))


def test_an_approval_card_comes_between_the_transcript_and_the_composer(
        chat_window: Any, qtbot: Any, qasync_loop: QtLoop) -> None:
    panel = chat_window.tool_approval
    (add,) = plans(("add", '{"a": 1, "b": 2}'))
    view, editor = chat_window.chat_view, chat_window.composer.editor

    async def scenario() -> list[str]:
        asked = asyncio.ensure_future(panel.ask(add))
        while not panel.cards():
            await asyncio.sleep(0)
        await asyncio.sleep(0)  # the order is set once the card is built
        start = start_at_toolbar(chat_window, qtbot)
        visited = walk(qtbot, start)
        card = panel.cards()[0]
        order = [("view" if w is view else "editor" if w is editor
                  else "run" if w is card.run_button else "deny" if w is card.deny_button
                  else "") for w in visited]
        panel.clear()
        asked.cancel()
        return [name for name in order if name]

    assert qasync_loop.run(scenario()) == ["view", "run", "deny", "editor"]


def context_menu_texts(qtbot: Any, widget: QWidget, key: Qt.Key,
                       modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> list[str]:
    """Press the key; the texts of the menu that opened (closed again at once)."""
    seen: list[str] = []
    looked: list[bool] = []

    def read_and_close() -> None:
        popup = QApplication.activePopupWidget()
        if isinstance(popup, QMenu):
            seen.extend(a.text() for a in popup.actions() if not a.isSeparator())
            popup.close()
        looked.append(True)

    QTimer.singleShot(0, read_and_close)  # inside the menu's own event loop, if one opened
    qtbot.keyClick(widget, key, modifier)
    qtbot.waitUntil(lambda: bool(looked))
    return seen


@pytest.mark.qt_log_ignore("This plugin does not support")  # offscreen: popups
def test_shift_f10_and_the_menu_key_open_a_chats_menu(chat_window: Any, chat_env: Any,
                                                      qtbot: Any) -> None:
    chat = chat_env.store.create_conversation(title="Trip plans")
    chat_env.store.add_user_message(chat.id, "Where to?")
    panel = chat_window.history_panel
    panel.refresh()
    chat_window.activateWindow()
    qtbot.waitUntil(chat_window.isActiveWindow)
    panel.list_view.setFocus(Qt.FocusReason.TabFocusReason)
    assert context_menu_texts(qtbot, panel.list_view, Qt.Key.Key_F10,
                              Qt.KeyboardModifier.ShiftModifier) == []  # no row chosen yet
    panel.list_view.setCurrentIndex(panel.model.index(panel.model.row_of(chat.id), 0))
    texts = context_menu_texts(qtbot, panel.list_view, Qt.Key.Key_F10,
                               Qt.KeyboardModifier.ShiftModifier)
    assert "Rename" in texts and "Delete" in texts
    assert context_menu_texts(qtbot, panel.list_view, Qt.Key.Key_Menu) == texts


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_the_menu_key_opens_the_focused_messages_menu(chat_window: Any, qtbot: Any) -> None:
    view = chat_window.chat_view
    view.set_messages([msg(1, "user", "What is 2 + 3?"), msg(2, "assistant", "It is 5.")])
    chat_window.activateWindow()
    qtbot.waitUntil(chat_window.isActiveWindow)
    view.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(view.hasFocus)
    texts = context_menu_texts(qtbot, view, Qt.Key.Key_Menu)
    assert "Copy message" in texts
    QGuiApplication.clipboard().setText("before")
    QTest.keyClick(view, Qt.Key.Key_Up)  # the user's message
    qtbot.keyClick(view, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    next(a for a in menu.actions() if a.text() == "Copy message").trigger()
    menu.close()
    assert QGuiApplication.clipboard().text() == "What is 2 + 3?"


def test_settings_tab_bar_then_the_page_then_save_and_cancel(
        qtbot: Any, settings_store: Any, secret_store: Any, memory_keyring: Any) -> None:
    dialog = make_dialog(qtbot, first_run_settings(), settings_store, secret_store)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    bar = dialog.tabs.tabBar()
    bar.setFocus(Qt.FocusReason.TabFocusReason)
    visited = [bar, *walk(qtbot, bar)]  # no multi-line field keeps the Tab key
    form = dialog.current_form()
    save = dialog.save_button
    cancel = dialog.button_box.button(QDialogButtonBox.StandardButton.Cancel)
    in_order(visited, bar, dialog.profile_list, dialog.remove_button, form.name, form.url,
             form.headers, save)
    assert set(visited[-2:]) == {save, cancel}  # the dialog's buttons close the walk
    assert not any(isinstance(w, QScrollArea) for w in visited)
    # A profile added later puts its fields before the buttons too.
    added = dialog.add_profile(PRESETS[0])
    qtbot.waitUntil(added.headers.tabChangesFocus)  # ordered once the new form is built
    added.name.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(added.name.hasFocus)
    after = walk(qtbot, added.name)
    in_order(after, added.url, added.headers, save, bar, dialog.profile_list)
