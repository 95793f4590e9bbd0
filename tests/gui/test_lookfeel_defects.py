"""Issue 17 defects, shown through the real window: real widgets, loopback server, SQLite."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from tests.gui.test_chat_window import final_assistant, reply_pieces, type_and_send
from tests.support.loopback import ScriptedResponse
from tests.support.qt_loop import ChatEnv, QtLoop, wait_until


def test_escape_in_history_search_clears_it_and_leaves_the_reply_streaming(
        chat_window: Any, chat_env: ChatEnv, qasync_loop: QtLoop, qtbot: Any) -> None:
    chat_env.server.enqueue(ScriptedResponse(
        pieces=reply_pieces("partial ", "text", "never"), stall_after=2))
    search = chat_window.history_panel.findChild(QLineEdit, "historySearch")

    async def scenario() -> Any:
        type_and_send(chat_window, qtbot, "go")
        await wait_until(lambda: "partial text" in chat_window.chat_view.last_reply_text())
        chat_window.activateWindow()
        search.setFocus()
        search.setText("planets")
        qtbot.keyClick(search, Qt.Key.Key_Escape)
        assert search.text() == ""
        assert chat_window.controller.is_streaming(chat_window.controller.current_id)
        # Esc from the composer is still the Stop shortcut.
        chat_window.composer.editor.setFocus()
        qtbot.keyClick(chat_window.composer.editor, Qt.Key.Key_Escape)
        _, final = await final_assistant(chat_window)
        return final

    final = qasync_loop.run(scenario())
    assert final.state == "stopped" and final.content == "partial text"


def test_clicking_the_web_search_words_never_flips_it_and_the_state_is_spelled_out(
        chat_window: Any, chat_env: ChatEnv, qtbot: Any) -> None:
    bitseek = dataclasses.replace(chat_env.profile, name="bs", preset="bitseek")
    bitseek = dataclasses.replace(
        bitseek, web_search=dataclasses.replace(bitseek.web_search, enabled=True))
    settings = dataclasses.replace(
        chat_env.settings, profiles=[chat_env.profile, bitseek],
        preferences=dataclasses.replace(chat_env.settings.preferences, active_profile="bs"))
    chat_window.apply_settings(settings)
    toolbar = chat_window.toolbar
    assert toolbar.web_button.isChecked()
    assert toolbar.web_label.text() == "Web search: on"
    qtbot.mouseClick(toolbar.web_label, Qt.MouseButton.LeftButton)
    assert toolbar.web_button.isChecked()
    assert chat_window.controller.profile().web_search.enabled
    qtbot.mouseClick(toolbar.web_button, Qt.MouseButton.LeftButton)
    assert not toolbar.web_button.isChecked()
    assert toolbar.web_label.text() == "Web search: off"
    assert not chat_window.controller.profile().web_search.enabled
    chat_window.apply_settings(chat_env.settings)  # the openai preset has none
    assert toolbar.web_label.text() == "Web search: unavailable"
    assert not toolbar.web_label.isEnabled() and not toolbar.web_options.isEnabled()
