"""File → Import and File → Export in the real main window.

- Import runs off the UI thread: while the importer waits for the rest of a file (a FIFO the
  test writes in two halves), the window's timers keep firing; Cancel then leaves nothing.
- A finished import says what was added and what was skipped as already present.
- Export suggests the chat's title, made safe, in the user's documents folder.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog, QPushButton

from desktopchat.storage import importers
from desktopchat.storage.export import ExportFormat, export_json
from desktopchat.storage.store import HistoryStore
from tests.support.qt_loop import ChatEnv


def conversation(store: HistoryStore, title: str) -> int:
    conv = store.create_conversation(title=title, profile="local", model="m1")
    store.add_message(conv.id, "user", f"question about {title}")
    return conv.id


def choose(monkeypatch: Any, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *_a, **_k: (str(path), "Conversations (*.json)"))


def finish(qtbot: Any, window: Any) -> str:
    """Wait for the running import's outcome; the text of its box ('' when there is none)."""
    job = window.files.import_job
    qtbot.waitUntil(lambda: job.presenter.ended, timeout=30_000)
    box = job.presenter.outcome
    if box is None:
        return ""
    assert box.isVisible()
    text = box.text()
    box.close()
    return text


def test_import_summary_names_added_and_skipped_chats(chat_window: Any, chat_env: ChatEnv,
                                                     qtbot: Any, monkeypatch: Any,
                                                     tmp_path: Path) -> None:
    with HistoryStore.open(tmp_path / "elsewhere.sqlite3") as elsewhere:
        conversation(elsewhere, "Sourdough")
        conversation(elsewhere, "Bash loops")
        data = export_json(elsewhere)
    # "Sourdough" is already here (same uid): a duplicate, skipped.
    first = {**data, "conversations": [data["conversations"][0]]}
    (tmp_path / "first.json").write_text(json.dumps(first), encoding="utf-8")
    (tmp_path / "all.json").write_text(json.dumps(data), encoding="utf-8")
    choose(monkeypatch, tmp_path / "first.json")
    chat_window.files.import_file()
    assert finish(qtbot, chat_window) == "Added 1 conversation (1 message):\n  • Sourdough"
    assert chat_window.statusBar().currentMessage() == "Imported 1 conversation (1 message)."

    choose(monkeypatch, tmp_path / "all.json")
    chat_window.files.import_file()
    assert finish(qtbot, chat_window) == (
        "Added 1 conversation (1 message):\n  • Bash loops\n\n"
        "Skipped 1 conversation already in your history (not added twice):\n  • Sourdough"
    )
    model = chat_window.history_panel.model
    titles = {model.conversation_at(r).title for r in range(model.rowCount())
              if model.conversation_at(r) is not None}
    assert titles == {"Sourdough", "Bash loops"}  # the sidebar was refreshed

    chat_window.files.import_file()  # only duplicates now
    assert finish(qtbot, chat_window) == (
        "Skipped 2 conversations already in your history (not added twice):\n"
        "  • Sourdough\n  • Bash loops"
    )
    assert chat_env.store.count_conversations() == 2


def test_import_keeps_the_window_responsive_and_cancel_leaves_nothing(
    chat_window: Any, chat_env: ChatEnv, qtbot: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    records = [{"uid": f"c{i}", "title": f"chat {i}", "created_at": 1700000000.0,
                "messages": [{"role": "user", "content": f"text {i}",
                              "created_at": 1700000000.0}]} for i in range(3)]
    text = json.dumps({"format": "desktopchat-history", "version": 1,
                       "conversations": records})
    cut = len(text[:text.index('{"uid": "c1"')].encode())  # the first conversation, then...
    path = tmp_path / "slow.json"
    path.write_text(text)
    more = threading.Event()  # ...the importer must wait for the rest of the file
    real_open = importers.open_regular

    class SlowFile:
        """The real file, whose bytes after `cut` come only once `more` is set (a file on a
        slow disk or network share; a FIFO is refused)."""

        def __init__(self, fh: Any) -> None:
            self.fh = fh

        def read1(self, size: int = -1) -> bytes:
            if self.fh.tell() >= cut:
                more.wait(timeout=60)
            elif size < 0 or self.fh.tell() + size > cut:
                size = cut - self.fh.tell()
            return bytes(self.fh.read1(size))

        def fileno(self) -> int:
            return int(self.fh.fileno())

        def __enter__(self) -> SlowFile:
            return self

        def __exit__(self, *exc: object) -> None:
            self.fh.close()

    monkeypatch.setattr(importers, "open_regular", lambda p: SlowFile(real_open(p)))
    try:
        ticks: list[int] = []
        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(lambda: ticks.append(1))
        timer.start()
        choose(monkeypatch, path)
        chat_window.files.import_file()
        job = chat_window.files.import_job
        # The worker has written the first conversation and now waits for more of the file...
        qtbot.waitUntil(lambda: chat_env.store.count_conversations() == 1, timeout=20_000)
        seen = len(ticks)
        # ...while the UI thread keeps running: timers fire, the progress dialog shows.
        qtbot.waitUntil(lambda: len(ticks) >= seen + 10, timeout=20_000)
        dialog = job.presenter.dialog
        qtbot.waitUntil(dialog.isVisible, timeout=20_000)
        assert job.is_running() and not job.presenter.ended
        dialog.findChild(QPushButton).click()  # Cancel
    finally:
        more.set()
    assert finish(qtbot, chat_window) == ""  # cancelled: no box, and nothing was kept
    assert chat_window.statusBar().currentMessage() == "Import cancelled: nothing was imported."
    timer.stop()
    assert chat_env.store.count_conversations() == 0
    assert not chat_env.store.search("text")


def test_a_failed_import_says_why_and_keeps_nothing(chat_window: Any, chat_env: ChatEnv,
                                                    qtbot: Any, monkeypatch: Any,
                                                    tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"format": "desktopchat-history", "version": 2, "conversations": ['
                    '{"uid": "ok", "created_at": 1, "messages": []},'
                    '{"uid": "ms", "created_at": 1.7e12, "messages": []}]}', encoding="utf-8")
    choose(monkeypatch, path)
    chat_window.files.import_file()
    text = finish(qtbot, chat_window)
    assert text.startswith("Nothing was imported.")
    assert "conversation #2: 'created_at'" in text and "milliseconds" in text
    assert chat_env.store.count_conversations() == 0


def test_export_suggests_the_title_in_the_documents_folder(chat_window: Any, chat_env: ChatEnv,
                                                           monkeypatch: Any,
                                                           tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # no user-dirs.dirs there
    cid = conversation(chat_env.store, "Plans: Q3/Q4 <draft>?")
    suggested: list[str] = []

    def save(_parent: Any, _caption: str, start: str, _filter: str) -> tuple[str, str]:
        suggested.append(start)
        return str(tmp_path / "out.md"), _filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    chat_window.open_conversation(cid)
    chat_window.files.export_conversation(ExportFormat.MARKDOWN)
    chat_window.history_panel.refresh()  # the sidebar lists it, as after any new chat
    chat_window.history_panel.export(cid, ExportFormat.JSON)
    assert suggested == [str(home / "Documents" / "Plans Q3Q4 draft.md"),
                         str(home / "Documents" / "Plans Q3Q4 draft.json")]
    assert "question about Plans" in (tmp_path / "out.md").read_text(encoding="utf-8")
