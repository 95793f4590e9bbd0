"""Settings files as editors and other versions write them.

Notepad saves UTF-8 with a byte-order mark, which json refuses: such a settings.json was
called "not valid JSON (line 1, column 1)" and replaced by defaults. The messages about a
file's version read as sentences ("The settings file … has "version": '2', which is …").
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktopchat.settings import SettingsStore, WindowStateStore
from desktopchat.settings.tool_settings import ToolSettingsStore

SETTINGS = {"version": 2, "preferences": {"active_profile": "Mine"},
            "profiles": [{"name": "Mine", "preset": "ollama"}]}  # fmt: skip


def test_a_utf8_file_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(SETTINGS).encode())
    result = SettingsStore(path).load()
    assert result.problem is None
    assert [p.name for p in result.settings.profiles] == ["Mine"]
    tools = tmp_path / "tools.json"
    tools.write_bytes(b"\xef\xbb\xbf" + b'{"version": 1, "servers": []}')
    assert ToolSettingsStore(tools).load().problem is None
    state = tmp_path / "window-state.json"
    state.write_bytes(b"\xef\xbb\xbf" + b'{"version": 1, "state": {"a": 1}}')
    assert WindowStateStore(state).load() == {"a": 1}


@pytest.mark.expected_log(r"desktopchat\.settings\.store: settings file unusable")
@pytest.mark.parametrize(("version", "sentence"), [
    ('"2"', "settings.json has \"version\": '2', which is not a version number"),
    ("99", "settings.json was written by a newer desktopchat (settings version 99"),
])  # fmt: skip
def test_version_problems_read_as_sentences(tmp_path: Path, version: str, sentence: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"version": ' + version + ', "profiles": []}', encoding="utf-8")
    result = SettingsStore(path).load()
    assert result.problem is not None and sentence in result.problem
