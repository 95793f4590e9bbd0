"""Search in every script (CJK, emoji), phrases, ranking over all matches, groups and filters."""

from __future__ import annotations

import re
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktopchat.storage import search as search_module
from desktopchat.storage import substring_index
from desktopchat.storage.models import HIT_END, HIT_START, SearchFilters
from desktopchat.storage.store import HistoryStore


def ids(hits: list) -> set[int]:  # type: ignore[type-arg]
    return {h.message_id for h in hits if h.message_id is not None}


def marked(snippet: str) -> list[str]:
    return re.findall(f"{HIT_START}(.*?){HIT_END}", snippet)


def test_chinese_and_japanese_words_inside_sentences(store: HistoryStore) -> None:
    c = store.create_conversation(title="scripts")
    zh = store.add_user_message(c.id, "我们使用数据库来搜索历史消息。")
    ja = store.add_user_message(c.id, "このテキストを検索してください。")
    store.add_user_message(c.id, "Nothing here but English words.")
    assert ids(store.search("数据库")) == {zh.id}
    assert ids(store.search("数据")) == {zh.id}  # two characters
    assert ids(store.search("库")) == {zh.id}  # one character, the last of its run
    assert ids(store.search("テキスト")) == {ja.id}
    assert ids(store.search("検索")) == {ja.id}
    assert ids(store.search("数据库 搜索")) == {zh.id}  # both parts, anywhere
    assert ids(store.search("数据库 検索")) == set()
    (hit,) = [h for h in store.search("検索") if h.message_id]
    assert marked(hit.snippet) == ["検索"] and hit.terms == ("検索",)


def test_emoji_are_searchable_alone_and_with_words(store: HistoryStore) -> None:
    c = store.create_conversation(title="emoji")
    rocket = store.add_user_message(c.id, "Time to deploy 🚀")
    heart = store.add_user_message(c.id, "Thanks ❤️ a lot")
    store.add_user_message(c.id, "deploy without the emoji")
    assert ids(store.search("🚀")) == {rocket.id}
    assert ids(store.search("🚀 deploy")) == {rocket.id}
    assert ids(store.search("❤️")) == {heart.id}
    assert ids(store.search("❤")) == {heart.id}  # without the emoji style selector
    assert ids(store.search("👩‍💻")) == set()


def test_quoted_phrase_is_honoured(store: HistoryStore) -> None:
    c = store.create_conversation(title="phrases")
    together = store.add_user_message(c.id, "The connection timeout was too short.")
    apart = store.add_user_message(c.id, "A timeout hit the connection pool.")
    assert ids(store.search('"connection timeout"')) == {together.id}
    assert ids(store.search("connection timeout")) == {together.id, apart.id}
    assert ids(store.search('"timeout connection"')) == set()
    (hit,) = [h for h in store.search('"connection timeout"') if h.message_id]
    assert marked(hit.snippet) == ["connection timeout"]
    zh = store.add_user_message(c.id, "请检查数据库连接超时")
    assert ids(store.search('"连接超时"')) == {zh.id}
    assert ids(store.search('"超时连接"')) == set()


def test_snippet_shows_a_match_deep_in_a_long_message(store: HistoryStore) -> None:
    c = store.create_conversation(title="long")
    long_zh = store.add_user_message(c.id, "前言" * 400 + "这里有一个错误信息" + "结尾" * 400)
    long_en = store.add_user_message(c.id, "filler " * 800 + "needle " + "filler " * 800)
    for query, mid, want in (("错误", long_zh.id, "错误"), ("needle", long_en.id, "needle")):
        (hit,) = [h for h in store.search(query) if h.message_id == mid]
        assert marked(hit.snippet) == [want]
        assert len(hit.snippet) < 300


def test_index_follows_edits_and_deletes_for_substrings(store: HistoryStore) -> None:
    c = store.create_conversation(title="t")
    m = store.add_user_message(c.id, "原来的文字")
    store.edit_message(m.id, "plain english now")
    assert ids(store.search("文字")) == set()
    store.edit_message(m.id, "新的文字 🎉")
    assert ids(store.search("文字")) == {m.id}
    reply = store.start_assistant_message(c.id)
    store.update_assistant_message(reply.id, content="流式回答")
    assert ids(store.search("流式")) == set()  # indexed once finished
    store.finish_assistant_message(reply.id, state="complete", content="流式回答")
    assert ids(store.search("流式")) == {reply.id}
    store.remove_branch(m.id)  # the message and the reply under it
    assert ids(store.search("文字")) == set() and ids(store.search("流式")) == set()
    check = store._db.execute(
        "INSERT INTO messages_tri(messages_tri, rank) VALUES ('integrity-check', 1)"
    )
    assert check.fetchall() == []


# SQLite's text functions stop at a NUL character, so text is compared up to the first one.
# Lone surrogates (category Cs) cannot be encoded for SQLite at all, so they never reach it.
@settings(max_examples=300, deadline=None)
@given(text=st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
                    max_size=40))
def test_trigger_rule_matches_the_query_classifier(text: str) -> None:
    """SQLite's byte-level test and Python's regex agree on which text needs the index."""
    db = sqlite3.connect(":memory:")
    rule = substring_index.has_unspaced_sql("?1")
    in_sql = db.execute(f"SELECT {rule}", (text,)).fetchone()[0]
    in_python = re.search(f"[{substring_index.REGEX_CLASS}]", text) is not None
    assert bool(in_sql) == in_python


def _fill_ranked(store: HistoryStore, n: int) -> tuple[int, int]:
    """n matches of 'apple'; the best one is the oldest, a weak one is the newest."""
    c = store.create_conversation(title="orchard")
    best = store.add_user_message(c.id, "apple apple apple apple")
    for i in range(n):
        store.add_user_message(c.id, f"apple and {i} " + "filler words " * 10)
    newest = store.add_user_message(c.id, "apple " + "filler " * 60)
    return best.id, newest.id


def test_ranking_covers_every_match(store: HistoryStore) -> None:
    best, _ = _fill_ranked(store, 60)
    hits = store.search("apple", limit=5)
    assert hits[0].message_id == best


def test_two_stage_ranking_ends_with_the_full_ranking(
    store: HistoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    best, _ = _fill_ranked(store, 60)
    monkeypatch.setattr(search_module, "FULL_RANK_LIMIT", 20)
    quick = store.search_grouped("apple")
    assert not quick.exact
    assert best not in {h.message_id for g in quick.groups for h in g.hits}
    full = store.search_grouped("apple", exhaustive=True)
    assert full.exact and full.groups[0].hits[0].message_id == best
    assert full.groups[0].match_count == 62 and full.groups[0].count_is_exact
    # The full pass agrees with bm25 computed over every match by SQLite itself.
    reference = [
        row[0]
        for row in store._db.execute(
            "SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'apple'"
            " ORDER BY bm25(messages_fts) LIMIT 3"
        )
    ]
    flat = store._db  # the flat API with exhaustive ranking
    assert [
        h.message_id
        for h in search_module.search(flat, "apple", limit=3, exhaustive=True)
        if h.message_id
    ] == reference


def test_groups_by_conversation_with_best_hit_first_and_counts(store: HistoryStore) -> None:
    a = store.create_conversation(title="Fruit talk")
    store.add_user_message(a.id, "banana bread")
    strong = store.add_user_message(a.id, "banana banana banana")
    b = store.create_conversation(title="Other")
    store.add_user_message(b.id, "one banana in a long sentence with many other words here")
    c = store.create_conversation(title="Banana republic")
    store.add_user_message(c.id, "nothing relevant")
    results = store.search_grouped("banana")
    by_id = {g.conversation_id: g for g in results.groups}
    assert set(by_id) == {a.id, b.id, c.id}  # each conversation once, titles included
    assert by_id[a.id].hits[0].message_id == strong.id
    assert by_id[a.id].match_count == 2 and by_id[b.id].match_count == 1
    assert by_id[c.id].hits[0].message_id is None  # a title hit
    assert [g.conversation_id for g in results.groups].index(a.id) < [
        g.conversation_id for g in results.groups
    ].index(b.id)


def test_filters(store: HistoryStore) -> None:
    a = store.create_conversation(profile="work", model="gpt-x")
    in_a = store.add_user_message(a.id, "kiwi 猕猴桃")
    b = store.create_conversation(profile="home", model="llama")
    in_b = store.add_user_message(b.id, "kiwi 猕猴桃")
    store._db.execute("UPDATE messages SET created_at = 1000 WHERE id = ?", (in_b.id,))
    for query in ("kiwi", "猕猴桃"):
        assert ids(store.search(query)) == {in_a.id, in_b.id}
        assert ids(store.search(query, filters=SearchFilters(conversation_id=a.id))) == {in_a.id}
        assert ids(store.search(query, filters=SearchFilters(profile="home"))) == {in_b.id}
        assert ids(store.search(query, filters=SearchFilters(model="gpt-x"))) == {in_a.id}
        assert ids(store.search(query, filters=SearchFilters(until=2000))) == {in_b.id}
        assert ids(store.search(query, filters=SearchFilters(since=2000))) == {in_a.id}
