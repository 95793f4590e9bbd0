"""Faults with real files and real processes: locks, damaged files, read-only, disk full."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktopchat.errors import StorageError
from desktopchat.storage.sqlerrors import storage_error
from desktopchat.storage.store import HistoryStore

WRITER = Path(__file__).resolve().parents[1] / "support" / "storage_writer.py"


def make_history(path: Path, conversations: int = 3) -> None:
    with HistoryStore.open(path) as store:
        for i in range(conversations):
            c = store.create_conversation()
            store.add_user_message(c.id, f"message {i} " + "text " * 200)
        store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def lock_holder(tmp_path: Path) -> Iterator[Path]:
    """A real second process holding the database's write lock (BEGIN IMMEDIATE)."""
    path = tmp_path / "history.sqlite3"
    make_history(path)
    child = subprocess.Popen(
        [sys.executable, str(WRITER), "hold-lock", str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdin is not None
    try:
        assert child.stdout.readline().strip() == "LOCKED"
        yield path
    finally:
        child.stdin.close()
        child.wait(timeout=10)
        child.stdout.close()


def test_write_while_another_process_holds_the_lock(lock_holder: Path) -> None:
    with HistoryStore.open(lock_holder, busy_timeout=0.3) as store:
        before = store.count_conversations()
        conversation_id = store.list_conversations()[0].id
        started = time.monotonic()
        with pytest.raises(StorageError, match="busy/locked by another program") as info:
            store.add_user_message(conversation_id, "blocked")
        assert time.monotonic() - started >= 0.25  # it waited busy_timeout before giving up
        assert "waited 0.3 s" in str(info.value)
        with pytest.raises(StorageError, match="busy/locked"):
            store.create_conversation()
        assert store.count_conversations() == before  # reading still works meanwhile


def test_open_waits_for_lock_when_recovery_must_write(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore.open(path) as store:
        store.start_assistant_message(store.create_conversation().id)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StorageError, match="busy/locked"):
            HistoryStore.open(path, busy_timeout=0.2)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with HistoryStore.open(path) as store:
        assert store.recovered_interrupted == 1


def test_lock_released_then_writes_work(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    make_history(path)
    with HistoryStore.open(path, busy_timeout=0.2) as store:
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(StorageError, match="busy/locked"):
            store.create_conversation()
        holder.execute("COMMIT")
        holder.close()
        assert store.create_conversation().id > 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"This is my shopping list, not a database.\n" * 10, "not an SQLite database"),
        (b"SQLite format 2\x00" + b"\x00" * 200, "not an SQLite database"),
        (b"SQLite form", "not an SQLite database"),
        (b"SQLite format 3\x00" + b"\x00" * 40, "truncated"),
        (b"\x00" * 4096, "not an SQLite database"),
    ],
)
def test_not_a_database_is_refused_and_untouched(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(content)
    with pytest.raises(StorageError, match=message):
        HistoryStore.open(path)
    assert files_in(tmp_path) == {"history.sqlite3": content}


def test_truncated_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    make_history(path, conversations=20)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    before = files_in(tmp_path)
    with pytest.raises(StorageError, match="truncated"):
        HistoryStore.open(path)
    assert files_in(tmp_path) == before


def test_damaged_header_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    make_history(path)
    data = bytearray(path.read_bytes())
    data[16:18] = b"\x03\x07"  # page size 775: not a power of two
    path.write_bytes(bytes(data))
    before = files_in(tmp_path)
    with pytest.raises(StorageError, match="damaged header"):
        HistoryStore.open(path)
    assert files_in(tmp_path) == before


def test_corrupt_schema_page_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    make_history(path)
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema table's b-tree page
    path.write_bytes(bytes(data))
    before = files_in(tmp_path)
    with pytest.raises(StorageError, match=r"damaged|not an SQLite") as info:
        HistoryStore.open(path)
    assert str(path) in str(info.value)
    assert files_in(tmp_path) == before


def test_folder_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="not a file"):
        HistoryStore.open(tmp_path)
    with pytest.raises(StorageError, match=r"folder .* does not exist"):
        HistoryStore.open(tmp_path / "missing" / "history.sqlite3")


def run_without_root_powers(path: Path) -> str:
    """Run the writer's `open` command so that file permissions apply, even for root."""
    command = [sys.executable, str(WRITER), "open", str(path)]
    if os.geteuid() == 0:
        # Root ignores permission bits through CAP_DAC_OVERRIDE; drop it for the child.
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--", *command]
    done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        out = run_without_root_powers(folder / "history.sqlite3")
    finally:
        folder.chmod(0o755)
    assert out.startswith("ERROR ") and "read-only" in out, out
    assert list(folder.iterdir()) == []


def test_read_only_folder_with_existing_history(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    make_history(folder / "history.sqlite3")
    before = files_in(folder)
    folder.chmod(0o555)
    (folder / "history.sqlite3").chmod(0o444)
    try:
        out = run_without_root_powers(folder / "history.sqlite3")
    finally:
        folder.chmod(0o755)
    assert out.startswith("ERROR ") and "read-only" in out, out
    assert files_in(folder) == before


def test_read_only_file(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    make_history(path)
    path.chmod(0o444)
    before = path.read_bytes()
    out = run_without_root_powers(path)
    assert out.startswith("ERROR ") and "read-only" in out, out
    assert path.read_bytes() == before


def test_writable_file_is_fine_for_the_child(tmp_path: Path) -> None:
    assert run_without_root_powers(tmp_path / "history.sqlite3") == "OK"


def test_disk_full_leaves_no_half_written_message(tmp_path: Path) -> None:
    with HistoryStore.open(tmp_path / "history.sqlite3") as store:
        c = store.create_conversation()
        store.add_user_message(c.id, "fits")
        reply = store.start_assistant_message(c.id)
        store.update_assistant_message(reply.id, content="saved part")
        before = store.get_conversation(c.id)
        pages = store._db.execute("PRAGMA page_count").fetchone()[0]
        # The file may not grow any more: the next big write hits SQLITE_FULL.
        store._db.execute(f"PRAGMA max_page_count = {pages + 1}")
        big = "x" * 500_000
        with pytest.raises(StorageError, match="disk is full"):
            store.add_user_message(c.id, big)
        with pytest.raises(StorageError, match="disk is full"):
            store.update_assistant_message(reply.id, content=big)
        with pytest.raises(StorageError, match="disk is full"):
            store.finish_assistant_message(reply.id, state="complete", content=big)
        assert [m.content for m in store.messages(c.id)] == ["fits", "saved part"]
        assert store.message(reply.id).state == "streaming"
        assert store.get_conversation(c.id) == before
        assert not store._db.in_transaction
        store._db.execute("PRAGMA max_page_count = 1073741823")
        store.add_user_message(c.id, big)  # space again: the store is still usable
        assert store._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (sqlite3.OperationalError("database is locked"), "busy/locked"),
        (sqlite3.OperationalError("database or disk is full"), "disk is full"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "read-only"),
        (sqlite3.DatabaseError("file is not a database"), "not an SQLite database"),
        (sqlite3.DatabaseError("database disk image is malformed"), "damaged"),
        (sqlite3.OperationalError("unable to open database file"), "cannot be opened"),
        (sqlite3.IntegrityError("UNIQUE constraint failed: conversations.uid"), "failed"),
    ],
)
def test_every_sqlite_error_becomes_a_plain_storage_error(
    error: sqlite3.Error, expected: str
) -> None:
    mapped = storage_error(error, Path("/data/history.sqlite3"), 5.0)
    assert isinstance(mapped, StorageError)
    assert expected in str(mapped) and "/data/history.sqlite3" in str(mapped)
