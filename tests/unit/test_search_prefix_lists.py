"""A prefix whose words are each rare (`qua*`: hundreds of words, no word has a list) ranks
from the list of its three letters (FTS5's prefix index), and a longer prefix uses it too.

Real SQLite files; thresholds lowered so a few dozen messages make a prefix common.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktopchat.storage import search as search_module
from desktopchat.storage import search_lists
from desktopchat.storage.store import HistoryStore


@pytest.fixture(autouse=True)
def small_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_lists, "LIST_MIN_DF", 8)
    monkeypatch.setattr(search_lists, "LIST_SIZE", 12)
    monkeypatch.setattr(search_lists, "STALE_AFTER", 1000)
    monkeypatch.setattr(search_module, "FULL_RANK_LIMIT", 10)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    with HistoryStore.open(tmp_path / "history.sqlite3") as opened:
        yield opened


def _first_pass(store: HistoryStore, query: str) -> list[int]:
    assert not store.search_grouped(query).exact  # two stages
    return [h.message_id for h in store.search(query, limit=3) if h.message_id is not None]


def _reference(store: HistoryStore, expression: str) -> list[int]:
    rows = store._db.execute(
        "SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rank LIMIT 3",
        (expression,),
    )
    return [int(r[0]) for r in rows]


def test_a_prefix_of_rare_words_ranks_from_its_three_letter_list(store: HistoryStore) -> None:
    c = store.create_conversation(title="quarry")
    best = [  # the oldest: several quab... words in a short message
        store.add_user_message(c.id, "quaba quabb quabc quabd").id,
        store.add_user_message(c.id, "quabe quabf quabg").id,
        store.add_user_message(c.id, "quabh quabi").id,
    ]
    for i in range(40):  # newer: one word each, every word different (none has a list)
        store.add_user_message(c.id, f"quab{i}x " + "filler words " * (8 + i))
    assert _reference(store, '"qua"*') == best
    assert not set(_first_pass(store, "qua*")) & set(best)  # no lists yet: the newest
    search_lists.build_all(store._db)
    assert _first_pass(store, "qua*") == best
    # A longer prefix: its words have no lists either; the list of `qua*` holds its best.
    assert _reference(store, '"quab"*') == best
    assert _first_pass(store, "quab*") == best
