"""Issue 17, the empty state: a new chat shows the profile and model that will answer, how to
send, and example prompts that fill the composer without sending."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktopchat.settings import Settings
from tests.gui.test_chat_window import final_assistant, reply_pieces, type_and_send
from tests.support.loopback import ScriptedResponse
from tests.support.qt_loop import ChatEnv, QtLoop


def test_a_new_chat_shows_the_profile_the_model_a_hint_and_prompts(chat_window: Any) -> None:
    empty = chat_window.empty_state
    assert empty.isVisible()
    assert empty.geometry() == chat_window.chat_view.viewport().rect()  # covers the view
    assert empty.profile.text() == "local · m1"
    assert "Enter sends" in empty.hint.text() and "Ctrl+Shift+A" in empty.hint.text()
    assert 3 <= len(empty.prompts) <= 4
    assert all(button.isVisible() and button.prompt for button in empty.prompts)


def test_a_prompt_fills_the_composer_and_sends_nothing(chat_window: Any, chat_env: ChatEnv,
                                                       qtbot: Any) -> None:
    chat_window.activateWindow()
    button = chat_window.empty_state.prompts[2]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    assert chat_window.composer.text == button.prompt
    assert chat_window.composer.editor.hasFocus()
    assert chat_window.composer.editor.textCursor().atEnd()  # ready to add to it
    assert chat_env.server.requests == []
    assert chat_window.chat_view.message_ids() == []
    assert chat_window.empty_state.isVisible()


def test_it_leaves_with_the_first_message_and_returns_with_a_new_chat(
        chat_window: Any, chat_env: ChatEnv, qasync_loop: QtLoop, qtbot: Any) -> None:
    chat_env.server.enqueue(ScriptedResponse(pieces=reply_pieces("Hello there.")))

    async def scenario() -> None:
        type_and_send(chat_window, qtbot, "hi")
        assert not chat_window.empty_state.isVisible()  # at once, with the user's message
        await final_assistant(chat_window)

    qasync_loop.run(scenario())
    assert not chat_window.empty_state.isVisible()
    conversation = chat_window.controller.current_id
    chat_window.new_chat()
    assert chat_window.empty_state.isVisible()
    chat_window.open_conversation(conversation)
    assert not chat_window.empty_state.isVisible()


def test_the_hint_and_profile_follow_the_settings(chat_window: Any, chat_env: ChatEnv) -> None:
    empty = chat_window.empty_state
    prefs = dataclasses.replace(chat_env.settings.preferences, enter_to_send=False)
    chat_window.apply_settings(dataclasses.replace(chat_env.settings, preferences=prefs))
    assert empty.hint.text().startswith("Ctrl+Enter sends")
    # A model chosen in the toolbar for this chat.
    chat_window.controller.choose_profile(dataclasses.replace(chat_env.profile, model="m2"))
    assert empty.profile.text() == "local · m2"
    chat_window.apply_settings(Settings(profiles=[], preferences=prefs))
    chat_window.new_chat()
    assert "Settings" in empty.profile.text()


def test_the_hint_names_find_in_chat_only_where_the_window_has_it(chat_window: Any) -> None:
    from PySide6.QtGui import QAction

    has_find = any(a.shortcut().toString() == "Ctrl+F"
                   for a in chat_window.findChildren(QAction))
    assert ("Ctrl+F" in chat_window.empty_state.hint.text()) == has_find
