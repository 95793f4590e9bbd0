"""Backups and the desktop around the real main window.

- File → Export all… writes one archive (conversations, database snapshot, settings) off the
  UI thread and says so; a failure says nothing was written.
- The daily backup starts only when due and allowed, and keeps Preferences' N.
- Preferences carry the backup and notification choices.
- A reply that finishes while the window is in the background is announced (when chosen),
  with the chat's title made inert; the tray menu shows the window, starts a chat, quits.
"""

from __future__ import annotations

import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from desktopchat.settings import Preferences
from desktopchat.storage.backups import list_backups
from desktopchat.ui.backup_actions import DailyBackup
from desktopchat.ui.desktop_presence import ReplyNotifier, inert
from desktopchat.ui.settings_preferences import PreferencesForm
from tests.support.loopback import ScriptedResponse, chat_chunk, sse_body
from tests.support.qt_loop import ChatEnv, QtLoop, wait_signal


def a_chat(env: ChatEnv, title: str) -> int:
    chat = env.store.create_conversation(title=title, profile="local", model="m1")
    env.store.add_message(chat.id, "user", f"about {title}")
    return chat.id


def test_export_all_writes_one_archive_off_the_ui_thread(
    chat_window: Any, chat_env: ChatEnv, qtbot: Any, tmp_path: Path
) -> None:
    a_chat(chat_env, "Sourdough")
    target = tmp_path / "everything.zip"
    export = chat_window.backups.export_all(target)
    qtbot.waitUntil(lambda: export.ended, timeout=30_000)
    with zipfile.ZipFile(target) as archive:
        names = sorted(archive.namelist())
        assert b"Sourdough" in archive.read("conversations.json")
    assert names == ["README.txt", "conversations.json", "history.sqlite3", "settings.json"]
    status = chat_window.statusBar().currentMessage()
    assert status.startswith("Exported 1 conversation (") and status.endswith(f"to {target}")
    assert export.outcome is None


def test_export_all_failure_says_nothing_was_written(
    chat_window: Any, qtbot: Any, tmp_path: Path
) -> None:
    export = chat_window.backups.export_all(tmp_path / "no such folder" / "all.zip")
    qtbot.waitUntil(lambda: export.ended, timeout=30_000)
    assert export.outcome is not None and export.outcome.isVisible()
    assert export.outcome.text().startswith("Nothing was written.\n\nCould not")
    export.outcome.close()
    assert not (tmp_path / "no such folder").exists()


def test_daily_backup_runs_when_due_and_allowed(chat_env: ChatEnv, qtbot: Any) -> None:
    a_chat(chat_env, "Kept")
    prefs = Preferences(daily_backup=True, backups_kept=2)
    now = datetime(2026, 12, 2, 9, 0)
    daily = DailyBackup(chat_env.store.path, lambda: prefs, clock=lambda: now)
    for day in range(3):
        now = datetime(2026, 12, 2, 9, 0) + timedelta(days=day)
        job = daily.check()
        assert job is not None
        with qtbot.waitSignal(daily.backed_up, timeout=30_000) as made:
            pass
        assert made.args[0].exists()
        job.wait(30)  # its thread ends just after the signal: a check meanwhile would wait
        assert daily.check() is None  # taken today: not due again
    assert [b.taken.day for b in list_backups(daily.folder)] == [4, 3]
    assert daily.folder == chat_env.store.path.parent / "backups"
    prefs.daily_backup = False
    now += timedelta(days=2)
    assert daily.check() is None


def test_preferences_carry_backup_and_notification_choices(qtbot: Any) -> None:
    form = PreferencesForm(Preferences(daily_backup=True, backups_kept=7))
    qtbot.addWidget(form)
    form.daily_backup.setChecked(False)
    assert not form.backups_kept.isEnabled()
    form.notify_when_done.setChecked(True)
    chosen = form.preferences()
    assert (chosen.daily_backup, chosen.backups_kept, chosen.notify_when_done) == (
        False, 7, True)


def finished_reply(env: ChatEnv, window: Any, loop: QtLoop, qtbot: Any) -> None:
    env.server.enqueue(ScriptedResponse(pieces=[
        sse_body(chat_chunk("done"), done=False), sse_body(chat_chunk(finish="stop"))]))

    async def scenario() -> None:
        window.composer.editor.setFocus()
        window.composer.set_text("go")
        qtbot.keyClick(window.composer.editor, Qt.Key.Key_Return)
        await wait_signal(window.controller.streaming_changed, timeout=20,
                          check=lambda _cid, streaming: not streaming)

    loop.run(scenario())


def test_a_reply_finished_in_the_background_is_announced_when_chosen(
    chat_window: Any, chat_env: ChatEnv, qasync_loop: QtLoop, qtbot: Any
) -> None:
    chat_window.activateWindow()
    qtbot.waitUntil(chat_window.isActiveWindow)
    said: list[tuple[str, str]] = []
    prefs = Preferences(notify_when_done=True)
    ReplyNotifier(chat_window, chat_env.store, chat_window.controller, lambda: prefs,
                  lambda heading, body: said.append((heading, body)))
    finished_reply(chat_env, chat_window, qasync_loop, qtbot)
    assert said == []  # the user is looking at the window
    elsewhere = QWidget()
    qtbot.addWidget(elsewhere)
    elsewhere.show()
    elsewhere.activateWindow()
    qtbot.waitUntil(lambda: not chat_window.isActiveWindow())
    finished_reply(chat_env, chat_window, qasync_loop, qtbot)
    title = chat_env.store.get_conversation(chat_window.controller.current_id).title
    assert said == [("Reply finished", inert(title))]
    prefs.notify_when_done = False
    finished_reply(chat_env, chat_window, qasync_loop, qtbot)
    assert len(said) == 1


def test_notification_text_cannot_carry_markup() -> None:
    assert inert('<img src="file:///etc/passwd"> & <b>x</b>\n') == (
        '‹img src="file:///etc/passwd"› ＆ ‹b›x‹/b›')
    assert len(inert("word " * 100)) == 80


# Offscreen Qt cannot raise windows or hint sizes and says so; a desktop does both.
@pytest.mark.qt_log_ignore("This plugin does not support")
def test_tray_menu_shows_the_window_starts_a_chat_and_quits(
    chat_window: Any, chat_env: ChatEnv, qtbot: Any
) -> None:
    chat_window.open_conversation(a_chat(chat_env, "Open one"))
    actions = {a.text(): a for a in chat_window.tray.menu.actions() if a.text()}
    assert list(actions) == ["Show desktopchat", "New chat", "Quit"]
    chat_window.showMinimized()
    actions["Show desktopchat"].trigger()
    assert chat_window.isVisible() and not chat_window.isMinimized()
    actions["New chat"].trigger()
    assert chat_window.controller.current_id == -1
    chat_window._close_confirmed = True
    actions["Quit"].trigger()
    assert not chat_window.isVisible()
