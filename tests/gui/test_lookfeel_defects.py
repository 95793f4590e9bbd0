"""Issue 17 defects, shown through the real window: real widgets, loopback server, SQLite."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from desktopchat.app import recovered_notice, show_keyring_status
from desktopchat.core.events import ContentDelta, ReasoningDelta
from desktopchat.secrets import SecretStore, keyring_label
from desktopchat.settings import SettingsStore, first_run_settings
from desktopchat.ui.history_model import ConversationIdRole
from desktopchat.ui.settings_dialog import SettingsDialog
from desktopchat.ui.stream_runner import LiveStream
from tests.gui.test_chat_view import make_view, msg
from tests.gui.test_chat_window import final_assistant, reply_pieces, type_and_send
from tests.gui.test_chat_window_integration import fill
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


@pytest.mark.keyring_real
def test_the_key_location_is_named_for_people(qtbot, tmp_path: Path, real_secret_service,
                                              real_service_name) -> None:
    secrets = SecretStore(real_secret_service, service=real_service_name)
    real_secret_service.set_password(real_service_name, "OpenAI", "sk-location-test")
    dialog = SettingsDialog(first_run_settings(), SettingsStore(tmp_path / "s.json"), secrets)
    qtbot.addWidget(dialog)
    status = dialog.current_form().key.status_label.text()
    assert status == "•••• stored in GNOME Keyring (Secret Service)"
    assert keyring_label("keyring.backends.macOS.Keyring") == "macOS Keychain"
    assert keyring_label("keyring.backends.Windows.WinVaultKeyring") == (
        "Windows Credential Manager")
    assert keyring_label("keyring.backends.kwallet.DBusKeyring") == "KDE Wallet"
    assert keyring_label("some.plugin.VaultKeyring") == "VaultKeyring"


def test_the_no_web_search_note_is_shown_whole(qtbot, tmp_path: Path, secret_store) -> None:
    dialog = SettingsDialog(first_run_settings(), SettingsStore(tmp_path / "s.json"),
                            secret_store)
    qtbot.addWidget(dialog)
    dialog.show()
    note = dialog.current_form().findChild(QLabel, "webSearchNote")
    qtbot.waitUntil(note.isVisible)
    assert note.text() == "OpenAI does not offer web search."
    assert note.width() >= note.sizeHint().width()
    assert note.height() >= note.sizeHint().height()


def test_the_no_keyring_bar_says_each_thing_once(chat_window: Any, qasync_loop: QtLoop,
                                                 fail_keyring) -> None:
    built = SimpleNamespace(window=chat_window, secrets=SecretStore(fail_keyring))
    qasync_loop.run(show_keyring_status(built))  # type: ignore[arg-type]
    hint = chat_window.composer.hint_text
    assert hint.count("for this run only") == 1
    assert hint.startswith("No keyring service is running.")


def test_the_crash_notice_counts_replies_in_words() -> None:
    assert recovered_notice(1) == ("1 reply was cut off when the app last stopped; it is "
                                   "marked as interrupted.")
    assert recovered_notice(3).startswith("3 replies were cut off")


def test_interrupted_box_explains_and_reasoning_stops_thinking_when_the_answer_starts(
        qtbot) -> None:
    view = make_view(qtbot, [msg(1, "assistant", "half an ans", state="interrupted")])
    box = view.rendered_html(1)
    assert "Interrupted — the reply is incomplete" in box
    assert box.count("the reply is incomplete") == 1
    assert "The connection ended before the reply was finished." in box
    view.set_messages([msg(2, "assistant", "", state="streaming")])
    live = LiveStream(conversation_id=1, message_id=2)
    live.reply.apply(ReasoningDelta("Let me think"))
    view.stream_from(2, live)
    view.flush()
    assert "Reasoning (thinking…)" in view.rendered_html(2)
    live.reply.apply(ContentDelta("The answer"))
    view.stream_from(2, live)
    view.flush()
    assert "The answer" in view.rendered_html(2)
    assert "Reasoning" in view.rendered_html(2)
    assert "thinking…" not in view.rendered_html(2)


def test_the_sidebar_highlights_only_the_open_chat(chat_window: Any, chat_env: ChatEnv,
                                                   qtbot: Any) -> None:
    first, _ = fill(chat_env, 2)
    second, _ = fill(chat_env, 2)
    panel = chat_window.history_panel
    panel.refresh()
    view = panel.list_view
    chat_window.open_conversation(first)
    assert view.currentIndex().data(ConversationIdRole) == first
    # A right-click on another row opens its menu but leaves the open chat highlighted.
    other = panel.model.index(panel.model.row_of(second), 0)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.RightButton,
                     pos=view.visualRect(other).center())
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.RightButton,
                       pos=view.visualRect(other).center())
    assert view.currentIndex().data(ConversationIdRole) == first
    assert [i.data(ConversationIdRole) for i in view.selectedIndexes()] == [first]
    chat_window.new_chat()
    assert not view.currentIndex().isValid()
    assert view.selectedIndexes() == []


def test_undo_bar_keeps_the_sidebar_width_and_the_open_chat_leaves_at_once(
        chat_window: Any, chat_env: ChatEnv, qtbot: Any) -> None:
    long_title = "A very long conversation title that would not fit in the sidebar at all"
    cid, _ = fill(chat_env, 2)
    chat_env.store.rename_conversation(cid, long_title)
    panel = chat_window.history_panel
    panel.refresh()
    chat_window.open_conversation(cid)
    assert chat_window.chat_view.message_ids()
    chat_window.splitter.setSizes([160, 840])  # a narrow sidebar, as people drag it
    qtbot.waitUntil(lambda: panel.width() <= 200)
    width = panel.width()
    panel.delete(cid)
    qtbot.waitUntil(panel.undo_bar.isVisible)
    label = panel.undo_bar._label
    assert label.text().startswith("De") and long_title in label.toolTip()
    assert panel.width() == width
    # Nor does it ask for more room than it has (the next layout pass would widen it).
    assert panel.minimumSizeHint().width() <= width
    assert panel.undo_bar._button.geometry().right() <= panel.undo_bar.width()
    # The chat left the pane at once, not when the undo time ran out.
    assert chat_window.controller.current_id < 0
    assert chat_window.chat_view.message_ids() == []
    panel.undo_bar._button.click()
    assert chat_window.controller.current_id == cid
    assert chat_window.chat_view.message_ids()


def test_the_toolbar_lists_models_without_pressing_refresh(
        chat_window: Any, chat_env: ChatEnv, qasync_loop: QtLoop) -> None:
    models = json.dumps({"data": [{"id": "m1"}, {"id": "m7"}]}).encode()
    chat_env.server.enqueue(ScriptedResponse(
        headers={"Content-Type": "application/json"}, pieces=[models]), path="/v1/models")
    combo = chat_window.toolbar.model_combo
    assert combo.count() == 0
    chat_window.fill_models()  # what start-up and choosing a profile do

    async def listed() -> None:
        await wait_until(lambda: combo.count() == 2)

    qasync_loop.run(listed())
    assert [combo.itemText(i) for i in range(2)] == ["m1", "m7"]
    assert combo.currentText() == "m1"  # the profile's model is kept
    # The last fetched list comes back at once when the profile is shown again.
    chat_window.toolbar.set_models([])
    chat_window.fill_models()
    assert combo.count() == 2


def test_ctrl_b_collapses_and_restores_the_sidebar(chat_window: Any, qtbot: Any) -> None:
    panel = chat_window.history_panel
    chat_window.activateWindow()
    chat_window.composer.editor.setFocus()
    assert panel.isVisible()
    qtbot.keyClick(chat_window.composer.editor, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert not panel.isVisible()
    assert not chat_window.sidebar_action.isChecked()
    qtbot.keyClick(chat_window.composer.editor, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert panel.isVisible() and chat_window.sidebar_action.isChecked()
