"""Sidebar folders on a real SQLite file: create, rename, order, collapse, move, delete, undo."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktopchat.errors import StorageError
from desktopchat.storage.store import HistoryStore


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    with HistoryStore.open(tmp_path / "history.sqlite3") as s:
        yield s


def names(store: HistoryStore) -> list[str]:
    return [f.name for f in store.folders.in_order()]


def test_create_lists_in_order_with_counts(store: HistoryStore) -> None:
    work = store.folders.create("  Work \n stuff ")
    home = store.folders.create("Home")
    chat = store.create_conversation(title="Plan")
    store.folders.move_conversation(chat.id, work.id)
    assert names(store) == ["Work stuff", "Home"]
    assert [f.conversation_count for f in store.folders.in_order()] == [1, 0]
    assert store.get_conversation(chat.id).folder_id == work.id
    assert not home.collapsed


@pytest.mark.parametrize("bad", ["", "   ", "\n\t", "\x00\x07"])
def test_a_folder_needs_a_name(store: HistoryStore, bad: str) -> None:
    with pytest.raises(StorageError, match="needs a name"):
        store.folders.create(bad)
    assert names(store) == []


def test_names_are_unique_whatever_the_case(store: HistoryStore) -> None:
    work = store.folders.create("Work")
    with pytest.raises(StorageError, match="already exists"):
        store.folders.create("WORK")
    other = store.folders.create("Other")
    with pytest.raises(StorageError, match="already exists"):
        store.folders.rename(other.id, "work")
    store.folders.rename(work.id, "work")  # its own name in another case is fine
    assert names(store) == ["work", "Other"]
    assert store.folders.unused_name("Other") == "Other 2"
    assert store.folders.unused_name("New folder") == "New folder"


def test_long_names_are_capped(store: HistoryStore) -> None:
    folder = store.folders.create("x" * 500)
    assert len(folder.name) == 100


def test_move_in_and_out_keeps_the_chat_s_times(store: HistoryStore) -> None:
    folder = store.folders.create("Work")
    chat = store.create_conversation(title="Plan")
    before = store.get_conversation(chat.id)
    store.folders.move_conversation(chat.id, folder.id)
    assert [c.id for c in store.folders.conversations_in(folder.id)] == [chat.id]
    assert store.folders.top_level() == []
    store.folders.move_conversation(chat.id, None)
    after = store.get_conversation(chat.id)
    assert after.folder_id is None
    assert after.updated_at == before.updated_at
    assert [c.id for c in store.folders.top_level()] == [chat.id]


def test_moving_to_a_missing_folder_or_chat_says_so(store: HistoryStore) -> None:
    chat = store.create_conversation()
    with pytest.raises(StorageError, match="Folder 99 does not exist"):
        store.folders.move_conversation(chat.id, 99)
    folder = store.folders.create("Work")
    with pytest.raises(StorageError, match="Conversation 1234 does not exist"):
        store.folders.move_conversation(1234, folder.id)
    assert store.get_conversation(chat.id).folder_id is None


def test_top_level_pages_skip_filed_chats(store: HistoryStore) -> None:
    folder = store.folders.create("Work")
    chats = [store.create_conversation(title=f"c{i}") for i in range(5)]
    store.folders.move_conversation(chats[2].id, folder.id)
    first = store.folders.top_level(limit=2)
    rest = store.folders.top_level(limit=2, offset=2)
    assert [c.title for c in first + rest] == ["c4", "c3", "c1", "c0"]


def test_order_and_collapse_are_remembered(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore.open(path) as store:
        a, b, c = (store.folders.create(n) for n in ("A", "B", "C"))
        store.folders.move(c.id, 0)
        store.folders.move(a.id, 99)  # past the end: last
        store.folders.set_collapsed(b.id, True)
    with HistoryStore.open(path) as store:
        assert names(store) == ["C", "B", "A"]
        assert [f.collapsed for f in store.folders.in_order()] == [False, True, False]


def test_delete_puts_chats_back_at_the_top_level_and_undo_restores(store: HistoryStore) -> None:
    first = store.folders.create("First")
    work = store.folders.create("Work")
    store.folders.create("Last")
    store.folders.set_collapsed(work.id, True)
    chats = [store.create_conversation(title=f"c{i}") for i in range(3)]
    for chat in chats[:2]:
        store.folders.move_conversation(chat.id, work.id)
    removed = store.folders.delete(work.id)
    assert names(store) == ["First", "Last"]
    assert {c.id for c in store.folders.top_level()} == {c.id for c in chats}
    assert store.count_conversations() == 3  # no chat is ever deleted with its folder
    # Meanwhile one chat is filed elsewhere: Undo leaves it where the user put it.
    store.folders.move_conversation(chats[1].id, first.id)
    restored = store.folders.restore(removed)
    assert names(store) == ["First", "Work", "Last"]
    assert restored.collapsed and restored.conversation_count == 1
    assert [c.id for c in store.folders.conversations_in(restored.id)] == [chats[0].id]
    assert store.get_conversation(chats[1].id).folder_id == first.id


def test_undo_when_the_name_was_taken_meanwhile(store: HistoryStore) -> None:
    removed = store.folders.delete(store.folders.create("Work").id)
    store.folders.create("Work")
    assert store.folders.restore(removed).name == "Work 2"


def test_deleting_a_conversation_leaves_its_folder(store: HistoryStore) -> None:
    folder = store.folders.create("Work")
    chat = store.create_conversation()
    store.folders.move_conversation(chat.id, folder.id)
    store.delete_conversation(chat.id)
    assert store.folders.get(folder.id).conversation_count == 0


def test_deleting_a_folder_through_sql_frees_its_chats(store: HistoryStore) -> None:
    # Another writer (an older build, a hand edit) deletes the row: the chats are not lost.
    folder = store.folders.create("Work")
    chat = store.create_conversation()
    store.folders.move_conversation(chat.id, folder.id)
    db = sqlite3.connect(store.path)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("DELETE FROM folders WHERE id = ?", (folder.id,))
    db.commit()
    db.close()
    assert store.get_conversation(chat.id).folder_id is None


def test_ensure_finds_by_name_or_creates(store: HistoryStore) -> None:
    work = store.folders.create("Work")
    assert store.folders.ensure("work").id == work.id
    assert store.folders.ensure("Ideas").name == "Ideas"
    assert names(store) == ["Work", "Ideas"]


def test_names_of_conversations(store: HistoryStore) -> None:
    folder = store.folders.create("Work")
    a, b = store.create_conversation(), store.create_conversation()
    store.folders.move_conversation(a.id, folder.id)
    assert store.folders.names_of([a.id, b.id]) == {a.id: "Work"}
