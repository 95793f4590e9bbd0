"""A history locked by another program at start-up: the window appears at once with a
banner (no modal box, no busy wait), nothing is written, and the history opens when the
lock goes (Retry, or by itself) without a restart. Real SQLite file, real second process
holding BEGIN EXCLUSIVE, the real app.build()."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktopchat.app import App, build, is_locked, open_when_free
from desktopchat.errors import StorageError
from desktopchat.paths import AppPaths, app_paths
from desktopchat.secrets import SecretStore
from desktopchat.storage.store import HistoryStore
from desktopchat.ui.history_wait import HistoryWaitWindow
from tests.support.history_lock import LockHolder
from tests.support.qt_loop import wait_until
from tests.support.secrets_fixtures import MemoryKeyring

# A locked history at start-up is what these tests make; the app logs it.
pytestmark = pytest.mark.expected_log(r"^desktopchat: history database locked at start-up")


@pytest.fixture
def locked(tmp_path: Path) -> Iterator[tuple[AppPaths, LockHolder]]:
    """A history with one conversation whose reply a dead writer left `streaming` (so
    opening must write), locked by a live second process."""
    paths = app_paths(tmp_path).ensure()
    with HistoryStore.open(paths.database_file) as store:
        conversation = store.create_conversation(title="kept while locked")
        store.add_user_message(conversation.id, "hello")
        store.start_assistant_message(conversation.id)
    holder = LockHolder(paths.database_file)
    try:
        yield paths, holder
    finally:
        holder.release()


def states(database: Path) -> list[str]:
    """The messages' states, read beside the lock (WAL readers are never blocked)."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        return [row[0] for row in db.execute("SELECT state FROM messages ORDER BY id")]


def first_try(paths: AppPaths, keyring: MemoryKeyring) -> str:
    """What the app's start-up does first: build(), which reports the lock at once."""
    with pytest.raises(StorageError) as info:
        build(paths, secrets=SecretStore(keyring))
    assert is_locked(info.value)
    return info.value.message


def sidebar_titles(built: App) -> list[str]:
    model = built.window.history_panel.model
    found = (model.conversation_at(row) for row in range(model.rowCount()))
    return [conversation.title for conversation in found if conversation is not None]


def wait_window() -> HistoryWaitWindow | None:
    found = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, HistoryWaitWindow) and w.isVisible()]
    return found[0] if found else None


def test_the_window_shows_a_banner_and_opens_the_history_on_retry(
        qtbot: Any, qasync_loop: Any, locked: tuple[AppPaths, LockHolder],
        memory_keyring: MemoryKeyring) -> None:
    paths, holder = locked
    problem = first_try(paths, memory_keyring)

    async def scenario() -> App | None:
        opening = asyncio.ensure_future(open_when_free(
            paths, problem, secrets=SecretStore(memory_keyring), retry_every=600))
        await wait_until(lambda: wait_window() is not None)
        window = wait_window()
        assert window is not None
        assert "locked by another program" in window.headline.text()
        assert "busy/locked" in window.detail.text()
        assert str(paths.database_file) in window.detail.text()
        window.grab()  # the UI thread paints: no busy wait, no modal box
        assert QApplication.activeModalWidget() is None
        # Retry while the lock is still held: the window stays, says so again, waits.
        qtbot.mouseClick(window.retry_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: window.attempts == 1 and window.retry_button.isEnabled())
        assert not opening.done() and window.isVisible()
        assert states(paths.database_file) == ["complete", "streaming"]  # nothing written
        holder.release()
        qtbot.mouseClick(window.retry_button, Qt.MouseButton.LeftButton)
        built = await opening
        assert wait_window() is None  # the real window took its place
        return built

    built = qasync_loop.run(scenario())
    assert built is not None
    qtbot.addWidget(built.window)
    assert built.window.isVisible()
    assert sidebar_titles(built) == ["kept while locked"]  # the sidebar has the history
    assert built.store.recovered_interrupted == 1
    assert states(paths.database_file) == ["complete", "interrupted"]
    qasync_loop.run(built.aclose())


def test_the_history_opens_by_itself_once_the_lock_goes(
        qtbot: Any, qasync_loop: Any, locked: tuple[AppPaths, LockHolder],
        memory_keyring: MemoryKeyring) -> None:
    paths, holder = locked
    problem = first_try(paths, memory_keyring)

    async def scenario() -> App | None:
        opening = asyncio.ensure_future(open_when_free(
            paths, problem, secrets=SecretStore(memory_keyring), retry_every=0.05))
        await wait_until(lambda: (w := wait_window()) is not None and w.attempts >= 2)
        assert not opening.done()
        holder.release()
        return await opening

    built = qasync_loop.run(scenario())
    assert built is not None
    qtbot.addWidget(built.window)
    assert sidebar_titles(built) == ["kept while locked"]
    qasync_loop.run(built.aclose())


def test_closing_the_waiting_window_leaves_the_history_untouched(
        qtbot: Any, qasync_loop: Any, locked: tuple[AppPaths, LockHolder],
        memory_keyring: MemoryKeyring) -> None:
    paths, holder = locked
    problem = first_try(paths, memory_keyring)

    async def scenario() -> App | None:
        opening = asyncio.ensure_future(open_when_free(
            paths, problem, secrets=SecretStore(memory_keyring), retry_every=600))
        await wait_until(lambda: wait_window() is not None)
        window = wait_window()
        assert window is not None
        window.close()
        return await opening

    assert qasync_loop.run(scenario()) is None
    holder.release()
    assert states(paths.database_file) == ["complete", "streaming"]
