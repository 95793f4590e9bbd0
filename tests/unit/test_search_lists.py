"""Lists of each common term's best matches: the first pass ranks as bm25 over every match.

Real SQLite files; the thresholds are lowered so that a history of a few dozen messages has
common terms (at full size they are 6,000 messages and 400 listed hits).
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from desktopchat.storage import migrations, search_lists
from desktopchat.storage import search as search_module
from desktopchat.storage.models import SearchResults
from desktopchat.storage.search_session import SearchSession
from desktopchat.storage.store import HistoryStore
from tests.unit.test_search_session import GatedSession, make_history

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "db"


@pytest.fixture(autouse=True)
def small_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_lists, "LIST_MIN_DF", 8)
    monkeypatch.setattr(search_lists, "LIST_SIZE", 12)
    monkeypatch.setattr(search_lists, "STALE_AFTER", 1000)  # no rebuild unless asked
    monkeypatch.setattr(search_module, "FULL_RANK_LIMIT", 10)  # more matches: two stages


def _orchard(store: HistoryStore) -> list[int]:
    """'apple' in 60 messages: the strongest are the oldest, the newest are long and weak.

    Every message has its own length or count, so bm25 has no ties; 苹果园 is there likewise
    for the substring index.
    """
    c = store.create_conversation(title="orchard")
    ids = []
    for i in range(12):  # strong: the word several times in a short message
        text = "apple " * (2 + i % 4) + "tree " * i + "苹果园" * (1 + i % 3)
        ids.append(store.add_user_message(c.id, text).id)
    for i in range(48):  # weak: once, in a long message; newer than the strong ones
        ids.append(store.add_user_message(c.id, "apple 苹果园 " + "filler words " * (20 + i)).id)
    return ids


def _reference(store: HistoryStore, table: str, term: str, n: int = 10) -> list[int]:
    """bm25 over every match, by SQLite itself."""
    rows = store._db.execute(
        f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rank LIMIT ?", (term, n)
    )
    return [int(r[0]) for r in rows]


def _first_pass(store: HistoryStore, query: str, n: int = 10) -> list[int]:
    """The first pass's best message ids, in order (as the search worker runs it first)."""
    results = store.search_grouped(query)
    assert not results.exact  # two stages: the full pass still follows for the counts
    ranked = [
        (h.rank, h.message_id) for g in results.groups for h in g.hits if h.message_id is not None
    ]
    flat = search_module.search(store._db, query, limit=n)
    assert [h.message_id for h in flat if h.message_id][:1] == [min(ranked)[1]]
    return [h.message_id for h in flat if h.message_id is not None][:n]


@pytest.fixture
def store(tmp_path: Path) -> HistoryStore:
    with HistoryStore.open(tmp_path / "history.sqlite3") as opened:
        yield opened


def test_the_first_pass_of_a_common_word_agrees_with_full_bm25(store: HistoryStore) -> None:
    ids = _orchard(store)
    newest_ten = sorted(ids, reverse=True)[:10]
    best = _reference(store, "messages_fts", "apple")
    assert not set(best) & set(newest_ten)  # what the newest-first pass used to show
    assert _first_pass(store, "apple")[0] == max(ids)  # no list yet: the newest first
    assert search_lists.build_all(store._db) > 0
    assert _first_pass(store, "apple") == best  # the same 10, in the same order
    assert _first_pass(store, "苹果园") == _reference(store, "messages_tri", '"苹果园"')


def test_lists_follow_messages_added_edited_and_deleted(store: HistoryStore) -> None:
    ids = _orchard(store)
    search_lists.build_all(store._db)
    # Added after the list was built: found by `rowid > through_id`.
    other = store.create_conversation(title="later")
    newcomer = store.add_user_message(other.id, "apple apple apple apple apple apple").id
    assert _first_pass(store, "apple")[0] == newcomer
    assert _first_pass(store, "apple") == _reference(store, "messages_fts", "apple")
    # Deleted: gone from the lists at once (trigger).
    store.delete_conversation(other.id)
    assert newcomer not in _first_pass(store, "apple")
    assert _first_pass(store, "apple") == _reference(store, "messages_fts", "apple")
    # Edited in place (an old weak message becomes the best; the best loses the word), as
    # another connection or a future editor might: noted by trigger, scored afresh.
    weak, strong = ids[-1], _reference(store, "messages_fts", "apple")[0]
    with store.transaction() as db:
        db.execute("UPDATE messages SET content = ? WHERE id = ?", ("apple " * 8, weak))
        db.execute("UPDATE messages SET content = 'pear' WHERE id = ?", (strong,))
    first = _first_pass(store, "apple")
    assert first[0] == weak and strong not in first
    assert first == _reference(store, "messages_fts", "apple")
    # A rebuild takes the edits in; the notes are then dropped.
    store._db.execute("UPDATE search_lists SET through_id = -1")
    search_lists.build_all(store._db)
    assert store._db.execute("SELECT count(*) FROM search_list_changes").fetchone()[0] == 0
    assert _first_pass(store, "apple") == _reference(store, "messages_fts", "apple")


def test_a_reply_that_finishes_after_the_build_is_scored(store: HistoryStore) -> None:
    _orchard(store)
    c = store.create_conversation(title="streaming")
    reply = store.start_assistant_message(c.id)  # an id the list covers, not indexed yet
    search_lists.build_all(store._db)
    store.finish_assistant_message(reply.id, state="complete", content="apple " * 9)
    assert _first_pass(store, "apple")[0] == reply.id


def test_a_word_without_a_list_keeps_the_newest_first_pass(store: HistoryStore) -> None:
    ids = _orchard(store)
    # No list built yet (the worker builds them while idle): the newest matches come first.
    assert _first_pass(store, "apple")[0] == max(ids)


def test_building_stops_when_a_search_is_wanted(store: HistoryStore, tmp_path: Path) -> None:
    _orchard(store)
    with pytest.raises(sqlite3.OperationalError, match="interrupt"):
        search_lists.build_step(store._db, stop=lambda: True)
    built = "SELECT count(*) FROM search_lists WHERE tbl != '' AND through_id >= 0"
    assert store._db.execute(built).fetchone()[0] == 0  # nothing written
    session = SearchSession(tmp_path / "history.sqlite3")
    assert session.improve(lambda: True) is False  # interrupted: no error, nothing done
    while session.improve(lambda: False):
        pass
    assert store._db.execute(built).fetchone()[0] > 0
    session.close()


def test_migration_from_version_7_adds_the_lists(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    shutil.copy(FIXTURES / "v7.sqlite3", path)
    with HistoryStore.open(path) as store:
        assert store.schema_version == migrations.LATEST_VERSION
        db = store._db
        assert db.execute("SELECT count(*) FROM search_lists").fetchone()[0] == 1  # the planner
        assert search_lists.build_step(db) is False  # 8 messages: no common term
    assert store.backup_path is not None


def test_migrated_history_keeps_its_lists_current(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "history.sqlite3"
    shutil.copy(FIXTURES / "v7.sqlite3", path)
    monkeypatch.setattr(search_lists, "LIST_MIN_DF", 1)
    with HistoryStore.open(path) as store:
        db = store._db
        assert search_lists.build_all(db) > 0
        listed = "SELECT count(*) FROM search_list_hits WHERE message_id = ?"
        (conversation,) = [
            c for c in store.list_conversations() if c.title == "Streaming with httpx"
        ]
        messages = [m.id for m in store.messages(conversation.id)]
        assert any(db.execute(listed, (m,)).fetchone()[0] for m in messages)
        store.delete_conversation(conversation.id)
        assert not any(db.execute(listed, (m,)).fetchone()[0] for m in messages)


def test_a_prefix_and_a_long_substring_rank_over_their_terms_lists(store: HistoryStore) -> None:
    c = store.create_conversation(title="rivers")
    for i in range(30):  # the strongest first; every length differs, so no ties
        words = ["stream"] * (1 + i % 3) + ["streams"] * (i % 2) + ["streaming"] * (i % 4)
        store.add_user_message(
            c.id, " ".join(words) + " water" * (i * 3) + " 数据库系统" * (1 + i % 5)
        )
    for i in range(30):  # weak and newer
        store.add_user_message(c.id, "stream 数据库系统 " + "filler words " * (15 + i))
    assert _first_pass(store, "stre*")[0] != _reference(store, "messages_fts", '"stre"*')[0]
    search_lists.build_all(store._db)
    assert _first_pass(store, "stre*") == _reference(store, "messages_fts", '"stre"*')
    assert _first_pass(store, "数据库系") == _reference(store, "messages_tri", '"数据库系"')


def test_a_first_pass_from_the_lists_is_still_cancelled_by_a_newer_query(
    tmp_path: Path,
) -> None:
    path = tmp_path / "history.sqlite3"
    make_history(path, 3000)
    with HistoryStore.open(path) as store:
        search_lists.build_all(store._db)
    session = GatedSession(path)
    session.want(1)
    outcome: list[SearchResults | None] = []
    worker = threading.Thread(target=lambda: outcome.append(session.run(1, "apple")))
    worker.start()
    assert session.started.wait(10)  # the first pass is inside SQLite now
    session.want(2)  # the user typed on
    session.release.set()
    worker.join(10)
    assert outcome == [None]
    fresh = session.run(2, "apple")  # the same first pass, left to finish: from the list
    assert fresh is not None and not fresh.exact and fresh.groups
    session.close()
