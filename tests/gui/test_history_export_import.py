"""Export from the sidebar's context menu, then import into a fresh store: nothing lost.

Imports run on a worker thread (history_import.start_import); `run_import` here starts one and
waits until the window has handled its outcome.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from desktopchat.storage.importers import ImportKind, detect_format
from desktopchat.storage.models import ImportResult
from desktopchat.storage.store import HistoryStore
from desktopchat.ui import plain_text
from desktopchat.ui.history_export import suggested_name
from desktopchat.ui.history_import import start_import, summary
from desktopchat.ui.history_panel import HistoryPanel


@pytest.fixture
def other(tmp_path: Path) -> Iterator[HistoryStore]:
    s = HistoryStore.open(tmp_path / "b.sqlite3")
    yield s
    s.close()


def chat(store: HistoryStore, title: str) -> int:
    conv = store.create_conversation(title=title, profile="p", model="m")
    store.add_user_message(conv.id, f"question about {title} 🙂")
    reply = store.start_assistant_message(conv.id)
    store.finish_assistant_message(reply.id, state="complete",
                                   content=f"**Answer** on {title}\n\n```py\nprint(1)\n```",
                                   finish_reason="stop")
    return conv.id


def save_as(monkeypatch, path: Path) -> list[str]:
    asked: list[str] = []

    def fake(_parent, caption, _start, _filter):
        asked.append(caption)
        return str(path), _filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)
    return asked


def run_import(qtbot, parent, store: HistoryStore, path: Path) -> ImportResult | None:
    """Import in the background and wait for the outcome; the result, or None on failure."""
    results: list[ImportResult] = []
    job = start_import(parent, store, path, results.append)
    qtbot.waitUntil(lambda: job.presenter.ended, timeout=20_000)
    outcome = job.presenter.outcome
    assert outcome is not None and outcome.isVisible()
    parent.last_outcome = outcome.text()
    outcome.close()
    return results[0] if results else None


def menu_action(panel: HistoryPanel, conversation_id: int, text: str):
    menu = panel.build_context_menu(panel.model.index(panel.model.row_of(conversation_id), 0))
    return next(a for a in menu.actions() if a.text() == text)


def test_export_json_then_import_round_trip(qtbot, monkeypatch, tmp_path, store, other):
    a = chat(store, "Rust lifetimes")
    chat(store, "Other")
    panel = HistoryPanel(store)
    qtbot.addWidget(panel)
    target = tmp_path / "out" / "rust.json"
    target.parent.mkdir()
    asked = save_as(monkeypatch, target)
    menu_action(panel, a, "Export as JSON…").trigger()
    assert asked == ["Export as JSON"]
    data = json.loads(target.read_text(encoding="utf-8"))
    assert detect_format(target) == ImportKind.DESKTOPCHAT
    assert "Rust lifetimes" in target.read_text(encoding="utf-8")
    assert "Other" not in json.dumps(data)

    importer = HistoryPanel(other)
    qtbot.addWidget(importer)
    result = run_import(qtbot, importer, other, target)
    assert result is not None and result.conversations_added == 1
    assert result.messages_added == 2
    assert summary(result) == "Imported 1 conversation (2 messages)."
    importer.refresh()
    [conv] = other.list_conversations()
    assert conv.title == "Rust lifetimes"
    original = [(m.role, m.content, m.state) for m in store.messages(a)]
    assert [(m.role, m.content, m.state) for m in other.messages(conv.id)] == original
    # Importing the same file again adds nothing.
    again = run_import(qtbot, importer, other, target)
    assert again is not None and again.conversations_added == 0
    assert again.conversations_skipped == 1
    assert other.count_conversations() == 1


def test_export_markdown_writes_readable_text(qtbot, monkeypatch, tmp_path, store):
    a = chat(store, "Plots")
    panel = HistoryPanel(store)
    qtbot.addWidget(panel)
    target = tmp_path / "plots.md"
    save_as(monkeypatch, target)
    menu_action(panel, a, "Export as Markdown…").trigger()
    text = target.read_text(encoding="utf-8")
    assert "Plots" in text and "```py" in text and "question about Plots" in text
    assert not list(tmp_path.glob("*.part"))


def test_export_to_unwritable_place_shows_error(qtbot, monkeypatch, tmp_path, store):
    a = chat(store, "x")
    panel = HistoryPanel(store)
    qtbot.addWidget(panel)
    save_as(monkeypatch, tmp_path / "missing-folder" / "x.json")
    shown: list[str] = []
    monkeypatch.setattr(plain_text, "warning", lambda _p, title, text: shown.append(title))
    menu_action(panel, a, "Export as JSON…").trigger()
    assert shown == ["Export failed"]


def test_cancelled_save_dialog_writes_nothing(qtbot, monkeypatch, tmp_path, store):
    a = chat(store, "x")
    panel = HistoryPanel(store)
    qtbot.addWidget(panel)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: ("", ""))
    menu_action(panel, a, "Export as Markdown…").trigger()
    assert not [p for p in tmp_path.iterdir() if p.suffix in (".md", ".json", ".part")]


def chatgpt_file(path: Path) -> Path:
    conversation = {
        "id": "c-1", "title": "From ChatGPT", "create_time": 1700000000.0,
        "update_time": 1700000100.0, "current_node": "n2",
        "mapping": {
            "root": {"id": "root", "message": None, "parent": None, "children": ["n1"]},
            "n1": {"id": "n1", "parent": "root", "children": ["n2"], "message": {
                "id": "n1", "author": {"role": "user"}, "create_time": 1700000000.0,
                "content": {"content_type": "text", "parts": ["What is FTS5?"]}}},
            "n2": {"id": "n2", "parent": "n1", "children": [], "message": {
                "id": "n2", "author": {"role": "assistant"}, "create_time": 1700000050.0,
                "content": {"content_type": "text", "parts": ["SQLite full-text search."]}}},
        },
    }
    path.write_text(json.dumps([conversation]), encoding="utf-8")
    return path


def test_import_chatgpt_conversations_json(qtbot, tmp_path, other):
    path = chatgpt_file(tmp_path / "conversations.json")
    assert detect_format(path) == ImportKind.CHATGPT
    panel = HistoryPanel(other)
    qtbot.addWidget(panel)
    result = run_import(qtbot, panel, other, path)
    assert result is not None and result.conversations_added == 1
    panel.refresh()
    assert panel.model.conversation_count() == 1
    hits = other.search("FTS5")
    assert hits and hits[0].conversation_title == "From ChatGPT"


@pytest.mark.parametrize("content", [b"", b"not json", b"{\"format\": \"nope\"}", b"[1, 2",
                                     b"\xff\xfe\x00", b"[{\"mapping\": 5}]", b"42"])
def test_bad_import_files_show_a_message_and_import_nothing(qtbot, monkeypatch, tmp_path,
                                                            other, content):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    panel = HistoryPanel(other)
    qtbot.addWidget(panel)
    assert run_import(qtbot, panel, other, path) is None
    assert "Nothing was imported" in panel.last_outcome
    assert other.count_conversations() == 0


def test_missing_import_file_is_a_message(qtbot, monkeypatch, tmp_path, other):
    panel = HistoryPanel(other)
    qtbot.addWidget(panel)
    assert run_import(qtbot, panel, other, tmp_path / "nope.json") is None
    assert "Cannot read" in panel.last_outcome


def test_suggested_names_are_safe() -> None:
    assert suggested_name("a/b\\c:*?", "json") == "abc.json"
    assert suggested_name("", "markdown") == "conversation.md"
