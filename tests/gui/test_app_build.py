"""The composition root on real parts: app.build() starts the window the app starts.

A hostile settings file, a keyring that prompts (or whose prompt is dismissed) and the
real gnome-keyring: the window always appears first, and a key is read only on send.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktopchat.app import App, build, show_start_up_news
from desktopchat.paths import app_paths
from desktopchat.secrets import DISMISSED, SecretStore
from desktopchat.settings import Preferences, Profile, Settings, SettingsStore
from desktopchat.ui.setup_check import KEYRING_ANSWERED, WAITING_FOR_KEYRING
from tests.support.loopback import ScriptedResponse
from tests.support.qt_loop import wait_until
from tests.support.sse_script import text_pieces

KEY = "sk-build-test-key-0042"


def start(qtbot: Any, basedir: Path, secrets: SecretStore) -> App:
    built = build(app_paths(basedir).ensure(), secrets=secrets)
    qtbot.addWidget(built.window)
    built.window.show()
    qtbot.waitExposed(built.window)
    return built


def write_settings(basedir: Path, url: str) -> None:
    paths = app_paths(basedir).ensure()
    profile = Profile("local", preset="openai", url=url, model="m1")
    SettingsStore(paths.settings_file).save(
        Settings(profiles=[profile], preferences=Preferences(active_profile="local")))


def send(built: App, qtbot: Any, text: str) -> None:
    composer = built.window.composer
    composer.editor.setFocus()
    composer.set_text(text)
    qtbot.keyClick(composer.editor, Qt.Key.Key_Return)


def reply(server: Any, text: str) -> None:
    server.enqueue(ScriptedResponse(pieces=text_pieces(text)))


@pytest.mark.expected_log(r"desktopchat\.settings\.store: settings file unusable")
def test_window_starts_with_a_settings_file_python_cannot_parse(
        qtbot, qasync_loop, tmp_path, memory_keyring) -> None:
    paths = app_paths(tmp_path).ensure()
    hostile = "[" * 200_000 + "]" * 200_000  # RecursionError in json.loads
    paths.settings_file.write_text(hostile)
    built = start(qtbot, tmp_path, SecretStore(memory_keyring))
    show_start_up_news(built)
    box = built.window.settings_problem_box
    assert box.isVisible() and "nested more than 64 levels" in box.text()
    assert built.loaded.backup_path is not None
    assert built.loaded.backup_path.read_text() == hostile
    assert built.window.settings.active_profile() is not None  # defaults, usable
    box.close()
    qasync_loop.run(built.aclose())


def test_window_shows_while_the_keyring_prompts_and_sends_once_it_answers(
        qtbot, qasync_loop, tmp_path, prompting_keyring, loopback_server) -> None:
    write_settings(tmp_path, loopback_server.url())
    prompting_keyring.set_password("desktopchat", "local", KEY)
    built = start(qtbot, tmp_path, SecretStore(prompting_keyring))
    assert not prompting_keyring.asked.is_set()  # start-up never reads a key
    send(built, qtbot, "hello?")
    composer = built.window.composer
    assert prompting_keyring.asked.is_set()
    assert composer.hint_text == WAITING_FOR_KEYRING
    assert composer.text == "hello?" and built.store.count_conversations() == 0
    built.window.grab()  # the UI thread is free: it paints while the prompt is open

    async def scenario() -> None:
        prompting_keyring.answer()
        await wait_until(lambda: composer.hint_text == KEYRING_ANSWERED)
        reply(loopback_server, "hi")
        send(built, qtbot, "hello?")
        await wait_until(lambda: len(loopback_server.requests) == 1)
        await built.controller.wait_idle()

    qasync_loop.run(scenario())
    assert loopback_server.requests[0].headers["authorization"] == f"Bearer {KEY}"
    qasync_loop.run(built.aclose())


@pytest.mark.expected_log(r"desktopchat\.secrets: keyring could not read a key: InitError")
def test_a_dismissed_prompt_says_so(qtbot, qasync_loop, tmp_path, prompting_keyring,
                                    loopback_server) -> None:
    write_settings(tmp_path, loopback_server.url())
    built = start(qtbot, tmp_path, SecretStore(prompting_keyring))
    send(built, qtbot, "hello?")
    composer = built.window.composer
    assert composer.hint_text == WAITING_FOR_KEYRING

    async def scenario() -> None:
        prompting_keyring.dismiss()
        await wait_until(lambda: composer.hint_text == DISMISSED)

    qasync_loop.run(scenario())
    assert "Install" not in composer.hint_text and composer.text == "hello?"
    assert loopback_server.requests == []
    qasync_loop.run(built.aclose())


def test_the_real_gnome_keyring_on_the_normal_path(
        qtbot, qasync_loop, tmp_path, real_secret_service, real_service_name,
        loopback_server) -> None:
    write_settings(tmp_path, loopback_server.url())
    secrets = SecretStore(real_secret_service, service=real_service_name)
    secrets.set_key("local", KEY)
    built = start(qtbot, tmp_path, secrets)
    reply(loopback_server, "from the real keyring")

    async def scenario() -> None:
        send(built, qtbot, "hello?")
        await wait_until(lambda: len(loopback_server.requests) == 1)
        await built.controller.wait_idle()

    qasync_loop.run(scenario())
    assert loopback_server.requests[0].headers["authorization"] == f"Bearer {KEY}"
    assert KEY not in json.dumps(json.loads(app_paths(tmp_path).settings_file.read_text()))
    qasync_loop.run(built.aclose())
