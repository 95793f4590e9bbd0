"""HistoryStore basics on real SQLite files: conversations, messages, paging, streaming."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktopchat.errors import StorageError
from desktopchat.storage.store import HistoryStore, title_from


def test_open_sets_wal_foreign_keys_and_records_migrations(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    HistoryStore.open(path, busy_timeout=2.5).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    names = [r[0] for r in db.execute("SELECT name FROM schema_migrations ORDER BY rowid")]
    assert names == [
        "001_initial",
        "002_pinned_and_fts",
        "003_message_tree",
        "004_substring_index",
        "005_attachments",
        "006_tool_call_index",
        "007_folders",
        "008_search_lists",
        "009_search_lists_index",
    ]
    assert all(r[0] > 0 for r in db.execute("SELECT applied_at FROM schema_migrations"))
    with HistoryStore.open(path, busy_timeout=2.5) as store:
        assert store._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store._db.execute("PRAGMA busy_timeout").fetchone()[0] == 2500
        assert store.schema_version == 9
        assert store.backup_path is None


def test_create_and_get_conversation(store: HistoryStore) -> None:
    c = store.create_conversation(profile="work", model="gpt-x")
    got = store.get_conversation(c.id)
    assert got == c
    assert (got.title, got.profile, got.model, got.pinned, got.title_is_custom) == (
        "",
        "work",
        "gpt-x",
        False,
        False,
    )
    assert got.provider_conversation_id is None
    assert len(got.uid) == 36 and got.created_at == got.updated_at > 0


def test_title_comes_from_first_user_message_until_renamed(store: HistoryStore) -> None:
    c = store.create_conversation()
    first = store.add_user_message(c.id, "  How do I\n stream   responses?  ")
    assert store.get_conversation(c.id).title == "How do I stream responses?"
    store.add_user_message(c.id, "second question")
    assert store.get_conversation(c.id).title == "How do I stream responses?"
    store.edit_message(first.id, "Edited first question")
    assert store.get_conversation(c.id).title == "Edited first question"
    store.rename_conversation(c.id, "My name")
    store.edit_message(first.id, "Another edit")
    got = store.get_conversation(c.id)
    assert (got.title, got.title_is_custom) == ("My name", True)
    store.rename_conversation(c.id, "   ")  # empty: back to the automatic title
    got = store.get_conversation(c.id)
    assert (got.title, got.title_is_custom) == ("Another edit", False)


def test_long_title_is_cut_near_sixty_chars() -> None:
    title = title_from("word " * 40)
    assert len(title) <= 61 and title.endswith("…")
    assert title_from("x" * 100) == "x" * 60 + "…"


def test_conversation_setters(store: HistoryStore) -> None:
    c = store.create_conversation(title="Named")
    assert store.get_conversation(c.id).title_is_custom
    store.set_pinned(c.id, True)
    store.set_provider_conversation_id(c.id, "prov-1")
    store.set_conversation_profile(c.id, "home", "llama3")
    got = store.get_conversation(c.id)
    assert (got.pinned, got.provider_conversation_id, got.profile, got.model) == (
        True,
        "prov-1",
        "home",
        "llama3",
    )
    with pytest.raises(StorageError, match="does not exist"):
        store.set_pinned(999, True)
    with pytest.raises(StorageError, match="does not exist"):
        store.get_conversation(999)


def test_list_is_pinned_first_then_newest_and_pages(store: HistoryStore) -> None:
    ids = [store.create_conversation().id for _ in range(7)]
    store.add_user_message(ids[2], "makes it the newest")
    store.set_pinned(ids[0], True)
    listed = [c.id for c in store.list_conversations(limit=50)]
    assert listed[0] == ids[0]
    assert listed[1] == ids[2]
    assert listed[2:] == [ids[6], ids[5], ids[4], ids[3], ids[1]]
    pages = [c.id for o in range(0, 7, 3) for c in store.list_conversations(limit=3, offset=o)]
    assert pages == listed
    assert store.count_conversations() == 7


def test_messages_page_newest_first_returned_oldest_to_newest(store: HistoryStore) -> None:
    c = store.create_conversation()
    ids = [store.add_user_message(c.id, f"m{i}").id for i in range(10)]
    page1 = store.messages(c.id, limit=4)
    assert [m.id for m in page1] == ids[6:]
    page2 = store.messages(c.id, limit=4, before_id=page1[0].id)
    assert [m.id for m in page2] == ids[2:6]
    page3 = store.messages(c.id, limit=4, before_id=page2[0].id)
    assert [m.id for m in page3] == ids[:2]
    assert store.messages(c.id, limit=4, before_id=page3[0].id) == []


def test_streaming_lifecycle(store: HistoryStore) -> None:
    c = store.create_conversation()
    store.add_user_message(c.id, "hi")
    m = store.start_assistant_message(c.id)
    assert (m.role, m.state, m.content) == ("assistant", "streaming", "")
    calls = [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{"}}]
    store.update_assistant_message(m.id, content="Hel", reasoning="think", tool_calls=calls)
    got = store.message(m.id)
    assert (got.content, got.reasoning, got.tool_calls, got.state) == (
        "Hel",
        "think",
        calls,
        "streaming",
    )
    store.finish_assistant_message(
        m.id,
        state="complete",
        content="Hello",
        reasoning="think more",
        finish_reason="stop",
        usage={"total_tokens": 12},
    )
    got = store.message(m.id)
    assert (got.state, got.content, got.finish_reason, got.usage, got.error) == (
        "complete",
        "Hello",
        "stop",
        {"total_tokens": 12},
        None,
    )
    assert store.get_conversation(c.id).updated_at >= got.updated_at
    with pytest.raises(StorageError, match="not streaming"):
        store.update_assistant_message(m.id, content="late")
    with pytest.raises(ValueError, match="state"):
        store.finish_assistant_message(m.id, state="streaming", content="")


def test_finish_with_error(store: HistoryStore) -> None:
    c = store.create_conversation()
    m = store.start_assistant_message(c.id)
    store.finish_assistant_message(m.id, state="error", content="part", error="HTTP 500")
    got = store.message(m.id)
    assert (got.state, got.content, got.error) == ("error", "part", "HTTP 500")


def test_remove_branch_and_conversation_cascade(store: HistoryStore) -> None:
    c = store.create_conversation()
    other = store.create_conversation()
    ids = [store.add_user_message(c.id, f"m{i}").id for i in range(5)]
    keep = store.add_user_message(other.id, "other")
    store.remove_branch(ids[2])
    assert [m.id for m in store.messages(c.id)] == ids[:2]
    assert store.current_leaf_id(c.id) == ids[1]
    store.delete_conversation(c.id)
    assert store.count_messages(c.id) == 0
    assert store.message(keep.id).content == "other"
    with pytest.raises(StorageError, match="does not exist"):
        store.message(ids[0])
    with pytest.raises(StorageError, match="does not exist"):
        store.add_user_message(c.id, "into a deleted conversation")


def test_streaming_message_is_interrupted_on_reopen(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore.open(path) as store:
        c = store.create_conversation()
        m = store.start_assistant_message(c.id)
        store.update_assistant_message(m.id, content="partial text")
    with HistoryStore.open(path) as store:
        assert store.recovered_interrupted == 1
        got = store.message(m.id)
        assert (got.state, got.content) == ("interrupted", "partial text")
        assert [h.message_id for h in store.search("partial")] == [m.id]
    with HistoryStore.open(path) as store:
        assert store.recovered_interrupted == 0
