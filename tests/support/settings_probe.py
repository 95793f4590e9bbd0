"""Settings → Test connection against a loopback server's scripted error answer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from desktopchat.secrets import SecretStore
from desktopchat.settings import Preferences, Profile, Settings, SettingsStore
from desktopchat.ui.settings_dialog import SettingsDialog
from tests.support.loopback import ScriptedResponse
from tests.support.qt_loop import QtLoop


def probed_settings(
    error_message: str, *, key: str, secret_store: SecretStore, tmp_path: Path, loop: QtLoop,
    server: Any,  # Any: the loopback_server fixture's server (tests/support/loopback.py)
    qtbot: Any,  # Any: pytest-qt's fixture
) -> SettingsDialog:
    """A Settings dialog whose profile `local` (key `key`) ran Test connection and got a 401
    with `error_message` as its JSON error message."""
    body = {"error": {"message": error_message, "type": "invalid_request_error"}}
    server.enqueue(ScriptedResponse(status=401, headers={"Content-Type": "application/json"},
                                    pieces=[json.dumps(body).encode()]))
    secret_store.set_key("local", key)
    settings = Settings(profiles=[Profile("local", preset="openai", url=server.url(),
                                          model="m1")],
                        preferences=Preferences(active_profile="local"))
    dialog = SettingsDialog(settings, SettingsStore(tmp_path / "settings.json"), secret_store)
    qtbot.addWidget(dialog)
    form = dialog.current_form()
    assert form is not None

    async def run() -> None:
        form.test_button.click()
        assert dialog.last_task is not None
        await dialog.last_task

    loop.run(run())
    return dialog
