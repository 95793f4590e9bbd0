"""Hostile import files: each ends in ImportFormatError with a clear message, never a traceback.

Every case goes through the real importers on real files into a real SQLite file; afterwards
the history is as it was (nothing half-imported).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktopchat.errors import ImportFormatError
from desktopchat.storage.importers import import_chatgpt, import_file, import_json
from desktopchat.storage.store import HistoryStore

Importer = Callable[..., Any]
IMPORTERS = [import_json, import_chatgpt, import_file]


def ours(conversation_fields: str = "", message_fields: str = "") -> str:
    """Our export as text, with raw JSON spliced in (so values json.dumps cannot write fit)."""
    return (
        '{"format": "desktopchat-history", "version": 1, "conversations": ['
        '{"uid": "good", "created_at": 1700000000, "messages": []},'
        '{"uid": "u1", "created_at": 1700000000' + conversation_fields + ', "messages": ['
        '{"role": "user", "content": "hi", "created_at": 1700000000' + message_fields + "}]}]}"
    )


def chatgpt(conversation_fields: str = "", message_fields: str = "") -> str:
    return (
        '[{"id": "good", "current_node": "a", "mapping": {"a": {"id": "a", "parent": null}}},'
        '{"id": "c1", "current_node": "n1"' + conversation_fields + ', "mapping": {'
        '"n1": {"id": "n1", "parent": null, "message": {"author": {"role": "user"},'
        ' "content": {"content_type": "text", "parts": ["hi"]}' + message_fields + "}}}}]"
    )


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "import.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def refused(store: HistoryStore, importer: Importer, path: Path, *patterns: str) -> str:
    with pytest.raises(ImportFormatError) as caught:
        importer(store, path)
    message = str(caught.value)
    for pattern in patterns:
        assert pattern in message, message
    assert store.count_conversations() == 0  # the good conversation before it was undone too
    return message


BAD_TIMES = [
    ("Infinity", ["Infinity", "not a number JSON allows"]),
    ("-Infinity", ["-Infinity"]),
    ("NaN", ["NaN"]),
    ("1e400", ["1e400", "too large"]),
    ("1" + "0" * 400, ["401 digits"]),
    ("1e300", ["'created_at'", "not a time between 1970 and 3000"]),
    ("1.7e12", ["'created_at'", "milliseconds"]),
    ("1700000000000", ["'created_at'", "milliseconds"]),
    ("-5", ["'created_at'", "-5"]),
]


@pytest.mark.parametrize(("value", "patterns"), BAD_TIMES)
def test_our_importer_refuses_times_that_are_not_times(store, tmp_path, value, patterns) -> None:
    # In the conversation...
    text = ours().replace('"u1", "created_at": 1700000000', f'"u1", "created_at": {value}')
    refused(store, import_json, write(tmp_path, text), *patterns)
    # ...and in a message, where the message is named.
    text = ours(message_fields=f', "updated_at": {value}')
    message = refused(store, import_file, write(tmp_path, text),
                      *[p.replace("created_at", "updated_at") for p in patterns])
    if "'" in patterns[0]:
        assert "conversation #2, message #1" in message


@pytest.mark.parametrize(("value", "patterns"), BAD_TIMES)
def test_chatgpt_importer_refuses_times_that_are_not_times(store, tmp_path, value,
                                                           patterns) -> None:
    fix = [p.replace("created_at", "create_time") for p in patterns]
    refused(store, import_chatgpt, write(tmp_path, chatgpt(f', "create_time": {value}')), *fix)
    message = refused(store, import_file,
                      write(tmp_path, chatgpt(message_fields=f', "create_time": {value}')), *fix)
    if "'" in patterns[0]:
        assert "conversation #2, node 'n1'" in message


def test_chatgpt_null_times_fall_back_to_the_conversation(store, tmp_path) -> None:
    path = write(tmp_path, chatgpt(', "create_time": 1700000000, "update_time": null',
                                   ', "create_time": null'))
    assert import_chatgpt(store, path).conversations_added == 2
    convs = {c.uid: c for c in store.list_conversations()}
    [message] = store.messages(convs["chatgpt:c1"].id)
    assert message.created_at == 1700000000.0 == convs["chatgpt:c1"].updated_at


HOSTILE_FILES: list[tuple[str, bytes, list[str]]] = [
    ("deep array", b"[" * 100_000 + b"]" * 100_000, ["nested too deeply"]),
    ("deep object", b'{"a":' * 100_000 + b"1" + b"}" * 100_000, ["nested too deeply"]),
    ("deep, cut off", b"[" * 100_000, ["not valid JSON|nested too deeply"]),
    ("huge integer", b"[" + b"9" * 5000 + b"]", ["5000 digits"]),
    ("huge integer in a conversation",
     ('[{"id": "x", "current_node": "n", "mapping": {}, "n": ' + "7" * 4301 + "}]").encode(),
     ["4301 digits"]),
    ("lone surrogate in content", ours().replace('"hi"', '"hi \\ud800 there"').encode(),
     ["'content'", "lone surrogate", "message #1"]),
    ("lone low surrogate in a title",
     ours(', "title": "\\udc00"').encode(), ["'title'", "lone surrogate"]),
    ("lone surrogate in a ChatGPT part",
     chatgpt().replace('["hi"]', '["\\udbff!"]').encode(), ["'content'", "lone surrogate"]),
    ("lone surrogate in a key of usage",
     ours(message_fields=', "role": "assistant", "usage": {"\\ud800": 1}')
     .replace('"role": "user", ', "").encode(), ["'usage'", "lone surrogate"]),
    ("deep tool calls", ours(message_fields=', "tool_calls": [{"a": '
                             + "[" * 40 + "]" * 40 + "}]").encode(),
     ["'tool_calls' is nested more than"]),
    ("not UTF-8", b'[{"id": "\xc3\x28"}]', ["not a UTF-8 text file"]),
    ("trailing garbage", (ours() + " {}").encode(), ["extra data"]),
    ("two documents", b"[] []", ["extra data"]),
    ("empty", b"", ["the file is empty"]),
    ("only a BOM", b"\xef\xbb\xbf", ["the file is empty"]),
    ("a number", b"42", ["neither a desktopchat export nor"]),
    ("a string", b'"conversations"', ["neither"]),
    ("cut off in a string", ours().encode()[:120], ["not valid JSON"]),
    ("control character", b'["\x01"]', ["not valid JSON", "Invalid control character"]),
]


@pytest.mark.parametrize(("name", "content", "patterns"), HOSTILE_FILES,
                         ids=[case[0] for case in HOSTILE_FILES])
def test_hostile_files_are_a_clear_import_error(store, tmp_path, name, content, patterns) -> None:
    path = write(tmp_path, content)
    with pytest.raises(ImportFormatError) as caught:
        import_file(store, path)
    message = str(caught.value)
    for pattern in patterns:
        assert any(p in message for p in pattern.split("|")), message
    assert "Traceback" not in message and len(message) < 400
    assert store.count_conversations() == 0


def test_error_position_counts_lines_and_columns_across_chunks(store, tmp_path) -> None:
    # Three megabytes of blank lines (the reader's chunks are one), then a mistake.
    path = write(tmp_path, "[\n" + "\n" * 3_000_000 + "  oops]")
    refused(store, import_file, path, "line 3000002, column 3")
    # One line of several chunks: the column counts from the line's start, not the chunk's.
    path = write(tmp_path, "[" + " " * 3_000_000 + "oops]")
    refused(store, import_file, path, "line 1, column 3000002")


def test_conversations_before_the_header_still_import(store, tmp_path) -> None:
    text = ('{"conversations": [{"uid": "a", "created_at": 5, "messages": []}],'
            ' "version": 1, "format": "desktopchat-history"}')
    assert import_file(store, write(tmp_path, text)).conversations_added == 1
    twice = text.replace('"version": 1', '"version": 1, "version": 1')
    with pytest.raises(ImportFormatError, match="'version' appears twice"):
        import_file(store, write(tmp_path, twice))


def test_a_failure_while_writing_removes_what_was_added(store, tmp_path) -> None:
    """A database error half-way (here: a trigger refusing the third conversation)."""
    raw = sqlite3.connect(store.path)
    raw.execute("CREATE TRIGGER no_third BEFORE INSERT ON conversations"
                " WHEN new.uid = 'c3' BEGIN SELECT RAISE(ABORT, 'refused'); END")
    raw.commit()
    raw.close()
    data = {"format": "desktopchat-history", "version": 1, "conversations": [
        {"uid": f"c{i}", "created_at": 1.0, "messages": [
            {"role": "user", "content": f"text {i}", "created_at": 1.0}]} for i in range(1, 5)]}
    with pytest.raises(Exception, match="refused"):
        import_json(store, data)
    assert store.count_conversations() == 0
    assert not store.search("text")


# -- hypothesis: arbitrary input, only ImportFormatError or success --------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=20,
)
# Keys and values each importer looks at, so generated documents get past the first checks.
our_keys = st.sampled_from(["format", "version", "conversations", "uid", "created_at",
                            "updated_at", "messages", "role", "content", "state", "tool_calls",
                            "usage", "title", "pinned", "reasoning", "error"])
their_keys = st.sampled_from(["id", "conversation_id", "mapping", "current_node", "parent",
                              "message", "author", "role", "content", "content_type", "parts",
                              "create_time", "update_time", "recipient", "metadata", "title"])
shaped = st.recursive(
    st.none() | st.integers() | st.floats() | st.text(max_size=6)
    | st.sampled_from(["desktopchat-history", "user", "assistant", "tool", "text", "n1", 1,
                       1.7e12, "\ud800", "thoughts"]),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(our_keys | their_keys, inner, max_size=6),
    max_leaves=25,
)
pieces = st.sampled_from(["[", "]", "{", "}", ",", ":", '"', "\\ud800", "\\u", "NaN", "1e400",
                          "Infinity", "-", "0" * 5000, " ", "\n", "null", "true"])


def as_bytes(value: Any) -> bytes:
    return json.dumps(value, allow_nan=True).encode("utf-8", "surrogatepass")


documents = st.one_of(
    st.binary(max_size=300),
    st.lists(pieces, max_size=40).map(lambda p: "".join(p).encode()),
    json_values.map(as_bytes),
    shaped.map(as_bytes),
    st.lists(shaped, max_size=3).map(as_bytes),
    st.fixed_dictionaries({"format": st.just("desktopchat-history"), "version": st.just(1),
                           "conversations": st.lists(shaped, max_size=3)}).map(as_bytes),
)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(content=documents, which=st.sampled_from(IMPORTERS))
def test_any_input_is_imported_or_refused_plainly(tmp_path_factory, content, which) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "in.json"
    path.write_bytes(content)
    with HistoryStore.open(folder / "h.sqlite3") as store:
        try:
            which(store, path)
        except ImportFormatError:
            assert store.count_conversations() == 0
        # Whatever was imported can be read back and exported.
        from desktopchat.storage.export import export_json, export_markdown

        json.dumps(export_json(store), allow_nan=False)
        export_markdown(store)


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan"), 1e300, 1.7e12,
                                   -5, 10**400, "yesterday", b"\x00", None, True, [1]])
def test_any_stored_value_formats_as_unknown_date(value: Any) -> None:
    from desktopchat.storage.timestamps import UNKNOWN_DATE, local_date, local_text, utc_text

    assert utc_text(value) == local_text(value) == UNKNOWN_DATE
    assert local_date(value) is None


def test_real_times_format() -> None:
    from desktopchat.storage.timestamps import local_date, utc_text

    assert utc_text(1700000000) == "2023-11-14 22:13:20 UTC"
    assert local_date(1700000000.5) is not None


def test_values_from_a_dict_are_checked_too(store) -> None:
    """import_json also takes a dict, where NaN and Infinity need no JSON syntax."""
    def data(**message: Any) -> dict[str, Any]:
        base = {"role": "assistant", "content": "x", "created_at": 1.0}
        return {"format": "desktopchat-history", "version": 1, "conversations": [
            {"uid": "u", "created_at": 1.0, "messages": [{**base, **message}]}]}

    for message, pattern in [({"created_at": float("nan")}, "'created_at' is nan"),
                             ({"updated_at": float("inf")}, "'updated_at' is inf"),
                             ({"usage": {"tokens": float("nan")}}, "'usage' holds a value"),
                             ({"first_token_s": float("nan")}, "'first_token_s' must be"),
                             ({"tokens_per_s": 10**400}, "'tokens_per_s' must be")]:
        with pytest.raises(ImportFormatError, match=pattern):
            import_json(store, data(**message))
    assert store.count_conversations() == 0
