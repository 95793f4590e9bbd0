"""Usage counts and finish reasons a server reports are kept only as what they claim to be.

A server's `"prompt_tokens": NaN` was stored, and the export then held NaN, which no JSON
reader (our import included) accepts: the export could not be imported back. Two replies
reporting 1e308 tokens made the conversation's token totals raise OverflowError. Values
already stored that way (by an older version, or another program) must still open, add up
and export.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktopchat.core.request import ChatMessage, ChatRequest
from desktopchat.core.stream import collect
from desktopchat.storage.export import export_json
from desktopchat.storage.importers import import_file
from desktopchat.storage.store import HistoryStore
from tests.support.loopback import LoopbackServer, ScriptedResponse

HELLO = (ChatMessage("user", "hi"),)


@pytest.mark.anyio
async def test_usage_keeps_only_counts_and_the_finish_reason_is_short(
    loopback_server: LoopbackServer,
) -> None:
    usage = (b'{"prompt_tokens": NaN, "completion_tokens": 7, "total_tokens": 1e999,'
             b' "reasoning_tokens": -1, "cached": "12", "flag": true, "cost": 0.25,'
             b' "prompt_tokens_details": {"cached_tokens": 3, "audio": Infinity},'
             b' "junk": {"x": [1]}}')  # fmt: skip
    loopback_server.enqueue(ScriptedResponse(pieces=[
        b'data: {"choices":[{"delta":{"content":"ok"}}]}\n\n',
        b'data: {"choices":[{"delta":{},"finish_reason":"' + b"x" * 100_000 + b'"}],'
        b'"usage":' + usage + b"}\n\ndata: [DONE]\n\n",
    ]))  # fmt: skip
    reply = await collect(ChatRequest(loopback_server.url(), HELLO), api_key=None)
    assert reply.usage == {"completion_tokens": 7, "cached": "12", "flag": True, "cost": 0.25,
                           "prompt_tokens_details": {"cached_tokens": 3}, "junk": {}}
    assert reply.finish_reason == "x" * 64


def store_with_reply(path: Path, usage_json: str, tool_calls_json: str = "[]") -> HistoryStore:
    """A history holding one finished reply whose usage column says `usage_json` verbatim,
    as an older version or another program could have written it."""
    store = HistoryStore.open(path)
    conversation = store.create_conversation(title="t")
    store.add_user_message(conversation.id, "hi")
    reply = store.start_assistant_message(conversation.id)
    store.finish_assistant_message(reply.id, state="complete", content="answer")
    with store.transaction() as db:
        db.execute("UPDATE messages SET usage = ?, tool_calls = ? WHERE id = ?",
                   (usage_json, tool_calls_json, reply.id))
    return store


def test_non_finite_values_are_stored_as_null(tmp_path: Path) -> None:
    store = HistoryStore.open(tmp_path / "history.sqlite3")
    try:
        conversation = store.create_conversation(title="t")
        reply = store.start_assistant_message(conversation.id)
        store.finish_assistant_message(reply.id, state="complete", content="x",
                                       usage={"a": float("nan"), "b": [float("-inf")], "c": 1},
                                       tool_calls=[{"id": "NaN", "n": float("inf")}])
        final = store.message(reply.id)
    finally:
        store.close()
    assert final.usage == {"a": None, "b": [None], "c": 1}
    assert final.tool_calls == [{"id": "NaN", "n": None}]


def test_stored_nan_usage_exports_as_json_that_imports_back(tmp_path: Path) -> None:
    store = store_with_reply(tmp_path / "history.sqlite3",
                             '{"prompt_tokens": NaN, "completion_tokens": Infinity}')
    try:
        text = json.dumps(export_json(store, None), allow_nan=False)  # standard JSON only
    finally:
        store.close()
    (tmp_path / "export.json").write_text(text, encoding="utf-8")
    other = HistoryStore.open(tmp_path / "other.sqlite3")
    try:
        assert import_file(other, tmp_path / "export.json").conversations_added == 1
    finally:
        other.close()


@pytest.mark.parametrize("usage", [
    '{"prompt_tokens": 1e308, "completion_tokens": -5}',
    '{"prompt_tokens": 9223372036854775807, "completion_tokens": "12"}',
])  # fmt: skip
def test_token_totals_add_up_any_stored_value(tmp_path: Path, usage: str) -> None:
    store = store_with_reply(tmp_path / "history.sqlite3", usage)
    try:
        conversation = store.list_conversations()[0]
        reply = store.start_assistant_message(conversation.id)
        store.finish_assistant_message(reply.id, state="complete", content="again")
        with store.transaction() as db:
            db.execute("UPDATE messages SET usage = ? WHERE id = ?", (usage, reply.id))
        prompt, completion = store.token_totals(conversation.id)
    finally:
        store.close()
    assert 0 <= prompt <= 10**15 and completion == 0


def test_unreadable_stored_json_still_opens(tmp_path: Path) -> None:
    store = store_with_reply(tmp_path / "history.sqlite3", "{not json", "[" * 5000)
    try:
        conversation = store.list_conversations()[0]
        reply = store.current_path(conversation.id)[-1]
    finally:
        store.close()
    assert reply.content == "answer" and reply.usage is None and reply.tool_calls == []
