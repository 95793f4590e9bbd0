"""Tool calls are searchable: a conversation is found by a call's name and its arguments."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktopchat.storage.models import HIT_END, HIT_START, SearchFilters
from desktopchat.storage.store import HistoryStore

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "db"


def call(name: str, arguments: dict[str, Any], call_id: str = "call_1") -> dict[str, Any]:
    return {
        "id": call_id,
        "type": "function",
        "function": {"name": name, "arguments": json.dumps(arguments, ensure_ascii=False)},
    }


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    with HistoryStore.open(tmp_path / "history.sqlite3") as s:
        yield s


def reply_with_calls(store: HistoryStore, calls: list[dict[str, Any]], title: str = "") -> int:
    """A conversation whose reply calls tools; returns the reply's message id."""
    conversation = store.create_conversation(title=title or "Arithmetic")
    store.add_user_message(conversation.id, "What is two plus forty?")
    reply = store.start_assistant_message(conversation.id)
    store.update_assistant_message(reply.id, content="", tool_calls=calls)
    store.finish_assistant_message(
        reply.id, state="complete", content="", tool_calls=calls, finish_reason="tool_calls"
    )
    return reply.id


def message_ids(store: HistoryStore, query: str) -> set[int | None]:
    return {hit.message_id for hit in store.search(query)}


def test_call_is_found_by_its_name_and_by_its_arguments(store: HistoryStore) -> None:
    reply = reply_with_calls(store, [call("add", {"a": 2, "b": 40})])
    assert reply in message_ids(store, "add")
    assert reply in message_ids(store, "40")
    assert reply in message_ids(store, "add 40")
    assert reply in message_ids(store, '"b": 40')
    assert reply not in message_ids(store, "41")
    assert reply not in message_ids(store, "subtract")


def test_snippet_of_a_call_hit_shows_the_call(store: HistoryStore) -> None:
    reply = reply_with_calls(store, [call("add", {"a": 2, "b": 40})])
    (hit,) = [h for h in store.search("40") if h.message_id == reply]
    assert f"{HIT_START}40{HIT_END}" in hit.snippet
    assert "add" in hit.snippet
    assert hit.terms == ("40",)


def test_grouped_search_finds_the_conversation_once(store: HistoryStore) -> None:
    reply = reply_with_calls(store, [call("add", {"a": 2, "b": 40})], title="Sums")
    results = store.search_grouped("add")
    (group,) = results.groups
    assert group.title == "Sums"
    assert group.match_count == 1
    assert group.hits[0].message_id == reply


def test_search_filters_apply_to_call_hits(store: HistoryStore) -> None:
    reply = reply_with_calls(store, [call("add", {"a": 2, "b": 40})])
    other = store.create_conversation(title="Elsewhere")
    found = store.search("add", filters=SearchFilters(conversation_id=other.id))
    assert found == []
    owner = store.message(reply).conversation_id
    found = store.search("add", filters=SearchFilters(conversation_id=owner))
    assert [h.message_id for h in found] == [reply]


def test_streaming_calls_are_indexed_once_the_reply_ends(store: HistoryStore) -> None:
    conversation = store.create_conversation()
    reply = store.start_assistant_message(conversation.id)
    store.update_assistant_message(reply.id, content="", tool_calls=[call("add", {"a": 2})])
    assert message_ids(store, "add") == set()
    store.finish_assistant_message(
        reply.id, state="stopped", content="", tool_calls=[call("add", {"a": 2})]
    )
    assert message_ids(store, "add") == {reply.id}


def test_changed_calls_replace_the_old_ones(store: HistoryStore) -> None:
    reply = reply_with_calls(store, [call("add", {"a": 2, "b": 40})])
    store.resume_assistant_message(reply)
    assert message_ids(store, "add") == set()
    store.finish_assistant_message(
        reply, state="complete", content="", tool_calls=[call("multiply", {"x": 6, "y": 7})]
    )
    assert message_ids(store, "add") == set()
    assert message_ids(store, "40") == set()
    assert message_ids(store, "multiply") == {reply}
    check_integrity(store)


def test_parallel_calls_are_each_found(store: HistoryStore) -> None:
    reply = reply_with_calls(
        store, [call("add", {"a": 2}, "c1"), call("get_weather", {"city": "Zürich"}, "c2")]
    )
    assert message_ids(store, "get_weather") == {reply}
    assert message_ids(store, "zurich") == {reply}  # accents folded, as in messages
    assert message_ids(store, "add") == {reply}


def test_calls_written_without_spaces_are_found_by_substring(store: HistoryStore) -> None:
    reply = reply_with_calls(store, [call("search_docs", {"query": "数据库索引教程"})])
    assert message_ids(store, "数据库") == {reply}
    assert message_ids(store, "索引") == {reply}  # two characters: through the vocabulary
    assert message_ids(store, "数据库 search_docs") == {reply}
    (hit,) = store.search("索引教")
    assert f"{HIT_START}索引教{HIT_END}" in hit.snippet


def test_tool_results_are_not_indexed_twice_as_calls(store: HistoryStore) -> None:
    reply = reply_with_calls(store, [call("add", {"a": 2, "b": 40})])
    owner = store.message(reply).conversation_id
    result = store.add_tool_result(owner, reply, call_id="call_1", name="add", content="42")
    assert message_ids(store, "add") == {reply}
    assert message_ids(store, "42") == {result.id}


def test_deleting_a_conversation_empties_its_calls_from_the_index(store: HistoryStore) -> None:
    reply = reply_with_calls(store, [call("add", {"a": 2, "b": 40})])
    store.delete_conversation(store.message(reply).conversation_id)
    assert message_ids(store, "add") == set()
    rows = store._db.execute("SELECT count(*) FROM tool_calls_fts").fetchone()[0]
    assert rows == 0
    check_integrity(store)


def test_malformed_calls_json_never_blocks_a_write(store: HistoryStore) -> None:
    conversation = store.create_conversation()
    message = store.add_message(conversation.id, "assistant", "hello")
    # A file edited by hand: the write goes through; the calls are simply not indexed.
    store._db.execute("UPDATE messages SET tool_calls = '[{oops' WHERE id = ?", (message.id,))
    store._db.execute(
        "UPDATE messages SET tool_calls = '[\"text\", 5, {\"function\": 3}]' WHERE id = ?",
        (message.id,),
    )
    store.edit_message(message.id, "hello again")
    assert message_ids(store, "hello") == {message.id}
    store.delete_conversation(conversation.id)
    check_integrity(store)


def check_integrity(store: HistoryStore) -> None:
    for table in ("tool_calls_fts", "tool_calls_tri"):
        store._db.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")


def test_upgrade_from_version_5_indexes_the_calls_already_stored(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    shutil.copy(FIXTURES / "v5.sqlite3", path)
    before = sqlite3.connect(path)
    (reply_id,) = before.execute(
        "SELECT id FROM messages WHERE tool_calls LIKE '%lookup%'"
    ).fetchone()
    before.close()
    with HistoryStore.open(path) as store:
        assert store.backup_path is not None
        assert message_ids(store, "lookup") == {reply_id}
        (group,) = store.search_grouped("lookup").groups
        assert group.title == "Streaming with httpx"
        check_integrity(store)
