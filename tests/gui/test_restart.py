"""Restart on the same data folder: every conversation is listed, searchable and openable.

The first run chats for real (controller -> loopback server -> SQLite); the "restart" builds
every service again from the same basedir, the way app.run does, and drives the sidebar.
Then the real app process starts on that folder too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit

from desktopchat.app import build
from desktopchat.paths import app_paths
from desktopchat.secrets import SecretStore
from desktopchat.settings import Preferences, Profile, Settings, SettingsStore
from desktopchat.storage.store import HistoryStore
from desktopchat.ui.controller import ChatController
from desktopchat.ui.main_window import MainWindow
from tests.support.loopback import ScriptedResponse
from tests.support.qt_loop import wait_until
from tests.support.sse_script import text_pieces

KEY = "sk-restart-test-key"
REPO = Path(__file__).resolve().parents[2]


@dataclass
class RunningApp:
    window: MainWindow
    controller: ChatController
    store: HistoryStore

    async def quit(self) -> None:
        self.window.close()
        await self.controller.aclose()
        self.store.close()


def start_app(qtbot: Any, basedir: Path, secrets: SecretStore) -> RunningApp:
    """app.build() on `basedir` (what app.run shows), with the given keyring."""
    built = build(app_paths(basedir).ensure(), secrets=secrets)
    qtbot.addWidget(built.window)
    built.window.show()
    return RunningApp(built.window, built.controller, built.store)


def write_settings(basedir: Path, url: str) -> None:
    paths = app_paths(basedir).ensure()
    profile = Profile("local", preset="openai", url=url, model="m1")
    SettingsStore(paths.settings_file).save(
        Settings(profiles=[profile], preferences=Preferences(active_profile="local")))


def reply(server: Any, *pieces: str) -> None:
    server.enqueue(ScriptedResponse(pieces=text_pieces(*pieces)))


def test_restart_lists_searches_and_opens(qtbot, qasync_loop, tmp_path, loopback_server,
                                          memory_keyring):
    basedir = tmp_path / "portable"
    write_settings(basedir, loopback_server.url())
    secrets = SecretStore(memory_keyring)
    secrets.set_key("local", KEY)

    async def first_run() -> None:
        app = start_app(qtbot, basedir, secrets)
        reply(loopback_server, "The capital of France ", "is **Paris**.")
        assert app.controller.send("What is the capital of France?")
        await app.controller.wait_idle()
        app.controller.new_chat()
        reply(loopback_server, "Use `sorted(xs, key=len)`.")
        assert app.controller.send("How do I sort strings by length in Python?")
        await app.controller.wait_idle()
        await app.quit()

    qasync_loop.run(first_run())
    assert len(loopback_server.requests) == 2

    async def second_run() -> None:
        app = start_app(qtbot, basedir, secrets)
        panel = app.window.history_panel
        listed = [c.title for c in (panel.model.conversation_at(r)
                                    for r in range(panel.model.rowCount())) if c is not None]
        assert len(listed) == 2
        assert any("capital of France" in t for t in listed)
        panel.focus_search()
        field = panel.findChild(QLineEdit, "historySearch")
        field.setText("Paris")
        panel._run_search()
        # The search runs off the UI thread. Awaited, not qtbot.waitUntil: a nested event
        # loop inside this task would step other tasks inside it.
        await wait_until(lambda: not panel.search_busy())
        [hit] = panel.results.hits()
        assert "capital of France" in hit.conversation_title
        opened: list[tuple[Any, ...]] = []
        app.controller.conversation_opened.connect(lambda *args: opened.append(args))
        QTest.keyClick(field, Qt.Key.Key_Return)  # opens synchronously
        [(cid, messages, _older)] = opened
        assert cid == hit.conversation_id
        assert [m.role for m in messages] == ["user", "assistant"]
        assert messages[1].content == "The capital of France is **Paris**."
        assert app.controller.current_id == cid
        assert app.window.chat_view.item(hit.message_id) is not None
        assert panel.list_view.currentIndex().row() == panel.model.row_of(cid)
        await app.quit()

    qasync_loop.run(second_run())
    assert len(loopback_server.requests) == 2  # the restart itself sent nothing


def test_real_process_starts_on_the_same_folder(qtbot, tmp_path):
    basedir = tmp_path / "portable"
    paths = app_paths(basedir).ensure()
    with HistoryStore.open(paths.database_file) as store:
        conv = store.create_conversation(title="kept across restarts")
        store.add_user_message(conv.id, "hello")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-m", "desktopchat", "--basedir", str(basedir), "--self-test"],
            capture_output=True, text=True, timeout=45, env=env, cwd=REPO,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("ok ")
    with HistoryStore.open(paths.database_file) as store:
        assert [c.title for c in store.list_conversations()] == ["kept across restarts"]
