"""A custom proxy's password is read off the UI thread, as keys are (a keyring may prompt).

The chat endpoint is a name that is never resolved: the loopback server plays the custom
proxy, so the request it receives shows the password went out in Proxy-Authorization.
"""

from __future__ import annotations

import base64
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from desktopchat.app import App, build
from desktopchat.paths import app_paths
from desktopchat.secrets import SecretStore, proxy_entry
from desktopchat.settings import Preferences, Profile, Settings, SettingsStore
from desktopchat.settings.model import ProxyMode, ProxySettings
from desktopchat.storage.models import MessageState
from tests.support.loopback import ScriptedResponse
from tests.support.qt_loop import wait_until
from tests.support.secrets_fixtures import MemoryKeyring
from tests.support.sse_script import chat_chunk, sse_body

PASSWORD = "proxy-pass-0042"
# .invalid never resolves: reaching the server at all means the proxy was used.
CHAT_URL = "http://chat.example.invalid/v1/chat/completions"


class ProxyPromptKeyring(MemoryKeyring):
    """Answers API-key reads at once; a proxy password read waits until `release()`."""

    def __init__(self) -> None:
        super().__init__()
        self.asked = threading.Event()
        self._released = threading.Event()

    def release(self) -> None:
        self._released.set()

    def get_password(self, service: str, username: str) -> str | None:
        if username == proxy_entry("local"):
            self.asked.set()
            self._released.wait(timeout=60)  # bounded: a forgotten test must not hang
        return super().get_password(service, username)


def test_a_proxy_password_read_never_blocks_the_window(
        qtbot: Any, qasync_loop: Any, tmp_path: Path, loopback_server: Any) -> None:
    keyring = ProxyPromptKeyring()
    keyring.set_password("desktopchat", proxy_entry("local"), PASSWORD)
    proxy = ProxySettings(mode=ProxyMode.CUSTOM, url=f"http://me@127.0.0.1:{loopback_server.port}")
    profile = Profile("local", preset="custom", url=CHAT_URL, model="m1", proxy=proxy)
    paths = app_paths(tmp_path).ensure()
    SettingsStore(paths.settings_file).save(
        Settings(profiles=[profile], preferences=Preferences(active_profile="local")))
    built: App = build(paths, secrets=SecretStore(keyring))
    qtbot.addWidget(built.window)
    built.window.show()
    qtbot.waitExposed(built.window)
    loopback_server.enqueue(ScriptedResponse(
        pieces=[sse_body(chat_chunk("via the proxy"), chat_chunk(finish="stop"))]))
    composer = built.window.composer
    composer.editor.setFocus()
    composer.set_text("hello?")

    async def scenario() -> None:
        # Returns while the password read waits: the send is not held up by the keyring.
        qtbot.keyClick(composer.editor, Qt.Key.Key_Return)
        await wait_until(keyring.asked.is_set)
        assert built.controller.is_streaming() and loopback_server.requests == []
        built.window.grab()  # the UI thread paints while the keyring is asking
        keyring.release()
        await wait_until(lambda: len(loopback_server.requests) == 1)
        await built.controller.wait_idle()

    qasync_loop.run(scenario())
    request = loopback_server.requests[0]
    expected = base64.b64encode(f"me:{PASSWORD}".encode()).decode()
    assert request.headers["proxy-authorization"] == f"Basic {expected}"
    conversation = built.store.list_conversations(limit=1)[0]
    last = built.store.current_path(conversation.id)[-1]
    assert last.content == "via the proxy" and last.state == MessageState.COMPLETE
    qasync_loop.run(built.aclose())
