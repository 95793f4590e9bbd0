"""The search worker builds the lists of common terms while nobody types (real file, thread)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from desktopchat.storage import search as search_module
from desktopchat.storage import search_lists
from desktopchat.storage.models import SearchResults
from desktopchat.storage.store import HistoryStore
from desktopchat.ui import search_worker
from desktopchat.ui.search_worker import SearchRunner


@pytest.fixture
def runner(qtbot, store: HistoryStore, monkeypatch: pytest.MonkeyPatch) -> Iterator[SearchRunner]:
    monkeypatch.setattr(search_worker, "IDLE_SECONDS", 0.05)
    monkeypatch.setattr(search_lists, "LIST_MIN_DF", 8)
    monkeypatch.setattr(search_module, "FULL_RANK_LIMIT", 10)
    r = SearchRunner(store.path)
    yield r
    r.close()


def _built(store: HistoryStore) -> int:
    db = sqlite3.connect(store.path)
    try:
        query = "SELECT count(*) FROM search_lists WHERE tbl != '' AND through_id >= 0"
        return int(db.execute(query).fetchone()[0])
    finally:
        db.close()


def _listed(store: HistoryStore, term: str) -> bool:
    db = sqlite3.connect(store.path)
    try:
        query = "SELECT 1 FROM search_lists WHERE term = ? AND through_id >= 0"
        return db.execute(query, (term,)).fetchone() is not None
    finally:
        db.close()


def test_idle_worker_builds_lists_and_the_first_pass_then_shows_the_best(
    qtbot, store: HistoryStore, runner: SearchRunner
) -> None:
    conv = store.create_conversation(title="orchard")
    best = store.add_user_message(conv.id, "pear pear pear pear").id
    for i in range(40):
        store.add_user_message(conv.id, f"apple pear {i} " + "filler words " * 10)
    got: list[SearchResults] = []
    runner.results_ready.connect(got.append)
    runner.search("apple")  # newest first, then the full ranking; then the worker is idle
    qtbot.waitUntil(lambda: not runner.busy, timeout=10000)
    qtbot.waitUntil(lambda: _built(store) >= 2, timeout=10000)  # 'apple' and 'pear'
    # Prefixes and pairs have lists too now ('app*', 'apple pear'): wait for 'pear' itself.
    qtbot.waitUntil(lambda: _listed(store, "pear"), timeout=10000)
    got.clear()
    runner.search("pear")
    qtbot.waitUntil(lambda: not runner.busy, timeout=10000)
    assert [r.exact for r in got] == [False, True]
    assert got[0].groups[0].hits[0].message_id == best  # the first pass already has it
    assert got[1].groups[0].hits[0].message_id == best
