"""Issue 10 §2: a server that echoes the key escaped or encoded cannot get it stored,
exported, logged or shown.

The real window talks to a loopback server that writes the key as JSON `\\u` escapes
(all, or mixed with plain characters), percent-encoded, as HTML character references,
with zero-width spaces between its characters, in hex and base64 (an echoed
`Authorization` header): in reply content and reasoning, in a malformed chunk quoted by
the error, in JSON and plain-text error bodies and in an `event: error`. Then the
database (with its WAL), the JSON and Markdown exports, the log and the text of every
widget are searched for any 8 consecutive key characters in any of those forms.
"""

from __future__ import annotations

import base64
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

from desktopchat.app import setup_logging, wire
from desktopchat.paths import app_paths
from desktopchat.redact import SecretRedactor
from desktopchat.secrets import SecretStore
from desktopchat.settings import (
    LoadResult,
    Preferences,
    Profile,
    Settings,
    SettingsStore,
    WindowStateStore,
)
from desktopchat.storage.export import export_json, export_markdown
from desktopchat.storage.store import HistoryStore
from tests.support.key_forms import FORMS, json_escaped, leaks, percent
from tests.support.loopback import ScriptedResponse
from tests.support.qt_loop import QtLoop, wait_signal
from tests.support.settings_probe import probed_settings
from tests.support.sse_script import chat_chunk, sse_body

KEY = "sk-forms-7Qx2Lm9Vb4Rt8Wz1Kp6Yd3Hn"
SSE = {"Content-Type": "text/event-stream"}
JSON = {"Content-Type": "application/json"}


def every_form(key: str) -> str:
    forms = " | ".join(f"{name}: {form(key)}" for name, form in sorted(FORMS.items()))
    return forms + " | basic: " + base64.b64encode(f"Bearer {key}".encode()).decode()


def responses() -> list[ScriptedResponse]:
    double = json_escaped(KEY, 2).replace("\\", "\\\\")  # the JSON text holds `\u0073`
    return [
        # 1. A complete reply whose content and reasoning hold every form.
        ScriptedResponse(headers=SSE, pieces=[sse_body(
            chat_chunk(reasoning="thinking " + every_form(KEY)),
            chat_chunk("Your key, " + every_form(KEY) + " and json " + double),
            chat_chunk(finish="stop"))]),
        # 2. Text, then a malformed chunk with the key written as mixed `\u` escapes.
        ScriptedResponse(headers=SSE, pieces=[
            sse_body(chat_chunk("partial"), done=False),
            f'data: {{"choices": [{{"delta": {{"content": "{json_escaped(KEY, 3)}" ,,\n\n'
            .encode()]),
        # 3. A JSON error body: `\u`-escaped key (JSON decodes it), percent, base64 header.
        ScriptedResponse(status=401, headers=JSON, pieces=[json.dumps({"error": {
            "message": "bad key " + KEY + " aka " + percent(KEY) + " hdr "
            + base64.b64encode(f"Bearer {KEY}".encode()).decode()}}).encode()]),
        # 4. A plain-text error body with HTML references and zero-width spaces.
        ScriptedResponse(status=400, headers={"Content-Type": "text/plain"}, pieces=[
            ("rejected " + FORMS["html"](KEY) + " / " + FORMS["invisible"](KEY)).encode()]),
        # 5. `event: error` with hex and mixed escapes.
        ScriptedResponse(headers=SSE, pieces=[
            sse_body(chat_chunk("so far"), done=False),
            f"event: error\ndata: key {KEY.encode().hex()} {json_escaped(KEY, 2)}\n\n".encode()]),
    ]


def widget_texts(*roots: QWidget) -> list[str]:
    texts = []
    for root in roots:
        for widget in [root, *root.findChildren(QWidget)]:
            texts += [widget.windowTitle(), widget.toolTip(), widget.accessibleName(),
                      widget.accessibleDescription()]
            if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
                texts.append(widget.text())
            elif isinstance(widget, QTextEdit | QPlainTextEdit):
                texts.append(widget.toPlainText())
    return texts


@pytest.mark.expected_log(r"desktopchat")  # failed turns are logged: the log is checked
def test_a_key_echoed_in_any_form_is_nowhere(tmp_path: Path, loopback_server: Any,
                                            memory_keyring: Any, qasync_loop: QtLoop,
                                            qtbot: Any) -> None:
    paths = app_paths(tmp_path / "base").ensure()
    redactor = SecretRedactor()
    handler = setup_logging(paths, redactor)
    root_level = logging.getLogger().level
    for response in responses():
        loopback_server.enqueue(response)
    try:
        secrets = SecretStore(memory_keyring)
        secrets.set_key("echo", KEY)
        settings = Settings(
            profiles=[Profile(name="echo", preset="openai", url=loopback_server.url(),
                              model="m")],
            preferences=Preferences(active_profile="echo"))  # fmt: skip
        settings_store = SettingsStore(paths.settings_file)
        settings_store.save(settings)
        store = HistoryStore.open(paths.database_file)
        window = wire(store, settings_store, LoadResult(settings),
                      WindowStateStore(tmp_path / "window.json"), secrets=secrets,
                      redactor=redactor).window
        qtbot.addWidget(window)
        window.resize(1000, 700)
        window.show()
        controller = window.controller

        async def chat() -> list[Any]:
            finals = []
            for text in ("one", "two", "three", "four", "five"):
                assert controller.send(text)
                _, final = await wait_signal(controller.message_updated, timeout=20,
                                             check=lambda c, m: m.role == "assistant"
                                             and m.state != "streaming")
                finals.append(final)
            return finals

        finals = qasync_loop.run(chat())
        assert [f.state for f in finals] == ["complete", "error", "error", "error", "error"]
        assert finals[0].content.startswith("Your key, ") and "[redacted]" in finals[0].content
        assert finals[1].content == "partial" and "[redacted]" in (finals[1].error or "")
        assert finals[2].error and "[redacted]" in finals[2].error
        view = window.chat_view
        shown = [view.rendered_html(i) for i in view.message_ids()]
        assert any("partial" in html for html in shown)
        shown += widget_texts(window)
        handler.flush()
        exports = {
            "all.md": export_markdown(store, None),
            "all.json": json.dumps(export_json(store, None), ensure_ascii=False),
        }
        qasync_loop.run(controller.aclose())
        window._close_confirmed = True
        window.close()
        store.close()
        written = [*paths.data_dir.glob("history.sqlite3*"), paths.log_dir / "desktopchat.log"]
        files = {p.name: p.read_bytes().decode("utf-8", "replace")
                 for p in written if p.is_file()}
    finally:
        logging.getLogger().removeHandler(handler)
        logging.getLogger().setLevel(root_level)
        handler.close()
    assert "history.sqlite3" in files and "desktopchat.log" in files
    assert "[redacted]" in exports["all.md"]
    places = {**exports, **files, "widgets": "\n".join(shown)}
    found = {name: leaks(text, KEY) for name, text in places.items()}
    assert found == {name: [] for name in places}


def test_test_connection_shows_no_form_of_an_echoed_key(
        qasync_loop: QtLoop, loopback_server: Any, qtbot: Any, tmp_path: Path,
        secret_store: Any) -> None:
    dialog = probed_settings("denied: " + every_form(KEY), key=KEY, server=loopback_server,
                             secret_store=secret_store, tmp_path=tmp_path, qtbot=qtbot,
                             loop=qasync_loop)
    form = dialog.current_form()
    assert form is not None
    assert form.test_result.text().startswith("✘") and "[redacted]" in form.test_result.text()
    shown = "\n".join(t for t in widget_texts(dialog) if t != KEY)  # the key field holds it
    assert leaks(shown, KEY) == []
