"""Settings with a keyring that shows a password prompt: the dialog opens and paints, and
Test connection waits for the key off the UI thread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktopchat.secrets import SecretStore
from desktopchat.settings import Preferences, Profile, Settings, SettingsStore
from desktopchat.ui.settings_dialog import SettingsDialog
from desktopchat.ui.settings_key_field import WAITING
from tests.support.loopback import ScriptedResponse
from tests.support.qt_loop import wait_until
from tests.support.sse_script import chat_chunk, sse_body

KEY = "sk-prompted-key-77"


def open_dialog(qtbot: Any, tmp_path: Path, backend: Any, url: str) -> SettingsDialog:
    settings = Settings(profiles=[Profile("local", preset="openai", url=url, model="m1")],
                        preferences=Preferences(active_profile="local"))
    dialog = SettingsDialog(settings, SettingsStore(tmp_path / "settings.json"),
                            SecretStore(backend))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_dialog_opens_while_the_keyring_prompts_then_shows_the_answer(
        qtbot, qasync_loop, tmp_path, prompting_keyring, loopback_server) -> None:
    prompting_keyring.set_password("desktopchat", "local", KEY)
    dialog = open_dialog(qtbot, tmp_path, prompting_keyring, loopback_server.url())
    status = dialog.current_form().key.status_label
    assert status.text() == WAITING
    dialog.grab()  # it paints while the prompt is open

    async def answered() -> None:
        prompting_keyring.answer()
        await wait_until(lambda: status.text().startswith("•••• stored in"))

    qasync_loop.run(answered())


def test_test_connection_waits_for_the_key_without_blocking(
        qtbot, qasync_loop, tmp_path, prompting_keyring, loopback_server) -> None:
    prompting_keyring.set_password("desktopchat", "local", KEY)
    dialog = open_dialog(qtbot, tmp_path, prompting_keyring, loopback_server.url())
    form = dialog.current_form()
    loopback_server.enqueue(ScriptedResponse(pieces=[sse_body(chat_chunk("pong",
                                                                          finish="stop"))]))

    async def scenario() -> None:
        form.test_button.click()  # returns at once: the key is awaited on a worker thread
        await wait_until(lambda: form.test_result.text() == "Testing…")
        assert form.test_result.text() == "Testing…" and loopback_server.requests == []
        assert dialog.last_task is not None and not dialog.last_task.done()
        prompting_keyring.answer()
        await dialog.last_task

    qasync_loop.run(scenario())
    assert form.test_result.text().startswith("✔ Connected")
    assert loopback_server.requests[-1].headers["authorization"] == f"Bearer {KEY}"
