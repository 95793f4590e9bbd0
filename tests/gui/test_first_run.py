"""First run: a local server on 127.0.0.1 is found and offered; accepting makes it active."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtWidgets import QMessageBox

from desktopchat.ui.first_run import offer_local_server
from tests.support.loopback import ScriptedResponse, unused_port
from tests.support.qt_loop import ChatEnv, QtLoop


def models_answer() -> ScriptedResponse:
    return ScriptedResponse(headers={"Content-Type": "application/json"},
                            pieces=[json.dumps({"data": [{"id": "llama3"}]}).encode()])


def test_found_server_is_offered_and_becomes_active(chat_window: Any, chat_env: ChatEnv,
                                                    qasync_loop: QtLoop) -> None:
    port = chat_env.server.port
    chat_env.server.enqueue(models_answer(), path="/v1/models")

    box = qasync_loop.run(offer_local_server(chat_window, chat_window, ports={"ollama": port}))

    assert box is not None and box.isVisible()
    assert "Ollama" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    active = chat_window.settings.active_profile()
    assert active.preset == "ollama"
    assert active.chat_url() == f"http://127.0.0.1:{port}/v1/chat/completions"
    saved = chat_env.settings_store.load().settings
    assert saved.active_profile().name == active.name
    assert saved.profile("local") is not None  # the user's own profile is kept


def test_declining_changes_nothing(chat_window: Any, chat_env: ChatEnv,
                                   qasync_loop: QtLoop) -> None:
    port = chat_env.server.port
    chat_env.server.enqueue(models_answer(), path="/v1/models")

    box = qasync_loop.run(offer_local_server(chat_window, chat_window, ports={"lmstudio": port}))

    assert box is not None
    box.button(QMessageBox.StandardButton.No).click()
    assert chat_window.settings.active_profile().name == "local"


def test_nothing_running_offers_nothing(chat_window: Any, qasync_loop: QtLoop) -> None:
    box = qasync_loop.run(offer_local_server(chat_window, chat_window,
                                             ports={"ollama": unused_port()}))
    assert box is None
