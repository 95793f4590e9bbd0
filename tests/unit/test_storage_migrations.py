"""Migrations from a blank file and from every earlier schema version (fixture files)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from desktopchat.errors import StorageError
from desktopchat.storage import migrations
from desktopchat.storage.store import HistoryStore

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "db"
VERSIONS = list(range(1, migrations.LATEST_VERSION + 1))


def test_every_schema_version_has_a_fixture() -> None:
    for version in VERSIONS:
        assert (FIXTURES / f"v{version}.sqlite3").is_file(), (
            f"run tests/fixtures/db/make_fixtures.py and commit v{version}.sqlite3"
        )


def test_blank_file_gets_the_latest_schema(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.touch()  # an empty file is a blank database, not an error
    with HistoryStore.open(path) as store:
        assert store.schema_version == migrations.LATEST_VERSION
        assert store.backup_path is None
        assert store.count_conversations() == 0


@pytest.mark.parametrize("version", VERSIONS)
def test_migrate_fixture_to_latest_keeps_everything(tmp_path: Path, version: int) -> None:
    path = tmp_path / "history.sqlite3"
    shutil.copy(FIXTURES / f"v{version}.sqlite3", path)
    with HistoryStore.open(path) as store:
        assert store.schema_version == migrations.LATEST_VERSION
        if version < migrations.LATEST_VERSION:
            assert store.backup_path is not None
            assert store.backup_path.name.startswith(f"history.sqlite3.bak-v{version}-")
            assert store.backup_path.read_bytes()[:16] == b"SQLite format 3\x00"
            backup = sqlite3.connect(store.backup_path)
            names = [r[0] for r in backup.execute("SELECT name FROM schema_migrations")]
            assert len(names) == version
            assert backup.execute("SELECT count(*) FROM messages").fetchone()[0] == 8
            backup.close()
        else:
            assert store.backup_path is None
        assert store.recovered_interrupted == 1
        first, second = sorted(store.list_conversations(), key=lambda c: c.id)
        assert (first.uid, first.title, first.profile, first.model) == (
            "11111111-1111-4111-8111-111111111111",
            "Streaming with httpx",
            "work",
            "gpt-x",
        )
        assert (second.title, second.title_is_custom, second.provider_conversation_id) == (
            "My renamed chat",
            True,
            "conv-abc",
        )
        assert second.pinned is (version >= 2)
        # Folders arrive with version 7; older chats start at the top level.
        assert second.folder_id is None
        if version >= 7:
            (folder,) = store.folders.in_order()
            assert (folder.name, folder.collapsed, folder.conversation_count) == (
                "Work notes", True, 1)
            assert first.folder_id == folder.id
        else:
            assert first.folder_id is None
            assert store.folders.in_order() == []
        messages = store.messages(first.id)
        assert [m.role for m in messages] == [
            "user",
            "assistant",
            "user",
            "assistant",
            "tool",
            "assistant",
        ]
        files = store.attachments([messages[0].id]).get(messages[0].id, [])
        assert [(f.name, f.data) for f in files] == (
            [("hello.py", b"print('hello')\n")] if version >= 5 else [])
        assert messages[1].reasoning == "The user wants streaming."
        assert messages[1].usage == {"prompt_tokens": 5, "completion_tokens": 9}
        assert messages[3].tool_calls[0]["function"]["name"] == "lookup"
        assert (messages[5].state, messages[5].content) == (
            "interrupted",
            "Partial answer cut by a cr",
        )
        (err,) = [m for m in store.messages(second.id) if m.role == "assistant"]
        assert (err.state, err.error) == ("error", "HTTP 500: upstream failed")
        # The FTS index covers old rows too (built by the migration), and the recovered one.
        assert {h.message_id for h in store.search("stream*")} >= {messages[0].id}
        assert [h.message_id for h in store.search("cut by")] == [messages[5].id]
        assert any(h.conversation_id == second.id for h in store.search("ça va"))
        # Tool calls stored before version 6 are found by name (migration 006's backfill).
        assert [h.message_id for h in store.search("lookup")] == [messages[3].id]
        ok = store._db.execute("PRAGMA integrity_check").fetchone()[0]
        assert ok == "ok"
    # Opening again migrates nothing more and makes no new backup.
    with HistoryStore.open(path) as store:
        assert store.backup_path is None


def test_newer_schema_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    HistoryStore.open(path).close()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO schema_migrations VALUES ('999_from_the_future', 0)")
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    before = path.read_bytes()
    with pytest.raises(StorageError, match="newer version of desktopchat"):
        HistoryStore.open(path)
    assert path.read_bytes() == before


def test_foreign_sqlite_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE accounts(id INTEGER PRIMARY KEY, name TEXT)")
    db.execute("INSERT INTO accounts(name) VALUES ('x')")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(StorageError, match="not a desktopchat history"):
        HistoryStore.open(path)
    assert path.read_bytes() == before
