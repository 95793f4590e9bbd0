"""Queries of several words, and phrases, with too many matches to rank at once: the first
pass ranks candidates from the words' lists (search_multi) and finds the best matches.

Real SQLite files; thresholds lowered so a few dozen messages have common words (at full size
6,000 messages and 400 listed hits).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktopchat.storage import search as search_module
from desktopchat.storage import search_lists, search_multi
from desktopchat.storage.store import HistoryStore


@pytest.fixture(autouse=True)
def small_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_lists, "LIST_MIN_DF", 8)
    monkeypatch.setattr(search_lists, "LIST_SIZE", 12)
    monkeypatch.setattr(search_lists, "STALE_AFTER", 1000)
    monkeypatch.setattr(search_module, "FULL_RANK_LIMIT", 10)  # 2 words: 10 ranked at once


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    with HistoryStore.open(tmp_path / "history.sqlite3") as opened:
        yield opened


def _first_pass(store: HistoryStore, query: str) -> list[int]:
    """The first pass's best message ids, in order (as the search worker runs it first)."""
    assert not store.search_grouped(query).exact  # two stages
    hits = search_module.search(store._db, query, limit=10)
    return [h.message_id for h in hits if h.message_id is not None]


def _reference(store: HistoryStore, query: str, n: int = 3) -> list[int]:
    """bm25 over every match, by SQLite itself."""
    route = search_module._route(store._db, query)
    assert route is not None
    rows = store._db.execute(
        "SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rank LIMIT ?",
        (route.expression, n),
    )
    return [int(r[0]) for r in rows]


def _history(store: HistoryStore) -> list[int]:
    """'river' everywhere, 'stone' in half: the best of both are the oldest, short ones."""
    c = store.create_conversation(title="valley")
    best = [
        store.add_user_message(c.id, "river stone river stone river").id,
        store.add_user_message(c.id, "stone river stone stone").id,
        store.add_user_message(c.id, "river river river stone").id,
    ]
    for i in range(60):  # newer, long, weak: the words once each
        words = "river stone " if i % 2 else "river "
        store.add_user_message(c.id, words + "filler words " * (10 + i))
    return best


def test_two_words_the_first_pass_finds_the_oldest_best(store: HistoryStore) -> None:
    best = _history(store)
    assert set(_reference(store, "river stone")) == set(best)
    # Before the lists: the newest matches, as the first pass always showed.
    assert not set(_first_pass(store, "river stone")[:3]) & set(best)
    assert search_lists.build_all(store._db) > 0
    assert _first_pass(store, "river stone")[:3] == _reference(store, "river stone")


def test_a_phrase_the_first_pass_finds_the_oldest_best(store: HistoryStore) -> None:
    _history(store)
    search_lists.build_all(store._db)
    assert _first_pass(store, '"river stone"')[:3] == _reference(store, '"river stone"')


def test_a_word_without_a_list_keeps_its_weight(store: HistoryStore) -> None:
    best = _history(store)
    c = store.create_conversation(title="rare")
    for i in range(7):  # "delta" is rare (8 messages: no list); these hold all three words
        store.add_user_message(c.id, "river stone delta " + "filler words " * (5 + i))
    search_lists.build_all(store._db)
    store.add_user_message(c.id, "delta " + "river stone " * 30)  # newer than the lists
    first = _first_pass(store, "river stone delta")
    assert first[:1] == _reference(store, "river stone delta", 1)
    assert not set(first) & set(best)  # no 'delta' there: not matches


def test_the_shortest_match_is_a_candidate_though_in_no_list(
    store: HistoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_multi, "NEWEST", 2)
    c = store.create_conversation(title="valley")
    best = store.add_user_message(c.id, "river stone").id  # the oldest; each word once
    for i in range(20):  # the lists: many of one word, without the other
        store.add_user_message(c.id, "river " * (3 + i % 4) + "and more" * (i % 3))
        store.add_user_message(c.id, "stone " * (3 + i % 4) + "and more" * (i % 3))
    for i in range(20):  # newer matches of both, long
        store.add_user_message(c.id, "river stone " + "filler words " * (10 + i))
    search_lists.build_all(store._db)
    assert _reference(store, "river stone", 1) == [best]
    assert _first_pass(store, "river stone")[:1] == [best]
    monkeypatch.setattr(search_multi, "SHORTEST", 0)  # without the shortest: missed
    assert _first_pass(store, "river stone")[:1] != [best]


def test_a_phrase_of_two_common_words_gets_a_list_of_its_own(store: HistoryStore) -> None:
    c = store.create_conversation(title="pairs")
    best = [  # the oldest: the phrase twice, or once in few words
        store.add_user_message(c.id, "on to it on to").id,
        store.add_user_message(c.id, "go on to").id,
    ]
    for i in range(30):  # the words everywhere, the phrase once in long messages
        store.add_user_message(c.id, "on and on to " + "the end and more " * (4 + i))
        store.add_user_message(c.id, "to " * (2 + i % 4) + "on " * (2 + i % 3) + "go")
    assert not set(_first_pass(store, '"on to"')[:2]) & set(best)  # no lists: the newest
    search_lists.build_all(store._db)
    lists = "SELECT term FROM search_lists WHERE tbl = 'messages_fts' AND term = 'on to'"
    assert store._db.execute(lists).fetchone() is not None
    assert _reference(store, '"on to"', 2) == best
    assert _first_pass(store, '"on to"')[:2] == best


def test_a_walk_of_every_match_is_tried_only_when_its_pace_says_it_fits() -> None:
    box = search_multi.PACE_MARGIN * search_multi.SHORTEST_BUDGET
    # `with the` at 512k messages: 6,000 matches in the newest 4% of ids, in 3.5 ms; a walk
    # of every match takes about 25 times that, far past its box: not tried.
    common = search_multi.Walked(seconds=0.0035, top=512_000, lowest=491_500)
    assert common.whole_walk_seconds() > box
    # `naïve résumé`: its 6,000 newest matches span 29% of the ids in 5 ms: tried.
    spread = search_multi.Walked(seconds=0.005, top=512_000, lowest=363_500)
    assert spread.whole_walk_seconds() <= box
    # A walk that found nothing spans no ids: predicted past any box, never divided by 0.
    assert search_multi.Walked(0.015, 512_000, 512_001).whole_walk_seconds() > 1.0


def test_the_shortest_seen_match_counts_its_reasoning_too(
    store: HistoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_multi, "NEWEST", 0)
    monkeypatch.setattr(search_multi, "SHORTEST", 1)
    c = store.create_conversation(title="valley")
    for i in range(20):  # the lists: many of one word, without the other
        store.add_user_message(c.id, "river " * (3 + i % 4))
        store.add_user_message(c.id, "stone " * (3 + i % 4))
    for i in range(12):  # more matches of both than are ranked at once: long ones
        store.add_user_message(c.id, "river stone " + "filler words " * (10 + i))
    best = store.add_user_message(c.id, "river stone and more words here").id
    reply = store.start_assistant_message(c.id)  # fewer words, but a long reasoning
    store.finish_assistant_message(
        reply.id, state="complete", content="river stone", reasoning="thinking " * 40
    )
    search_lists.build_all(store._db)
    assert _reference(store, "river stone", 1) == [best]
    assert _first_pass(store, "river stone")[:1] == [best]


def test_ranking_every_match_is_not_tried_when_their_walk_was_slow(store: HistoryStore) -> None:
    c = store.create_conversation(title="valley")
    store.add_user_message(c.id, "river stone")
    route = search_module._route(store._db, '"river stone"')
    assert route is not None
    assert search_module._affordable(store._db, route, walked=0.001)
    # A walk that took RANK_BUDGET / RANK_PACE or more: ranking them would run out of time.
    slow = search_module.RANK_BUDGET / search_module.RANK_PACE * 1.01
    assert not search_module._affordable(store._db, route, walked=slow)
