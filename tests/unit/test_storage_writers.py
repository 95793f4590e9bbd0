"""Two processes on one history: recovery touches only replies whose writer is gone.

A real child process (tests/support/storage_writer.py `stream`) streams a reply, the way
the command line does beside a window. Opening the history meanwhile must leave that reply
`streaming`; once the child is killed, the next open marks it `interrupted`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktopchat.errors import StorageError
from desktopchat.storage.store import HistoryStore
from desktopchat.storage.writers import WriterLock

WRITER = Path(__file__).resolve().parents[1] / "support" / "storage_writer.py"


@pytest.fixture
def streaming_child(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path, int]]:
    path = tmp_path / "history.sqlite3"
    HistoryStore.open(path).close()
    child = subprocess.Popen([sys.executable, str(WRITER), "stream", str(path)],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    try:
        for line in child.stdout:
            if line.startswith("STREAMING "):
                yield child, path, int(line.split()[1])
                break
    finally:
        child.kill()
        child.wait(timeout=10)
        child.stdout.close()


def test_a_live_writers_reply_is_not_marked_interrupted(streaming_child) -> None:
    child, path, message_id = streaming_child
    with HistoryStore.open(path) as store:
        assert store.recovered_interrupted == 0
        assert store.message(message_id).state == "streaming"
    assert child.poll() is None  # still streaming, and its saves still succeed
    assert child.stdout is not None
    for _ in range(3):
        assert child.stdout.readline().startswith("SAVED ")


def test_a_dead_writers_reply_is_recovered(streaming_child) -> None:
    child, path, message_id = streaming_child
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)
    with HistoryStore.open(path) as store:
        assert store.recovered_interrupted == 1
        assert store.message(message_id).state == "interrupted"
    assert [p.name for p in path.parent.iterdir() if ".writer-" in p.name] == []


def test_writer_lock_files_of_dead_writers_are_cleared(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    stale = tmp_path / "history.sqlite3.writer-999999-deadbeef"
    stale.write_text("")  # no process holds its lock
    mine = WriterLock(path)
    other = WriterLock(path)  # a second open store counts as another writer
    try:
        assert mine.others_alive()
        assert not stale.exists()
        other.release()
        assert not mine.others_alive()
    finally:
        mine.release()
    assert list(tmp_path.iterdir()) == []


def test_a_dangling_symlink_is_refused_and_nothing_is_created(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    outside = tmp_path / "elsewhere" / "history.sqlite3"
    outside.parent.mkdir()
    link = data / "history.sqlite3"
    link.symlink_to(outside)
    with pytest.raises(StorageError, match=r"symbolic link to .*does not exist"):
        HistoryStore.open(link)
    assert not outside.exists() and list(outside.parent.iterdir()) == []
    assert link.is_symlink()


def test_a_symlink_to_an_existing_history_still_opens(tmp_path: Path) -> None:
    real = tmp_path / "disk2" / "history.sqlite3"
    real.parent.mkdir()
    HistoryStore.open(real).close()
    link = tmp_path / "history.sqlite3"
    link.symlink_to(real)
    with HistoryStore.open(link) as store:
        assert store.count_conversations() == 0


def test_open_timeout_reports_a_locked_history_without_the_long_wait(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore.open(path) as store:
        store.start_assistant_message(store.create_conversation().id)  # recovery must write
    holder = subprocess.Popen([sys.executable, str(WRITER), "hold-lock", str(path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdin is not None
    try:
        assert holder.stdout.readline().strip() == "LOCKED"
        with pytest.raises(StorageError, match=r"busy/locked by another program \(waited 0.1 s\)"):
            HistoryStore.open(path, busy_timeout=30.0, open_timeout=0.1)
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
        holder.stdout.close()
    with HistoryStore.open(path, open_timeout=0.1) as store:
        assert store.busy_timeout == 5.0  # later writes wait as long as ever
        assert store.recovered_interrupted == 1
