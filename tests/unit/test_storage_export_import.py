"""Export (Markdown, JSON) and import (our JSON, ChatGPT) on real files."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktopchat.errors import ImportFormatError
from desktopchat.storage.export import export_json, export_markdown
from desktopchat.storage.importers import import_chatgpt, import_json
from desktopchat.storage.store import HistoryStore

CHATGPT = Path(__file__).resolve().parents[1] / "fixtures" / "chatgpt" / "conversations.json"
CALLS = [{"id": "call_1", "type": "function", "function": {"name": "lookup", "arguments": "{}"}}]


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[HistoryStore]:
    with HistoryStore.open(tmp_path / "b.sqlite3") as s:
        yield s


@pytest.fixture
def filled(store: HistoryStore) -> HistoryStore:
    a = store.create_conversation(profile="work", model="gpt-x")
    store.add_user_message(a.id, "Explain ```fences``` and **bold**")
    m = store.start_assistant_message(a.id)
    store.finish_assistant_message(
        m.id,
        state="complete",
        content="Here:\n\n```python\nprint('hi')\n```",
        reasoning="line one\n\nline three",
        tool_calls=CALLS,
        finish_reason="tool_calls",
        usage={"prompt_tokens": 3, "completion_tokens": 7},
    )
    store.set_provider_conversation_id(a.id, "prov-9")
    b = store.create_conversation(title="Pinned 🚀 chat")
    store.set_pinned(b.id, True)
    store.add_user_message(b.id, "ünïcödé")
    e = store.start_assistant_message(b.id)
    store.finish_assistant_message(e.id, state="error", content="par", error="HTTP 500\nboom")
    return store


def without_time(data: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    data.pop("exported_at")
    return data


def test_markdown_export(filled: HistoryStore) -> None:
    first = filled.list_conversations()[-1]
    text = export_markdown(filled, [first.id])
    assert text.startswith("# Explain ```fences``` and **bold**\n")
    assert "- Created: " in text and "- Profile: work; model: gpt-x" in text
    assert "### User · " in text and "### Assistant · " in text
    assert "<details>\n<summary>Reasoning</summary>\n\n> line one\n>\n> line three" in text
    assert '```json\n[\n  {\n    "id": "call_1"' in text
    everything = export_markdown(filled)
    assert everything.count("\n---\n") == 1
    assert "*(error)*" in everything and "> **Error:** HTTP 500 boom" in everything


def test_json_export_is_versioned_and_complete(filled: HistoryStore) -> None:
    data = export_json(filled)
    assert (data["format"], data["version"]) == ("desktopchat-history", 2)
    json.dumps(data)  # JSON-ready
    first = data["conversations"][0]
    assert first["provider_conversation_id"] == "prov-9"
    assert first["messages"][1]["tool_calls"] == CALLS
    assert first["messages"][1]["usage"] == {"prompt_tokens": 3, "completion_tokens": 7}
    assert data["conversations"][1]["pinned"] is True
    assert "id" not in first  # local row ids are not part of the export
    assert len(export_json(filled, [filled.list_conversations()[0].id])["conversations"]) == 1


def test_round_trip_into_a_fresh_database(
    filled: HistoryStore, fresh: HistoryStore, tmp_path: Path
) -> None:
    exported = export_json(filled)
    file = tmp_path / "export.json"
    file.write_text(json.dumps(exported), encoding="utf-8")
    seen: list[tuple[int, int]] = []
    result = import_json(fresh, file, progress=lambda done, total: seen.append((done, total)))
    assert (result.conversations_added, result.messages_added, result.conversations_skipped) == (
        2,
        4,
        0,
    )
    # Files stream, so progress counts the file's bytes (one report per conversation, then done).
    size = file.stat().st_size
    assert len(seen) == 3 and seen[-1] == (size, size)
    assert all(done <= total == size for done, total in seen)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert without_time(export_json(fresh)) == without_time(exported)
    assert [h.message_id for h in fresh.search("pinned")] == [None]
    assert fresh.search("fences")


def test_import_twice_adds_nothing(filled: HistoryStore, fresh: HistoryStore) -> None:
    data = export_json(filled)
    import_json(fresh, data)
    again = import_json(fresh, data)
    assert (again.conversations_added, again.messages_added, again.conversations_skipped) == (
        0,
        0,
        2,
    )
    assert fresh.count_conversations() == 2
    same = import_json(filled, data)  # into the database it came from
    assert same.conversations_added == 0 and filled.count_conversations() == 2


def test_streaming_message_is_imported_as_interrupted(fresh: HistoryStore) -> None:
    data = {
        "format": "desktopchat-history",
        "version": 1,
        "conversations": [
            {
                "uid": "u-1",
                "created_at": 1.0,
                "messages": [
                    {"role": "assistant", "content": "half", "state": "streaming", "created_at": 2}
                ],
            }
        ],
    }
    import_json(fresh, data)
    (c,) = fresh.list_conversations()
    (m,) = fresh.messages(c.id)
    assert (m.state, m.content, m.reasoning, m.tool_calls, m.usage) == (
        "interrupted",
        "half",
        "",
        [],
        None,
    )


def valid() -> dict[str, Any]:
    return {
        "format": "desktopchat-history",
        "version": 1,
        "conversations": [
            {
                "uid": "ok-1",
                "created_at": 1.0,
                "messages": [{"role": "user", "content": "fine", "created_at": 1.0}],
            },
            {
                "uid": "ok-2",
                "created_at": 1.0,
                "messages": [{"role": "user", "content": "fine", "created_at": 1.0}],
            },
        ],
    }


def broken(path: str, value: Any) -> dict[str, Any]:
    data = valid()
    target: Any = data
    keys = path.split(".")
    for key in keys[:-1]:
        target = target[int(key)] if key.isdigit() else target[key]
    last = keys[-1]
    if value is KeyError:
        del target[last]
    elif last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value
    return data


MALFORMED = [
    ([], "expected a JSON object"),
    (broken("format", "something-else"), "not a desktopchat export"),
    (broken("version", 99), "newer desktopchat"),
    (broken("version", "1"), "no valid format version"),
    (broken("conversations", {}), "'conversations' must be a list"),
    (broken("conversations.1", "nope"), "conversation #2 is not an object"),
    (broken("conversations.1.uid", KeyError), "conversation #2: the field 'uid' is missing"),
    (broken("conversations.1.uid", " "), "'uid' is empty"),
    (broken("conversations.1.created_at", "yesterday"), "'created_at' must be"),
    (broken("conversations.1.pinned", 1), "'pinned' must be bool"),
    (broken("conversations.1.messages.0.role", "wizard"), "message #1: unknown role"),
    (broken("conversations.1.messages.0.state", "done"), "unknown state"),
    (broken("conversations.1.messages.0.content", None), "'content' must be str"),
    (broken("conversations.1.messages.0.created_at", True), "'created_at' must be"),
    (broken("conversations.1.messages.0.tool_calls", ["x"]), "every tool call"),
    (broken("conversations.1.messages.0.usage", []), "'usage' must be dict"),
]


@pytest.mark.parametrize(("data", "message"), MALFORMED)
def test_malformed_import_names_the_problem_and_imports_nothing(
    fresh: HistoryStore, data: Any, message: str
) -> None:
    with pytest.raises(ImportFormatError, match=message.replace("(", r"\(")):
        import_json(fresh, data)
    assert fresh.count_conversations() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "is not valid JSON"),
        (b"", "is not valid JSON"),
        (b"\xff\xfe\x00garbage", "not a UTF-8 text file|not valid JSON"),
    ],
)
def test_unreadable_files(
    fresh: HistoryStore, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(ImportFormatError, match=message):
        import_json(fresh, path)
    with pytest.raises(ImportFormatError, match=message):
        import_chatgpt(fresh, path)
    with pytest.raises(ImportFormatError, match="Cannot read"):
        import_json(fresh, tmp_path / "missing.json")
    assert fresh.count_conversations() == 0


def test_failure_half_way_rolls_back(fresh: HistoryStore) -> None:
    def explode(done: int, total: int) -> None:
        if done == 2:
            raise RuntimeError("cancelled")

    with pytest.raises(RuntimeError):
        import_json(fresh, valid(), progress=explode)
    assert fresh.count_conversations() == 0


def test_chatgpt_import_keeps_every_branch_with_current_node_selected(
    fresh: HistoryStore,
) -> None:
    progress: list[tuple[int, int]] = []
    result = import_chatgpt(fresh, CHATGPT, progress=lambda d, t: progress.append((d, t)))
    assert (result.conversations_added, result.messages_added, result.conversations_skipped) == (
        3,
        10,
        0,
    )
    size = CHATGPT.stat().st_size  # progress counts the streamed file's bytes
    assert len(progress) == 4 and progress[-1] == (size, size)
    by_title = {c.title: c for c in fresh.list_conversations()}
    first = by_title["Python list comprehension"]
    assert first.title_is_custom and first.model == "gpt-4o"
    assert first.created_at == pytest.approx(1712000000.123)
    msgs = fresh.current_path(first.id)  # current_node's branch is the one shown
    assert [(m.role, m.content[:20]) for m in msgs] == [
        ("user", "How do I square ever"),
        ("assistant", "Use a list comprehen"),
        ("user", "Thanks! 🎉"),
        ("assistant", "You're welcome."),
    ]
    assert msgs[0].created_at == 1712000010.0 and msgs[1].finish_reason == "stop"
    # The regenerated answer is kept as the first version of the reply.
    (older,) = [h.message_id for h in fresh.search("regenerated")]
    versions = fresh.siblings(msgs[1].id)
    assert [v.id for v in versions] == [older, msgs[1].id]
    assert versions[0].parent_id == msgs[0].id and versions[0].uid == "chatgpt:a-1-old"

    weather = fresh.current_path(by_title["Weather lookup"].id)
    assert [m.role for m in weather] == ["user", "assistant", "tool", "assistant"]
    assert weather[0].content == "What is the weather like in this photo's city?"
    assert "Eiffel Tower" in weather[1].reasoning
    assert weather[1].tool_calls[0]["function"] == {
        "name": "browser",
        "arguments": 'search("weather Paris today")',
    }
    assert weather[2].content == "Paris: 18°C, light rain"
    assert not fresh.search("live in Paris")  # hidden context message skipped

    untitled = by_title["Untitled question about FTS5 prefix queries"]
    assert not untitled.title_is_custom
    assert [m.content for m in fresh.messages(untitled.id)] == [untitled.title]

    again = import_chatgpt(fresh, CHATGPT)
    assert (again.conversations_added, again.conversations_skipped) == (0, 3)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"not": "a list"}, "expected a list of conversations"),
        (["x"], "conversation #2 is not an object"),
        ([{"mapping": {}, "current_node": "a"}], "has no 'conversation_id' or 'id'"),
        ([{"id": "c", "current_node": "a"}], "'mapping' is missing"),
        ([{"id": "c", "mapping": {}}], "'current_node' is missing"),
        ([{"id": "c", "mapping": {}, "current_node": "a"}], "node 'a' is referenced"),
        (
            [
                {
                    "id": "c",
                    "current_node": "a",
                    "mapping": {"a": {"parent": "b"}, "b": {"parent": "a"}},
                }
            ],
            "form a loop",
        ),
    ],
)
def test_malformed_chatgpt_file_imports_nothing(
    fresh: HistoryStore, tmp_path: Path, data: Any, message: str
) -> None:
    sample = json.loads(CHATGPT.read_text(encoding="utf-8"))
    path = tmp_path / "conversations.json"
    # A good conversation first: it must not be imported either.
    path.write_text(json.dumps([sample[0], *data] if isinstance(data, list) else data))
    with pytest.raises(ImportFormatError, match=message):
        import_chatgpt(fresh, path)
    assert fresh.count_conversations() == 0
