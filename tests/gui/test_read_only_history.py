"""Issue 10: a history that cannot be written opens to read, says at once that nothing is
saved, and a message typed then stays in the composer. The store is the real read-only
opening the app falls back to (storage/read_only.py) on a real file; the e2e test
tests/e2e/test_read_only_data.py starts the app on folders the process cannot write."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from desktopchat.app import wire
from desktopchat.settings import LoadResult, WindowStateStore
from desktopchat.storage.store import HistoryStore
from desktopchat.ui.read_only_notice import show_read_only
from tests.support.qt_loop import ChatEnv, QtLoop


@pytest.mark.expected_log(r"desktopchat\.ui\.controller: .* is read-only")  # the refused send
def test_a_read_only_history_is_said_and_keeps_what_was_typed(
        chat_env: ChatEnv, qasync_loop: QtLoop, qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "kept.sqlite3"
    with HistoryStore.open(path) as writable:
        chat = writable.create_conversation(title="Old chat")
        writable.add_user_message(chat.id, "an old question")
    before = path.read_bytes()
    store = HistoryStore.open_read_only(path)
    try:
        assert store.read_only
        window = wire(store, chat_env.settings_store, LoadResult(chat_env.settings),
                      WindowStateStore(tmp_path / "window.json"), secrets=chat_env.secrets).window
        qtbot.addWidget(window)
        window.show()
        show_read_only(window, path)
        assert "cannot be saved" in window.composer.hint_text and str(path) in \
            window.composer.hint_text
        notice = window.statusBar().findChild(QLabel, "readOnlyNotice")
        assert notice is not None and notice.isVisible() and "Read-only" in notice.text()
        assert window.controller.current_id == chat.id  # the old chat opens, to read
        assert window.chat_view.message_ids()

        reported: list[str] = []
        window.controller.problem_reported.connect(reported.append)
        window.composer.set_text("a long answer I typed")
        window.composer.editor.setFocus()
        QTest.keyClick(window.composer.editor, Qt.Key.Key_Return)  # refused at once, in place
        assert len(reported) == 1 and "read-only" in reported[0]
        assert window.composer.editor.toPlainText() == "a long answer I typed"
        window._close_confirmed = True
        window.close()
    finally:
        store.close()
    assert path.read_bytes() == before  # nothing was written


def test_a_read_only_open_with_no_file_is_an_empty_history_that_takes_nothing(
        tmp_path: Path) -> None:
    store = HistoryStore.open_read_only(tmp_path / "missing.sqlite3")
    try:
        assert store.list_conversations() == []
        from desktopchat.errors import HistoryReadOnlyError

        try:
            store.create_conversation(title="x")
        except HistoryReadOnlyError as exc:
            assert "read-only" in exc.message
        else:
            raise AssertionError("a write succeeded on a read-only history")
    finally:
        store.close()
    assert not (tmp_path / "missing.sqlite3").exists()
