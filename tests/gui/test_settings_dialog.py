"""The settings dialog on real widgets: profiles, validation, keys in a keyring, save."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from desktopchat.core.providers import preset
from desktopchat.profile_requests import chat_request
from desktopchat.secrets import SecretStore
from desktopchat.settings import Profile, Settings, SettingsStore, first_run_settings
from desktopchat.ui import plain_text
from desktopchat.ui.settings_dialog import SettingsDialog


@pytest.fixture
def settings_store(tmp_path: Path) -> SettingsStore:
    return SettingsStore(tmp_path / "settings.json")


def make_dialog(qtbot, settings: Settings, store: SettingsStore, secrets: SecretStore):
    dialog = SettingsDialog(settings, store, secrets)
    qtbot.addWidget(dialog)
    return dialog


def error_text(form, key: str) -> str:
    label = form.findChild(QLabel, f"error:{key}")
    return label.text() if label is not None and not label.isHidden() else ""


def test_round_trip_with_key_in_keyring(qtbot, settings_store, secret_store, memory_keyring):
    settings = first_run_settings()
    dialog = make_dialog(qtbot, settings, settings_store, secret_store)
    assert dialog.profile_list.count() == len(settings.profiles)
    form = dialog.current_form()
    assert form is not None and form.name.text() == "OpenAI"
    assert form.key.status_label.text() == "No key stored"
    form.model.setEditText("gpt-4.1")
    form.temperature_default.setChecked(False)
    form.temperature.setValue(0.7)
    form.system_prompt.setPlainText("Be brief.")
    form.headers.setPlainText("X-Team: desk\n")
    form.key.entry.setText("sk-secret-123")
    dialog.preferences.font_size.setValue(14)
    dialog.preferences.enter_to_send.setChecked(False)
    assert dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.settings_saved) as sig:
        dialog.save_button.click()
    saved: Settings = sig.args[0]
    loaded = settings_store.load().settings
    assert loaded == saved
    openai = loaded.profile("OpenAI")
    assert openai is not None
    assert (openai.model, openai.temperature, openai.system_prompt) == ("gpt-4.1", 0.7, "Be brief.")
    assert openai.extra_headers == {"X-Team": "desk"}
    assert loaded.preferences.font_size == 14 and loaded.preferences.enter_to_send is False
    assert loaded.preferences.active_profile == "OpenAI"
    assert secret_store.get_key("OpenAI") == "sk-secret-123"
    assert ("desktopchat", "OpenAI") in memory_keyring.entries
    assert "sk-secret-123" not in settings_store.path.read_text()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted

    # Opened again: the key is never shown, only that it is stored and where.
    again = make_dialog(qtbot, loaded, settings_store, secret_store)
    form = again.current_form()
    assert form.key.entry.text() == ""
    assert form.key.status_label.text().startswith("•••• stored in")
    form.key.clear_button.click()
    again.save_button.click()
    assert secret_store.get_key("OpenAI") is None


def test_inline_validation_disables_save(qtbot, settings_store, secret_store):
    dialog = make_dialog(qtbot, first_run_settings(), settings_store, secret_store)
    form = dialog.current_form()
    form.url.setText("ftp://nowhere")
    assert error_text(form, "url")
    assert not dialog.save_button.isEnabled()
    form.url.setText("https://api.example.com/v1/chat/completions")
    assert error_text(form, "url") == ""
    form.tools.setPlainText("[{not json")
    assert "JSON" in error_text(form, "tools")
    assert not dialog.save_button.isEnabled()
    form.tools.setPlainText('[{"type": "function", "function": {"name": "get_time"}}]')
    assert error_text(form, "tools") == ""
    form.headers.setPlainText("no colon here")
    assert "Name: value" in error_text(form, "extra_headers")
    form.headers.setPlainText("")
    form.name.setText("Ollama (local)")  # taken by another profile
    assert "already called" in error_text(form, "name")
    assert not dialog.save_button.isEnabled()
    form.name.setText("")
    assert error_text(form, "name")
    form.name.setText("Mine")
    form.proxy_mode.setCurrentIndex(form.proxy_mode.findData("custom"))
    assert error_text(form, "proxy.url")
    form.proxy_url.setText("socks5://me@127.0.0.1:1080")
    assert error_text(form, "proxy.url") == ""
    assert dialog.save_button.isEnabled()
    dialog.save_button.click()
    saved = settings_store.load().settings.profile("Mine")
    assert saved is not None and saved.tools[0]["function"]["name"] == "get_time"
    assert saved.proxy.mode == "custom"


def test_web_search_fields_only_for_presets_that_support_it(qtbot, settings_store, secret_store):
    dialog = make_dialog(qtbot, first_run_settings(), settings_store, secret_store)
    form = dialog.current_form()
    assert not form.web_enabled.isEnabled()  # OpenAI
    form.preset.setCurrentIndex(form.preset.findData("bitseek"))
    assert form.web_enabled.isEnabled() and form.web_max.isEnabled()
    form.web_enabled.setChecked(True)
    form.web_max.setValue(3)
    form.web_freshness.setCurrentText("day")
    profile = form.profile()
    assert profile.web_search.enabled and profile.web_search.max_results == 3
    assert profile.web_search.freshness == "day"
    assert not form.fetch_models.isEnabled()  # Bitseek publishes no model list


def test_add_duplicate_rename_remove_move_keys(qtbot, settings_store, secret_store):
    settings = Settings(profiles=[Profile("Work", preset="openai"), Profile("Home",
                                                                             preset="ollama")])
    secret_store.set_key("Work", "sk-work")
    secret_store.set_key("Home", "sk-home")
    dialog = make_dialog(qtbot, settings, settings_store, secret_store)
    names = [a.text() for a in dialog.add_menu.actions()]
    assert names == [p.label for p in __import__("desktopchat.core.providers").core.providers
                     .PRESETS]
    added = dialog.add_profile(preset("lmstudio"))
    assert added.name.text() == "LM Studio (local)"
    assert dialog.profile_list.currentRow() == 2
    dialog.profile_list.setCurrentRow(0)
    dup = dialog.duplicate_profile()
    assert dup.name.text() == "Work copy"
    assert dup.profile().preset == "openai"
    # Rename "Work" -> "Office": its key follows on save.
    dialog.profile_list.setCurrentRow(0)
    dialog.rename_profile()
    form = dialog.current_form()
    form.name.setText("Office")
    assert dialog.profile_list.item(0).text() == "Office"
    # Remove "Home": its key goes too.
    dialog.profile_list.setCurrentRow(1)
    dialog.remove_profile()
    assert [f.name.text() for f in dialog.forms()] == ["Office", "LM Studio (local)",
                                                       "Work copy"]
    dialog.save_button.click()
    loaded = settings_store.load().settings
    assert [p.name for p in loaded.profiles] == ["Office", "LM Studio (local)", "Work copy"]
    assert loaded.preferences.active_profile == "Office"
    assert secret_store.get_key("Office") == "sk-work"
    assert secret_store.get_key("Work") is None
    assert secret_store.get_key("Home") is None
    assert secret_store.get_key("Work copy") is None


def test_no_usable_keyring_explains_and_offers_run_only(qtbot, settings_store, fail_keyring):
    secrets = SecretStore(fail_keyring)
    dialog = make_dialog(qtbot, first_run_settings(), settings_store, secrets)
    form = dialog.current_form()
    problem = secrets.status().problem
    assert problem
    assert form.key.problem.isVisibleTo(dialog)
    assert problem in form.key.problem.text()
    assert form.key.run_only.isChecked()
    form.key.entry.setText("sk-temp")
    dialog.save_button.click()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    assert secrets.get_key("OpenAI") == "sk-temp"
    assert secrets.has_run_only_key("OpenAI")
    assert "sk-temp" not in settings_store.path.read_text()


@pytest.mark.expected_log(r"desktopchat\.secrets: keyring could not (read|store) a key")
def test_keyring_failure_on_save_is_shown_settings_kept(qtbot, settings_store, locked_keyring,
                                                        monkeypatch):
    secrets = SecretStore(locked_keyring)
    shown: list[str] = []
    monkeypatch.setattr(plain_text, "warning", lambda _p, _t, text: shown.append(text))
    dialog = make_dialog(qtbot, first_run_settings(), settings_store, secrets)
    form = dialog.current_form()
    form.key.run_only.setChecked(False)
    form.key.entry.setText("sk-x")
    with qtbot.waitSignal(dialog.settings_saved):
        dialog.save_button.click()
    assert shown and "OpenAI" in shown[0]
    assert dialog.result() != SettingsDialog.DialogCode.Accepted  # stays open to fix it
    assert settings_store.path.exists()


def test_settings_error_on_save_shows_messages(qtbot, tmp_path, secret_store, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store = SettingsStore(blocker / "settings.json")  # its folder is a file: cannot write
    shown: list[str] = []
    monkeypatch.setattr(plain_text, "warning", lambda _p, _t, text: shown.append(text))
    dialog = make_dialog(qtbot, first_run_settings(), store, secret_store)
    with qtbot.assertNotEmitted(dialog.settings_saved):
        dialog.save_button.click()
    assert shown and "could not be saved" in shown[0]
    assert dialog.result() != SettingsDialog.DialogCode.Accepted


@pytest.mark.keyring_real
def test_round_trip_in_real_secret_service(qtbot, settings_store, real_secret_service,
                                           real_service_name):
    secrets = SecretStore(real_secret_service, service=real_service_name)
    dialog = make_dialog(qtbot, first_run_settings(), settings_store, secrets)
    form = dialog.current_form()
    form.key.entry.setText("sk-real-service")
    dialog.save_button.click()
    assert real_secret_service.get_password(real_service_name, "OpenAI") == "sk-real-service"
    again = make_dialog(qtbot, settings_store.load().settings, settings_store, secrets)
    status = again.current_form().key.status_label.text()
    assert status.startswith("•••• stored in") and "sk-real" not in status
    assert json.loads(settings_store.path.read_text())  # valid, and without the key
    assert "sk-real-service" not in settings_store.path.read_text()


def test_ask_for_token_usage_is_a_custom_profile_switch(qtbot, settings_store, secret_store):
    custom = Profile("Gateway", preset="custom", url="https://llm.example.com/v1/chat/completions")
    dialog = make_dialog(qtbot, Settings(profiles=[custom]), settings_store, secret_store)
    form = dialog.current_form()
    assert form.ask_for_usage.isEnabled() and not form.ask_for_usage.isChecked()
    form.ask_for_usage.setChecked(True)
    assert form.profile().ask_for_usage is True
    request = chat_request(form.profile(), [])
    assert request.body()["stream_options"] == {"include_usage": True}
    form.preset.setCurrentIndex(form.preset.findData("bitseek"))
    # A preset knows whether its endpoint accepts the field: the switch is not the user's.
    assert not form.ask_for_usage.isEnabled() and form.profile().ask_for_usage is False
