"""Issue 4's promise, end to end: after a full chat through the real controller and the
loopback server, the key's bytes are in no settings file, database file, export or log."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from desktopchat.app import setup_logging
from desktopchat.paths import app_paths
from desktopchat.redact import SecretRedactor
from desktopchat.secrets import SecretStore
from desktopchat.settings import Preferences, Profile, Settings, SettingsStore
from desktopchat.storage.export import export_json, export_markdown
from desktopchat.storage.store import HistoryStore
from desktopchat.ui.controller import ChatController
from tests.support.loopback import ScriptedResponse
from tests.support.qt_loop import QtLoop, wait_signal
from tests.support.sse_script import chat_chunk, sse_body

KEY = "sk-leaktest-4f1c9a7e2b6d8035-SECRET"


def all_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


@pytest.mark.expected_log(r"^desktopchat\.test: ")  # logged on purpose: is the key redacted?
def test_key_is_nowhere_after_a_full_chat(tmp_path: Path, loopback_server: Any,
                                          memory_keyring: Any, qasync_loop: QtLoop) -> None:
    paths = app_paths(tmp_path / "base").ensure()
    redactor = SecretRedactor()
    handler = setup_logging(paths, redactor)
    root_level = logging.getLogger().level
    try:
        secrets = SecretStore(memory_keyring)
        secrets.set_key("work", KEY)
        settings = Settings(
            profiles=[Profile(name="work", preset="openai", url=loopback_server.url(),
                              model="m")],
            preferences=Preferences(active_profile="work"))
        SettingsStore(paths.settings_file).save(settings)
        store = HistoryStore.open(paths.database_file)
        controller = ChatController(store, secrets, settings, on_secret=redactor.add)
        good = [sse_body(chat_chunk("Fine, "), done=False),
                sse_body(chat_chunk("thanks.", finish="stop"))]
        loopback_server.enqueue(ScriptedResponse(pieces=good))
        # A provider that echoes the key back in its error message (some do).
        echo = json.dumps({"error": {"message": f"Incorrect API key provided: {KEY}"}})
        loopback_server.enqueue(ScriptedResponse(
            status=401, headers={"Content-Type": "application/json"}, pieces=[echo.encode()]))

        async def chat() -> list[Any]:
            finals = []
            for text in ("How are you?", "And now?"):
                assert controller.send(text)
                _, final = await wait_signal(controller.message_updated, timeout=20,
                                             check=lambda c, m: m.role == "assistant")
                finals.append(final)
            await controller.aclose()
            return finals

        finals = qasync_loop.run(chat())
        assert [f.state for f in finals] == ["complete", "error"]
        assert loopback_server.requests[0].headers["authorization"] == f"Bearer {KEY}"

        # Bugs that would log a key must still not write it.
        log = logging.getLogger("desktopchat.test")
        log.error("request failed with headers %s", {"Authorization": f"Bearer {KEY}"})
        try:
            raise RuntimeError(f"boom {KEY}")
        except RuntimeError:
            log.exception("unexpected")
        handler.flush()

        exports = tmp_path / "exports"
        exports.mkdir()
        (exports / "all.md").write_text(export_markdown(store, None), encoding="utf-8")
        (exports / "all.json").write_text(json.dumps(export_json(store, None)), encoding="utf-8")
        scanned = all_files(paths.config_dir) + all_files(paths.data_dir) + all_files(exports)
        store.close()
        scanned += all_files(paths.data_dir)
    finally:
        logging.getLogger().removeHandler(handler)
        logging.getLogger().setLevel(root_level)
        handler.close()

    names = {p.name for p in scanned}
    assert {"settings.json", "history.sqlite3", "desktopchat.log", "all.md", "all.json"} <= names
    log_text = (paths.log_dir / "desktopchat.log").read_text(encoding="utf-8")
    assert "[redacted]" in log_text and "unexpected" in log_text
    needle = KEY.encode()
    for path in scanned:
        if path.exists():
            assert needle not in path.read_bytes(), f"the key leaked into {path}"
            assert KEY[3:20].encode() not in path.read_bytes(), f"part of the key in {path}"


def test_redactor_removes_known_keys_and_token_shapes() -> None:
    redactor = SecretRedactor()
    redactor.add("my-custom-key-123456")
    text = redactor.redact("key my-custom-key-123456 / Bearer abc.def / api_key=zzz9 / "
                           "sk-abcdefghijklmnop")
    assert "my-custom-key" not in text and "abc.def" not in text
    assert "zzz9" not in text and "sk-abcdefgh" not in text
