"""The message tree on real SQLite files: versions, branches, selection, undo, files."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from desktopchat.errors import ImportFormatError, StorageError
from desktopchat.storage import migrations
from desktopchat.storage.export import export_json, export_markdown
from desktopchat.storage.importers import import_json
from desktopchat.storage.models import Message, MessageState
from desktopchat.storage.store import HistoryStore

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "db"
VERSIONS = list(range(1, migrations.LATEST_VERSION + 1))


def reply(store: HistoryStore, conversation_id: int, text: str, **where: int | None) -> Message:
    m = store.start_assistant_message(conversation_id, profile="work", model="gpt-x", **where)
    store.finish_assistant_message(m.id, state="complete", content=text, finish_reason="stop")
    return store.message(m.id)


def contents(messages: list[Message]) -> list[str]:
    return [m.content for m in messages]


@pytest.fixture
def branched(store: HistoryStore) -> tuple[HistoryStore, int, dict[str, Message]]:
    """q1 -> (a1 | a1b -> q2 -> a2) and an edited first question q1b -> a1c."""
    c = store.create_conversation(profile="work", model="gpt-x")
    q1 = store.add_user_message(c.id, "first question")
    a1 = reply(store, c.id, "first answer")
    a1b = reply(store, c.id, "second answer", parent_id=q1.id)
    q2 = store.add_user_message(c.id, "follow-up")
    a2 = reply(store, c.id, "follow-up answer")
    q1b = store.add_user_message(c.id, "edited question", parent_id=None)
    a1c = reply(store, c.id, "answer to the edit")
    names = dict(q1=q1, a1=a1, a1b=a1b, q2=q2, a2=a2, q1b=q1b, a1c=a1c)
    return store, c.id, {k: store.message(v.id) for k, v in names.items()}


@pytest.mark.parametrize("version", VERSIONS)
def test_migration_turns_every_conversation_into_one_path(tmp_path: Path, version: int) -> None:
    path = tmp_path / "history.sqlite3"
    shutil.copy(FIXTURES / f"v{version}.sqlite3", path)
    with HistoryStore.open(path) as store:
        for conversation in store.list_conversations():
            flat = store.messages(conversation.id, limit=-1)
            shown = store.current_path(conversation.id)
            assert [m.id for m in shown] == [m.id for m in flat]  # one path, same order
            assert [m.parent_id for m in shown] == [None] + [m.id for m in shown[:-1]]
            assert store.current_leaf_id(conversation.id) == flat[-1].id
            assert store.branch_positions(shown) == {}  # no versions yet
            assert len({m.uid for m in flat}) == len(flat) and all(m.uid for m in flat)
        # Replies written before version 3 do not pretend to know their model.
        if version < 3:
            assert {m.model for c in store.list_conversations() for m in store.messages(c.id)} == {
                ""
            }
        # New messages continue the path.
        first = store.list_conversations()[-1]
        leaf = store.current_leaf_id(first.id)
        added = store.add_user_message(first.id, "one more")
        assert added.parent_id == leaf and store.current_path(first.id)[-1].id == added.id


def test_versions_siblings_and_positions(
    branched: tuple[HistoryStore, int, dict[str, Message]],
) -> None:
    store, cid, m = branched
    shown = store.current_path(cid)
    assert contents(shown) == ["edited question", "answer to the edit"]
    assert [s.id for s in store.siblings(m["q1"].id)] == [m["q1"].id, m["q1b"].id]
    assert [s.id for s in store.siblings(m["a1"].id)] == [m["a1"].id, m["a1b"].id]
    assert store.branch_positions(shown) == {m["q1b"].id: (2, 2)}
    assert m["a1b"].parent_id == m["q1"].id and m["a1b"].model == "gpt-x"
    # The title follows the first question of the branch shown.
    assert store.get_conversation(cid).title == "edited question"


def test_selected_branch_is_remembered_across_restarts(
    tmp_path: Path, branched: tuple[HistoryStore, int, dict[str, Message]]
) -> None:
    store, cid, m = branched
    path = store.select_branch(m["q1"].id)  # follows the newest reply down
    assert contents(path) == ["first question", "second answer", "follow-up", "follow-up answer"]
    assert store.branch_positions(path) == {m["q1"].id: (1, 2), m["a1b"].id: (2, 2)}
    store.select_branch(m["a1"].id)
    store.close()
    with HistoryStore.open(store.path) as again:
        assert contents(again.current_path(cid)) == ["first question", "first answer"]
        assert again.get_conversation(cid).title == "first question"
        # Paging back along the path.
        assert contents(again.current_path(cid, limit=1)) == ["first answer"]
        assert contents(again.current_path(cid, limit=5, before_id=m["a1"].id)) == [
            "first question"
        ]


def test_remove_a_version_then_undo(branched: tuple[HistoryStore, int, dict[str, Message]]) -> None:
    store, cid, m = branched
    store.select_branch(m["a1b"].id)
    removed = store.remove_branch(m["a1b"].id)  # the version with the follow-up under it
    assert contents(list(removed.messages)) == ["second answer", "follow-up", "follow-up answer"]
    assert contents(store.current_path(cid)) == ["first question", "first answer"]
    assert store.search("follow") == []
    with pytest.raises(StorageError, match="does not exist"):
        store.message(m["a2"].id)
    new_ids = store.restore_branch(removed)
    assert contents(store.current_path(cid)) == [
        "first question",
        "second answer",
        "follow-up",
        "follow-up answer",
    ]
    assert store.message(new_ids[m["a2"].id]).parent_id == new_ids[m["q2"].id]
    assert [h.message_id for h in store.search("follow-up answer")][:1] == [new_ids[m["a2"].id]]


def test_remove_a_branch_from_a_message_down(
    branched: tuple[HistoryStore, int, dict[str, Message]],
) -> None:
    store, cid, m = branched
    removed = store.remove_branch(m["q1b"].id)  # the shown branch: the other version shows
    assert len(removed.messages) == 2
    assert contents(store.current_path(cid))[0] == "first question"
    store.remove_branch(m["q1"].id)
    assert store.current_path(cid) == [] and store.count_messages(cid) == 0
    with pytest.raises(StorageError, match="deleted since"):
        store.restore_branch(
            type(removed)(cid, (store_message_with_parent(m["a1"], 999_999),), None)
        )


def store_message_with_parent(message: Message, parent: int) -> Message:
    return dataclasses.replace(message, parent_id=parent)


def test_a_streaming_reply_cannot_be_removed(store: HistoryStore) -> None:
    c = store.create_conversation()
    q = store.add_user_message(c.id, "q")
    store.start_assistant_message(c.id)
    with pytest.raises(StorageError, match="stop it first"):
        store.remove_branch(q.id)
    assert store.count_messages(c.id) == 2


def test_continue_extends_the_same_reply(store: HistoryStore) -> None:
    c = store.create_conversation()
    store.add_user_message(c.id, "long please")
    first = store.start_assistant_message(c.id, model="m1")
    store.finish_assistant_message(
        first.id,
        state="complete",
        content="The first half",
        finish_reason="length",
        first_token_s=0.5,
        tokens_per_s=12.5,
    )
    resumed = store.resume_assistant_message(first.id)
    assert resumed.state == MessageState.STREAMING and resumed.content == "The first half"
    store.update_assistant_message(first.id, content="The first half and")
    store.finish_assistant_message(
        first.id, state="complete", content="The first half and the rest.", finish_reason="stop"
    )
    done = store.message(first.id)
    assert (done.content, done.finish_reason, done.first_token_s, done.tokens_per_s) == (
        "The first half and the rest.",
        "stop",
        0.5,
        12.5,
    )
    assert store.count_messages(c.id) == 2
    assert [h.message_id for h in store.search("rest")] == [first.id]
    with pytest.raises(StorageError, match="not a finished reply"):
        store.resume_assistant_message(store.current_path(c.id)[0].id)


def test_search_indexes_every_version(
    branched: tuple[HistoryStore, int, dict[str, Message]],
) -> None:
    store, _, m = branched
    found = {h.message_id for h in store.search("answer")}
    assert {m["a1"].id, m["a1b"].id, m["a2"].id, m["a1c"].id} <= found


def test_json_v2_round_trips_the_whole_tree(
    tmp_path: Path, branched: tuple[HistoryStore, int, dict[str, Message]]
) -> None:
    store, _, m = branched
    store.select_branch(m["a1"].id)
    data = export_json(store)
    (conversation,) = data["conversations"]
    records = {r["uid"]: r for r in conversation["messages"]}
    assert conversation["selected_leaf"] == m["a1"].uid
    assert records[m["a2"].uid]["parent"] == m["q2"].uid
    assert records[m["q1"].uid]["parent"] is None and records[m["q1b"].uid]["parent"] is None
    assert records[m["a1"].uid]["model"] == "gpt-x"
    file = tmp_path / "tree.json"
    file.write_text(json.dumps(data), encoding="utf-8")
    with HistoryStore.open(tmp_path / "other.sqlite3") as other:
        result = import_json(other, file)
        assert result.messages_added == 7
        (copy,) = other.list_conversations()
        assert contents(other.current_path(copy.id)) == ["first question", "first answer"]
        again = export_json(other)
        again.pop("exported_at")
        data.pop("exported_at")
        assert again == data


def test_json_v1_imports_as_one_path(store: HistoryStore) -> None:
    data = {
        "format": "desktopchat-history",
        "version": 1,
        "conversations": [
            {
                "uid": "old-1",
                "created_at": 1.0,
                "messages": [
                    {"role": "user", "content": "hi", "created_at": 2},
                    {"role": "assistant", "content": "hello", "created_at": 3},
                    {"role": "user", "content": "bye", "created_at": 4},
                ],
            }
        ],
    }
    import_json(store, data)
    (c,) = store.list_conversations()
    shown = store.current_path(c.id)
    assert contents(shown) == ["hi", "hello", "bye"]
    assert [m.parent_id for m in shown] == [None, shown[0].id, shown[1].id]


@pytest.mark.parametrize(
    ("messages", "problem"),
    [
        ([{"uid": "a", "parent": "zz"}], "not in the file"),
        ([{"uid": "a", "parent": "b"}, {"uid": "b", "parent": "a"}], "loop"),
        ([{"uid": "a", "parent": None}, {"uid": "a", "parent": None}], "share the uid"),
        ([{"parent": None}], "'uid' is missing"),
    ],
)
def test_json_v2_tree_errors_import_nothing(
    store: HistoryStore, messages: list[dict[str, object]], problem: str
) -> None:
    data = {
        "format": "desktopchat-history",
        "version": 2,
        "conversations": [
            {
                "uid": "bad",
                "created_at": 1.0,
                "messages": [
                    {"role": "user", "content": "x", "created_at": 1.0, **m} for m in messages
                ],
            }
        ],
    }
    with pytest.raises(ImportFormatError, match=problem):
        import_json(store, data)
    assert store.count_conversations() == 0


def test_markdown_writes_the_current_path(
    branched: tuple[HistoryStore, int, dict[str, Message]],
) -> None:
    store, cid, m = branched
    store.select_branch(m["a1b"].id)
    text = export_markdown(store, [cid])
    assert "second answer" in text and "follow-up answer" in text
    assert "first answer" not in text and "edited question" not in text
