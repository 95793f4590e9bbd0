"""One- and two-character substrings and emoji: each part ranks as one term (search_short).

Real SQLite files. The substring index answers `的` through the trigrams that begin with it;
FTS5's bm25 over that OR weights each trigram by its own rarity, so its best match is where
的 is followed by a rare character. Both passes rank such a part as one term instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktopchat.storage import search as search_module
from desktopchat.storage import search_lists
from desktopchat.storage.models import SearchFilters
from desktopchat.storage.store import HistoryStore


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    with HistoryStore.open(tmp_path / "history.sqlite3") as opened:
        yield opened


def _flat(store: HistoryStore, query: str, filters: SearchFilters | None = None) -> list[int]:
    hits = store.search(query, filters=filters)
    return [h.message_id for h in hits if h.message_id is not None]


def _grouped(store: HistoryStore, query: str, exhaustive: bool = False) -> list[int]:
    results = store.search_grouped(query, exhaustive=exhaustive)
    return [h.message_id for g in results.groups for h in g.hits if h.message_id is not None]


def _fts5_order(store: HistoryStore, query: str) -> list[int]:
    """FTS5's own bm25 over the query's expression (the OR of trigrams)."""
    route = search_module._route(store._db, query)
    assert route is not None
    rows = store._db.execute(
        "SELECT rowid FROM messages_tri WHERE messages_tri MATCH ? ORDER BY rank",
        (route.expression,),
    )
    return [int(r[0]) for r in rows]


def test_a_short_part_ranks_where_it_counts_most_not_by_its_next_character(
    store: HistoryStore,
) -> None:
    c = store.create_conversation(title="chars")
    most = store.add_user_message(c.id, "的一的一的一的").id  # 的 four times in 7 characters
    rare = store.add_user_message(c.id, "我们的犇很好吧。").id  # once, before a rare character
    for i in range(6):  # the trigrams of `most` (的一的, 的 at the end) are everywhere
        store.add_user_message(c.id, "这的一的一本书的" + "书" * i)
    assert _fts5_order(store, "的")[0] == rare  # the rare trigram 的犇很 outweighs
    assert _flat(store, "的")[0] == most
    # The full pass ranks the same way: what the first pass shows is what stays.
    assert _grouped(store, "的", exhaustive=True)[0] == most


def test_an_emoji_first_pass_ranks_every_match_and_finds_the_oldest_best(
    store: HistoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = store.create_conversation(title="launches")
    best = store.add_user_message(c.id, "🚀🚀🚀 go").id  # the oldest, short, three rockets
    for i in range(40):
        store.add_user_message(c.id, f"launch {i} went fine " + "and then more words " * 5 + "🚀")
    monkeypatch.setattr(search_module, "FULL_RANK_LIMIT", 60)  # cap 30: used to be two-stage
    quick = store.search_grouped("🚀")
    assert quick.exact  # ranked over every match at once
    assert _grouped(store, "🚀")[0] == best
    assert quick.groups[0].match_count == 41 and quick.groups[0].count_is_exact


def test_too_many_matches_for_the_first_pass_leave_it_to_the_full_pass(
    store: HistoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = store.create_conversation(title="launches")
    best = store.add_user_message(c.id, "🚀🚀🚀 go").id
    for i in range(40):
        store.add_user_message(c.id, f"launch {i} " + "words " * 10 + "🚀")
    monkeypatch.setattr(search_module, "FULL_RANK_LIMIT", 20)
    quick = store.search_grouped("🚀")
    assert not quick.exact  # newest first, for now
    full = store.search_grouped("🚀", exhaustive=True)
    assert full.exact and _grouped(store, "🚀", exhaustive=True)[0] == best


def test_filters_and_parts_of_several_kinds(store: HistoryStore) -> None:
    one = store.create_conversation(title="one")
    two = store.create_conversation(title="two")
    a = store.add_user_message(one.id, "数据 数据 数据库 ok").id
    b = store.add_user_message(two.id, "数据 数据 数据 数据库").id  # more, and shorter
    store.add_user_message(two.id, "数据 only")  # no 数据库: not a match of both parts
    assert _flat(store, "数据 数据库") == [b, a]
    assert _flat(store, "数据 数据库", filters=SearchFilters(conversation_id=one.id)) == [a]
    assert _flat(store, "数 犇") == []  # a part found nowhere


def _two_stage(store: HistoryStore, query: str, n: int = 3) -> list[int]:
    """The first pass's best message ids (it must be two-stage), in order."""
    assert not store.search_grouped(query).exact
    return [h.message_id for h in store.search(query, limit=n) if h.message_id is not None]


@pytest.fixture
def small_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_lists, "LIST_MIN_DF", 8)
    monkeypatch.setattr(search_lists, "LIST_SIZE", 12)
    monkeypatch.setattr(search_lists, "STALE_AFTER", 1000)
    monkeypatch.setattr(search_module, "FULL_RANK_LIMIT", 10)


def _books(store: HistoryStore) -> list[int]:
    """的 and 书 in 41 messages: the best three are the oldest; the newer ones long and weak."""
    c = store.create_conversation(title="books")
    best = [
        store.add_user_message(c.id, "的的的的书书书好").id,
        store.add_user_message(c.id, "的的的书书好").id,
        store.add_user_message(c.id, "的的书书好").id,
    ]
    for i in range(38):
        store.add_user_message(c.id, "这是我们的书" + "很" * (10 + i))
    return best


@pytest.mark.usefixtures("small_lists")
def test_a_common_short_run_ranks_from_its_list(store: HistoryStore) -> None:
    best = _books(store)
    assert _grouped(store, "的", exhaustive=True)[:1] == best[:1]  # the full ranking
    assert not set(_two_stage(store, "的")) & set(best)  # no list yet: the newest
    assert search_lists.build_all(store._db) > 0
    terms = "SELECT term FROM search_lists WHERE tbl = 'messages_tri' AND length(term) < 3"
    assert {"的", "书"} <= {r[0] for r in store._db.execute(terms)}
    assert _two_stage(store, "的") == best
    assert _two_stage(store, "书 的") == best  # two parts: candidates from both lists
    full = store.search_grouped("书 的", exhaustive=True)
    assert full.exact and full.groups[0].match_count == 41
