"""Rolling backups and the export-everything archive, on real SQLite files and real zips."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from desktopchat.errors import StorageError
from desktopchat.storage.archive import write_archive
from desktopchat.storage.backups import backup_due, list_backups, prune, take_backup
from desktopchat.storage.importers import import_into
from desktopchat.storage.store import HistoryStore

NOON = datetime(2026, 12, 2, 12, 0, 0)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    (tmp_path / "data").mkdir()
    with HistoryStore.open(tmp_path / "data" / "history.sqlite3") as s:
        chat = s.create_conversation(title="Backed up 数据库")
        s.add_user_message(chat.id, "first words")
        reply = s.start_assistant_message(chat.id)
        s.finish_assistant_message(reply.id, state="complete", content="an answer")
        yield s


def contents(path: Path) -> list[tuple[str, list[str]]]:
    with HistoryStore.open(path) as copy:
        return [
            (c.title, [m.content for m in copy.messages(c.id)])
            for c in copy.list_conversations()
        ]


def test_a_backup_is_a_complete_database_of_its_own(store: HistoryStore, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    made = take_backup(store.path, folder, NOON, keep=3)
    assert made.name == "history-20261202-120000.sqlite3"
    assert contents(made) == [("Backed up 数据库", ["first words", "an answer"])]
    # One plain file: no -wal beside it is needed to read it elsewhere.
    assert sorted(p.name for p in folder.iterdir()) == [made.name]


def test_a_backup_leaves_out_what_another_writer_has_not_committed(
    store: HistoryStore, tmp_path: Path
) -> None:
    writer = sqlite3.connect(store.path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE conversations SET title = 'uncommitted'")
    during = take_backup(store.path, tmp_path / "b", NOON, keep=5)
    writer.execute("COMMIT")
    writer.close()
    after = take_backup(store.path, tmp_path / "b", NOON + timedelta(days=1), keep=5)
    assert [title for title, _ in contents(during)] == ["Backed up 数据库"]
    assert [title for title, _ in contents(after)] == ["uncommitted"]


def test_only_the_newest_backups_are_kept(store: HistoryStore, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")  # the user's own file stays
    (folder / "history-20200101-000000.sqlite3.partial").write_text("killed mid-backup")
    for day in range(5):
        take_backup(store.path, folder, NOON + timedelta(days=day), keep=3)
    kept = [b.taken.day for b in list_backups(folder)]
    assert kept == [6, 5, 4]
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith("history-2026")) == [
        "notes.txt"]
    assert len(prune(folder, 0)) == 2
    assert [b.taken.day for b in list_backups(folder)] == [6]  # keep 0 still keeps the newest


def test_a_backup_is_due_daily_and_after_a_clock_jump(store: HistoryStore, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    assert backup_due(folder, NOON)  # none yet (the folder does not even exist)
    take_backup(store.path, folder, NOON, keep=3)
    assert not backup_due(folder, NOON + timedelta(hours=23))
    assert backup_due(folder, NOON + timedelta(hours=24))
    assert backup_due(folder, NOON - timedelta(days=3))  # newest dated in the future


def test_a_missing_history_is_an_error_and_leaves_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    with pytest.raises(StorageError, match="Could not back up"):
        take_backup(tmp_path / "nothing.sqlite3", folder, NOON, keep=3)
    assert list(folder.iterdir()) == []
    assert not (tmp_path / "nothing.sqlite3").exists()  # read-only: never created


def test_the_archive_restores_by_import_and_as_a_database(
    store: HistoryStore, tmp_path: Path
) -> None:
    settings = tmp_path / "settings.json"
    settings.write_text('{"version": 3}')
    target = tmp_path / "out" / "everything.zip"
    target.parent.mkdir()
    summary = write_archive(store.path, target, config_files=[settings, tmp_path / "absent"])
    assert (summary.conversations, summary.path) == (1, target)
    with zipfile.ZipFile(target) as archive:
        assert sorted(archive.namelist()) == [
            "README.txt", "conversations.json", "history.sqlite3", "settings.json"]
        archive.extractall(tmp_path / "unpacked")
        exported = json.loads(archive.read("conversations.json"))
    assert exported["format"] == "desktopchat-history"
    assert sorted(p.name for p in target.parent.iterdir()) == ["everything.zip"]  # no leftovers
    assert contents(tmp_path / "unpacked" / "history.sqlite3") == contents(store.path)
    with HistoryStore.open(tmp_path / "restored.sqlite3"):
        pass
    unpacked = tmp_path / "unpacked" / "conversations.json"
    result = import_into(tmp_path / "restored.sqlite3", unpacked)
    assert result.conversations_added == 1
    assert contents(tmp_path / "restored.sqlite3") == contents(store.path)


def test_a_cancelled_archive_leaves_nothing(store: HistoryStore, tmp_path: Path) -> None:
    class Cancelled(Exception):
        pass

    def cancel(done: int, total: int) -> None:
        raise Cancelled

    with pytest.raises(Cancelled):
        write_archive(store.path, tmp_path / "all.zip", progress=cancel)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]
