"""The main window's wiring to the history panel, settings dialog, toolbar and exports."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktopchat.storage.export import ExportFormat
from tests.support.qt_loop import ChatEnv


def fill(env: ChatEnv, count: int) -> tuple[int, list[int]]:
    conversation = env.store.create_conversation(title="Long one")
    ids = []
    for i in range(count):
        if i % 2 == 0:
            ids.append(env.store.add_user_message(conversation.id, f"question {i}").id)
        else:
            reply = env.store.start_assistant_message(conversation.id)
            env.store.finish_assistant_message(reply.id, state="complete", content=f"answer {i}")
            ids.append(reply.id)
    return conversation.id, ids


def test_search_hit_opens_the_conversation_at_that_message(chat_window: Any,
                                                           chat_env: ChatEnv) -> None:
    cid, ids = fill(chat_env, 260)  # more than one page: the hit is on an older page
    chat_window.history_panel.conversation_selected.emit(cid, ids[3])
    view = chat_window.chat_view
    assert chat_window.controller.current_id == cid
    assert view.item(ids[3]) is not None and view._highlight_id == ids[3]
    index = view.rows.index_of(ids[3])
    assert abs(view.verticalScrollBar().value() - view.rows.top(index)) <= 10
    assert "Long one" in chat_window.windowTitle()


def test_new_chat_and_search_shortcuts(chat_window: Any, chat_env: ChatEnv, qtbot: Any) -> None:
    cid, _ = fill(chat_env, 4)
    chat_window.open_conversation(cid)
    qtbot.keyClick(chat_window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert chat_window.controller.current_id == -1 and chat_window.chat_view.message_ids() == []
    qtbot.keyClick(chat_window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is chat_window.history_panel.findChild(
        object, "historySearch")


def test_settings_dialog_opens_and_saved_settings_apply(chat_window: Any,
                                                        chat_env: ChatEnv, qtbot: Any) -> None:
    qtbot.keyClick(chat_window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = chat_window.settings_dialog
    assert dialog is not None and dialog.isVisible()
    prefs = dataclasses.replace(chat_env.settings.preferences, enter_to_send=False, theme="dark")
    new = dataclasses.replace(chat_env.settings, preferences=prefs)
    dialog.settings_saved.emit(new)
    assert chat_window.composer.editor.enter_to_send is False
    assert chat_window.chat_view.theme.name == "dark"
    assert chat_window.controller.settings is new
    dialog.reject()
    chat_window.apply_settings(chat_env.settings)


def test_toolbar_edits_apply_to_the_chat_and_are_saved_only_when_asked(
    chat_window: Any, chat_env: ChatEnv
) -> None:
    # Behaviour changed (issue 12): the toolbar no longer rewrites the saved profile silently.
    toolbar = chat_window.toolbar
    assert toolbar.model_combo.currentText() == "m1"
    assert not toolbar.web_button.isEnabled()  # openai preset: no web search
    saved_before = chat_env.settings_store.load().settings.profile("local")
    toolbar.model_combo.setEditText("m2")
    toolbar.temperature.setValue(0.7)
    toolbar._edited()
    assert chat_window.controller.profile().model == "m2"
    assert chat_env.settings_store.load().settings.profile("local") == saved_before
    toolbar.default_button.click()  # "Use for new chats": now the user asked
    saved = chat_env.settings_store.load().settings.profile("local")
    assert saved.model == "m2" and saved.temperature == 0.7


def test_web_search_enabled_only_for_profiles_that_support_it(chat_window: Any,
                                                              chat_env: ChatEnv) -> None:
    bitseek = dataclasses.replace(chat_env.profile, name="bs", preset="bitseek")
    settings = dataclasses.replace(
        chat_env.settings, profiles=[chat_env.profile, bitseek],
        preferences=dataclasses.replace(chat_env.settings.preferences, active_profile="bs"))
    chat_window.apply_settings(settings)
    toolbar = chat_window.toolbar
    assert toolbar.web_button.isEnabled()
    toolbar.web_button.setChecked(True)
    toolbar.web_results.setValue(8)
    profile = chat_window.controller.profile()
    assert profile.web_search.enabled and profile.web_search.max_results == 8


def test_export_and_copy_conversation(chat_window: Any, chat_env: ChatEnv,
                                      tmp_path: Path) -> None:
    cid, _ = fill(chat_env, 2)
    chat_window.open_conversation(cid)
    chat_window.files.export_conversation(ExportFormat.MARKDOWN, str(tmp_path / "c.md"))
    chat_window.files.export_conversation(ExportFormat.JSON, str(tmp_path / "c.json"))
    assert "question 0" in (tmp_path / "c.md").read_text(encoding="utf-8")
    assert json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    chat_window.files.copy_conversation()
    assert "answer 1" in QApplication.clipboard().text()
    chat_window.files.copy_last_reply()
    assert QApplication.clipboard().text() == "answer 1"


def test_window_state_is_saved_and_restored(chat_window: Any, chat_env: ChatEnv) -> None:
    chat_window.resize(900, 650)
    chat_window.save_state()
    saved = json.loads((chat_env.tmp_path / "window.json").read_text())
    assert set(saved["state"]) == {"geometry", "splitter"}
