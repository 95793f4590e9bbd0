"""FTS5 search: ranking, snippets, prefixes, index upkeep, and any user text as a query."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktopchat.storage.models import HIT_END, HIT_START
from desktopchat.storage.search_query import parse, word_expression
from desktopchat.storage.store import HistoryStore

HOSTILE = [
    "",
    "   ",
    "\t\n",
    '"',
    '""',
    '"unbalanced',
    "'single",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "a AND",
    "OR b",
    "NOT NOT",
    "NEAR(a b, 3)",
    "stream AND OR NOT NEAR",
    "*",
    "stre*",
    "^start",
    "content:secret",
    "reasoning : x",
    "{content reasoning}: x",
    "(((",
    ")",
    "(a OR b",
    "-minus +plus",
    "a - b",
    "!!!???...,,,;;;",
    "c++ / c# && || \\",
    "100% $5 @user #tag",
    "🚀",
    "🚀 deploy 🎉",
    "👩‍💻",
    "\x00nul",
    HIT_START + "marker" + HIT_END,
    "ünïcödé Straße 東京 مرحبا",
    "x" * 10_000,
    "word " * 500,
    "rowid = 1; DROP TABLE messages; --",
]


@pytest.fixture
def filled(store: HistoryStore) -> HistoryStore:
    a = store.create_conversation()
    store.add_user_message(a.id, "How does streaming work with httpx?")
    m = store.start_assistant_message(a.id)
    store.finish_assistant_message(
        m.id,
        state="complete",
        content="Use client.stream() and read the response lines as they arrive.",
        reasoning="The user asks about incremental responses.",
    )
    b = store.create_conversation(title="Deploy rocket notes")
    store.add_user_message(b.id, "Cooking pasta: boil water, add salt, wait ten minutes.")
    return store


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_query_never_raises(filled: HistoryStore, query: str) -> None:
    hits = filled.search(query)
    assert isinstance(hits, list)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=60))
def test_any_text_is_a_valid_query(filled: HistoryStore, query: str) -> None:
    filled.search(query)


def test_match_expression_quotes_every_token() -> None:
    # Behaviour change (issue 16): a word is a word; a prefix is asked for with `*`.
    assert word_expression(parse('stre* "AND" NOT(x')) == '"stre"* "AND" "NOT" "x"'
    assert word_expression(parse("!! ??")) is None
    assert word_expression(parse("   ")) is None
    assert word_expression(parse("Go go GO stream STREAM")) == '"Go" "stream"'
    assert parse("🚀 !!").substring


def test_prefix_is_explicit(filled: HistoryStore) -> None:
    hits = filled.search("stre*")
    assert {h.role for h in hits if h.message_id} == {"user", "assistant"}
    assert filled.search("stre") == []


def test_snippet_marks_hits_and_names_the_conversation(filled: HistoryStore) -> None:
    (hit,) = [h for h in filled.search("pasta") if h.message_id]
    assert hit.snippet.count(HIT_START) == hit.snippet.count(HIT_END) == 1
    assert f"{HIT_START}pasta{HIT_END}" in hit.snippet
    assert hit.conversation_title == "Deploy rocket notes"
    assert hit.role == "user"


def test_reasoning_and_titles_are_searched(filled: HistoryStore) -> None:
    (hit,) = filled.search("incremental")
    assert hit.role == "assistant" and HIT_START + "incremental" in hit.snippet
    (title_hit,) = filled.search("rocket")
    assert title_hit.message_id is None and title_hit.role is None
    assert title_hit.snippet == f"Deploy {HIT_START}rocket{HIT_END} notes"
    # Behaviour change (issue 16): emoji are searchable, so every part must be found.
    assert filled.search("🚀 rocket") == []


def test_operators_are_plain_words(store: HistoryStore) -> None:
    c = store.create_conversation()
    store.add_user_message(c.id, "cats AND dogs OR birds NOT fish")
    store.add_user_message(c.id, "only cats here")
    hits = store.search("cats AND dogs")
    assert len([h for h in hits if h.message_id]) == 1
    assert store.search('"unbalanced AND (') == []


def test_ranking_prefers_more_matches(store: HistoryStore) -> None:
    c = store.create_conversation(title="x")
    weak = store.add_user_message(c.id, "apple " + "filler " * 50)
    strong = store.add_user_message(c.id, "apple apple apple banana")
    hits = [h.message_id for h in store.search("apple")]
    assert hits.index(strong.id) < hits.index(weak.id)


def test_index_follows_edits_deletes_and_streaming(store: HistoryStore) -> None:
    c = store.create_conversation(title="t")
    m = store.add_user_message(c.id, "original zebra")
    store.edit_message(m.id, "changed giraffe")
    assert store.search("zebra") == []
    assert [h.message_id for h in store.search("giraffe")] == [m.id]
    reply = store.start_assistant_message(c.id)
    store.update_assistant_message(reply.id, content="streaming okapi")
    assert store.search("okapi") == []  # indexed once finished, so streaming stays cheap
    store.finish_assistant_message(reply.id, state="stopped", content="streaming okapi")
    assert [h.message_id for h in store.search("okapi")] == [reply.id]
    removed = store.remove_branch(m.id)
    assert store.search("okapi") == [] and store.search("giraffe") == []
    new_ids = store.restore_branch(removed)  # undo puts the text back in the index
    assert [h.message_id for h in store.search("okapi")] == [new_ids[reply.id]]
    store.remove_branch(new_ids[m.id])
    store.rename_conversation(c.id, "lemur")
    assert [h.conversation_id for h in store.search("lemur")] == [c.id]
    store.delete_conversation(c.id)
    assert store.search("lemur") == []
    integrity = store._db.execute(
        "INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1)"
    )
    assert integrity.fetchall() == []


def test_limit_is_respected(store: HistoryStore) -> None:
    c = store.create_conversation(title="t")
    for i in range(30):
        store.add_user_message(c.id, f"common word {i}")
    assert len(store.search("common", limit=10)) == 10
    assert store.search("common", limit=0) == []
