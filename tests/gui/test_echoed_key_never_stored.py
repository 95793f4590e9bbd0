"""Issue 10 §2: a server that echoes the key back cannot get it (or a piece of it) stored.

The real controller talks to a loopback server that puts the key in reply content,
reasoning and tool-call arguments, in a malformed chunk, in an `event: error`, and in a
plain-text error body longer than 500 characters with the key straddling the cut. Then
the database (with its WAL), the JSON and Markdown exports and the log are searched for
the key and for every run of 8 of its characters.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from desktopchat.app import setup_logging
from desktopchat.paths import app_paths
from desktopchat.redact import FRAGMENT_LENGTH, SecretRedactor
from desktopchat.secrets import SecretStore
from desktopchat.settings import Preferences, Profile, Settings
from desktopchat.storage.export import export_json, export_markdown
from desktopchat.storage.store import HistoryStore
from desktopchat.ui.controller import ChatController
from tests.support.loopback import ScriptedResponse
from tests.support.qt_loop import QtLoop, wait_signal
from tests.support.sse_script import chat_chunk, sse_body

KEY = "sk-echo-7Qx2Lm9Vb4Rt8Wz1Kp6Yd3Hn"  # 24 random characters after the prefix


def fragments(key: str) -> list[bytes]:
    return [key[i : i + FRAGMENT_LENGTH].encode() for i in range(len(key) - FRAGMENT_LENGTH + 1)]


@pytest.mark.expected_log(r"desktopchat\.test: a piece: ")  # logged to check the log file
def test_an_echoed_key_is_in_no_file(
    tmp_path: Path, loopback_server: Any, memory_keyring: Any, qasync_loop: QtLoop
) -> None:
    paths = app_paths(tmp_path / "base").ensure()
    redactor = SecretRedactor()
    handler = setup_logging(paths, redactor)
    root_level = logging.getLogger().level
    json_sse = {"Content-Type": "text/event-stream"}
    # 1. The key in content, reasoning and tool arguments, whole and in pieces split
    #    across chunks; then a malformed chunk quoting it: an error with the partial reply.
    call = {"index": 0, "id": "call_1", "function": {"name": "f", "arguments": '{"k": "'}}
    more_args = {"index": 0, "function": {"arguments": KEY[:14]}}
    rest_args = {"index": 0, "function": {"arguments": KEY[14:] + '"}'}}
    loopback_server.enqueue(ScriptedResponse(headers=json_sse, pieces=[
        sse_body(chat_chunk(f"Your key is {KEY[:10]}"), done=False),
        sse_body(chat_chunk(f"{KEY[10:]}, and its tail is {KEY[-9:]}."), done=False),
        sse_body(chat_chunk(reasoning=f"echo {KEY}"), done=False),
        sse_body(chat_chunk(tool_calls=[call]), chat_chunk(tool_calls=[more_args]),
                 chat_chunk(tool_calls=[rest_args]), done=False),
        f"data: {{not json, key={KEY}\n\n".encode(),
    ]))  # fmt: skip
    # 2. A plain-text error body over 500 characters, the key straddling character 500.
    body = ("x" * 488 + KEY + " and more " * 40).encode()
    loopback_server.enqueue(ScriptedResponse(
        status=400, headers={"Content-Type": "text/plain"}, pieces=[body]))  # fmt: skip
    # 3. An `event: error` quoting the key, after some content.
    loopback_server.enqueue(ScriptedResponse(headers=json_sse, pieces=[
        sse_body(chat_chunk("partial"), done=False),
        f"event: error\ndata: bad key {KEY[2:]}\n\n".encode(),
    ]))  # fmt: skip
    try:
        secrets = SecretStore(memory_keyring)
        secrets.set_key("echo", KEY)
        settings = Settings(
            profiles=[Profile(name="echo", preset="openai", url=loopback_server.url(),
                              model="m")],
            preferences=Preferences(active_profile="echo"))  # fmt: skip
        store = HistoryStore.open(paths.database_file)
        controller = ChatController(store, secrets, settings, on_secret=redactor.add)

        async def chat() -> list[Any]:
            finals = []
            for text in ("one", "two", "three"):
                assert controller.send(text)
                _, final = await wait_signal(controller.message_updated, timeout=20,
                                             check=lambda c, m: m.role == "assistant")
                finals.append(final)
            await controller.aclose()
            return finals

        finals = qasync_loop.run(chat())
        assert [f.state for f in finals] == ["error", "error", "error"]
        assert "Your key is [redacted]" in finals[0].content  # the partial reply is kept
        assert "[redacted]" in finals[1].error and "x" * 100 in finals[1].error
        assert finals[2].content == "partial" and "bad key [redacted]" in finals[2].error
        logging.getLogger("desktopchat.test").error("a piece: %s", KEY[4:20])
        handler.flush()

        exports = tmp_path / "exports"
        exports.mkdir()
        (exports / "all.md").write_text(export_markdown(store, None), encoding="utf-8")
        (exports / "all.json").write_text(json.dumps(export_json(store, None)), encoding="utf-8")
        files = [paths.database_file, *paths.data_dir.glob("*-wal")]
        texts = {p: p.read_bytes() for p in files if p.exists()}
        store.close()
    finally:
        logging.getLogger().removeHandler(handler)
        logging.getLogger().setLevel(root_level)
        handler.close()
    for path in (exports / "all.md", exports / "all.json", paths.log_dir / "desktopchat.log",
                 paths.database_file):  # fmt: skip
        texts[path] = path.read_bytes()
    assert any(p.name.endswith("-wal") for p in texts), "the WAL was searched too"
    assert b"Your key is [redacted]" in texts[exports / "all.md"]
    for path, data in texts.items():
        for piece in fragments(KEY):
            assert piece not in data, f"{piece!r} of the key is in {path.name}"
