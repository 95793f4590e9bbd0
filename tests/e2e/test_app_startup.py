"""Start-up on a troubled data folder, through the real app process and app.build()."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktopchat.app import build, history_unavailable
from desktopchat.errors import StorageError
from desktopchat.paths import app_paths
from desktopchat.storage.store import HistoryStore
from tests.support.history_lock import LockHolder

REPO = Path(__file__).resolve().parents[2]
WRITER = REPO / "tests" / "support" / "storage_writer.py"


def run_app(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("DESKTOPCHAT_BASEDIR", None)
    return subprocess.run([sys.executable, "-m", "desktopchat", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture
def locked_history(tmp_path: Path) -> Iterator[Path]:
    """A history with a reply left streaming by a dead writer (so opening must write), and
    a real second process holding its write lock."""
    database = app_paths(tmp_path).ensure().database_file
    with HistoryStore.open(database) as store:
        store.start_assistant_message(store.create_conversation().id)
    holder = subprocess.Popen([sys.executable, str(WRITER), "hold-lock", str(database)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdin is not None
    try:
        assert holder.stdout.readline().strip() == "LOCKED"
        yield tmp_path
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
        holder.stdout.close()


def test_self_test_leaves_the_window_state_file_alone(tmp_path: Path) -> None:
    state = app_paths(tmp_path).ensure().window_state_file
    state.write_text('{"version": 1, "state": {"geometry": "kept as it was"}}')
    before = state.read_bytes()
    result = run_app("--self-test", "--basedir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert state.read_bytes() == before


def test_a_locked_history_is_reported_without_the_long_wait(locked_history: Path) -> None:
    result = run_app("--self-test", "--basedir", str(locked_history))
    assert result.returncode == 2
    assert "busy/locked by another program (waited 0.25 s)" in result.stdout


def test_a_dangling_symlink_at_the_history_is_refused(tmp_path: Path) -> None:
    database = app_paths(tmp_path).ensure().database_file
    outside = tmp_path / "outside" / "history.sqlite3"
    database.symlink_to(outside)
    result = run_app("--self-test", "--basedir", str(tmp_path))
    assert result.returncode == 2 and "symbolic link" in result.stdout
    assert not outside.parent.exists()


@pytest.mark.expected_log(r"^desktopchat: history database unusable")
def test_an_unusable_history_box_names_the_file(qtbot: Any, tmp_path: Path) -> None:
    # (A locked history no longer gets this box: tests/gui/test_locked_history.py.)
    paths = app_paths(tmp_path).ensure()
    paths.database_file.write_bytes(b"not a database at all" * 10)
    with pytest.raises(StorageError) as info:
        build(paths)
    clicked: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        clicked.append(box.text())
        assert box.button(QMessageBox.StandardButton.Retry) is None
        box.button(QMessageBox.StandardButton.Close).click()

    QTimer.singleShot(0, answer)
    history_unavailable(info.value.message, paths.database_file)
    assert "not an SQLite database" in clicked[0] and str(paths.database_file) in clicked[0]


def test_the_app_process_opens_a_locked_history_by_itself_once_it_is_free(
        tmp_path: Path) -> None:
    # The real `python -m desktopchat` on a history another process holds: no modal box
    # stops it; once the lock goes, the window opens with no one clicking anything.
    paths = app_paths(tmp_path).ensure()
    with HistoryStore.open(paths.database_file) as store:
        store.start_assistant_message(store.create_conversation().id)  # opening must write
    holder = LockHolder(paths.database_file)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("DESKTOPCHAT_BASEDIR", None)
    app = subprocess.Popen([sys.executable, "-m", "desktopchat", "--basedir", str(tmp_path)],
                           cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    log = paths.log_dir / "desktopchat.log"
    try:
        assert log_says(log, "history database locked at start-up", app)
        assert "window shown" not in log.read_text()
        holder.release()
        assert log_says(log, "window shown", app)
    finally:
        holder.release()
        app.terminate()
        app.wait(timeout=30)


def log_says(log: Path, text: str, app: subprocess.Popen[bytes]) -> bool:
    """Whether the app's log gets `text` while the app runs (bounded: 30 s)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and app.poll() is None:
        if log.exists() and text in log.read_text(encoding="utf-8", errors="replace"):
            return True
        time.sleep(0.05)  # polling a file another process writes; no signal to wait on
    return False
