"""Offline start: server down, no key (or no keyring at all). History still lists, searches,
opens and exports every conversation, and nothing on that path opens a network connection."""

from __future__ import annotations

import asyncio
import json
import socket
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog

from desktopchat.paths import app_paths
from desktopchat.secrets import SecretStore
from desktopchat.storage.store import HistoryStore
from tests.gui.test_restart import start_app, write_settings
from tests.support.loopback import unused_port


@pytest.fixture
def no_network(monkeypatch) -> list[str]:
    """Record (and refuse) every TCP connect and every httpx request."""
    attempts: list[str] = []
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            attempts.append(f"connect {address}")
            raise OSError("network disabled by the test")
        return real_connect(self, address)

    async def handle(self: Any, request: httpx.Request) -> httpx.Response:
        attempts.append(f"httpx {request.method} {request.url}")
        raise httpx.ConnectError("network disabled by the test", request=request)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", handle)
    return attempts


def fill_history(basedir: Path) -> dict[str, int]:
    ids = {}
    with HistoryStore.open(app_paths(basedir).ensure().database_file) as store:
        for title, question, answer in [
            ("Sourdough starter", "How often do I feed it?", "Once a day at room temperature."),
            ("Bash loops", "Loop over files?", "for f in *.txt; do echo \"$f\"; done"),
            ("Trip to Lisbon", "What to see?", "Alfama, Belém and the LX Factory."),
        ]:
            conv = store.create_conversation(title=title, profile="local", model="m1")
            store.add_user_message(conv.id, question)
            msg = store.start_assistant_message(conv.id)
            store.finish_assistant_message(msg.id, state="complete", content=answer,
                                           finish_reason="stop")
            ids[title] = conv.id
    return ids


@pytest.mark.parametrize("keyring_kind", ["empty", "unusable"])
def test_offline_start_lists_searches_opens_exports(qtbot, qasync_loop, tmp_path, monkeypatch,
                                                    memory_keyring, fail_keyring, no_network,
                                                    keyring_kind):
    basedir = tmp_path / "offline"
    write_settings(basedir, f"http://127.0.0.1:{unused_port()}/v1/chat/completions")
    ids = fill_history(basedir)
    secrets = SecretStore(memory_keyring if keyring_kind == "empty" else fail_keyring)
    export_to = tmp_path / "lisbon.md"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *_a: (str(export_to), "Markdown (*.md)"))

    async def scenario() -> None:
        app = start_app(qtbot, basedir, secrets)
        for _ in range(20):  # let start-up timers and queued calls run
            await asyncio.sleep(0)
        panel = app.window.history_panel
        assert panel.model.conversation_count() == 3
        # Open by clicking in the list.
        row = panel.model.row_of(ids["Bash loops"])
        rect = panel.list_view.visualRect(panel.model.index(row, 0))
        QTest.mouseClick(panel.list_view.viewport(), Qt.MouseButton.LeftButton,
                         pos=rect.center())
        assert app.controller.current_id == ids["Bash loops"]
        assert len(app.window.chat_view.message_ids()) == 2
        # Search, then open the hit.
        panel.set_search_text("Belém")
        panel._run_search()
        qtbot.waitUntil(lambda: not panel.search_busy())  # search runs off the UI thread
        [hit] = panel.results.hits()
        assert hit.conversation_id == ids["Trip to Lisbon"]
        panel.results_view.setCurrentIndex(panel.results.index(0, 0))
        QTest.keyClick(panel.results_view, Qt.Key.Key_Return)
        assert app.controller.current_id == ids["Trip to Lisbon"]
        assert app.window.chat_view.item(hit.message_id) is not None
        # Export it (sidebar menu) and all of it as JSON (storage, as the File menu does).
        panel.export(ids["Trip to Lisbon"], "markdown")
        assert "LX Factory" in export_to.read_text(encoding="utf-8")
        app.window.files.export_conversation("json", str(tmp_path / "all.json"))
        data = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
        assert "Lisbon" in json.dumps(data)
        await app.quit()

    qasync_loop.run(scenario())
    assert no_network == []


def test_offline_send_fails_plainly_without_losing_history(qtbot, qasync_loop, tmp_path,
                                                           memory_keyring, no_network):
    """Even a send attempt with no key stops before the network and keeps history intact."""
    basedir = tmp_path / "offline"
    write_settings(basedir, f"http://127.0.0.1:{unused_port()}/v1/chat/completions")
    ids = fill_history(basedir)
    secrets = SecretStore(memory_keyring)

    async def scenario() -> None:
        app = start_app(qtbot, basedir, secrets)
        problems: list[Any] = []
        app.controller.setup_needed.connect(problems.append)
        app.window.open_conversation(ids["Sourdough starter"])
        assert not app.controller.send("one more question")
        assert problems and "API key" in problems[0].message
        assert app.store.count_conversations() == 3
        await app.quit()

    qasync_loop.run(scenario())
    assert no_network == []


def test_the_network_guard_notices_a_request(qasync_loop, no_network):
    """The guard above has teeth: a real request is recorded and refused."""

    async def fetch() -> None:
        async with httpx.AsyncClient() as client:
            with pytest.raises(httpx.ConnectError):
                await client.get(f"http://127.0.0.1:{unused_port()}/v1/models")

    qasync_loop.run(fetch())
    assert len(no_network) == 1 and no_network[0].startswith("httpx GET")
