"""The search session keeps full rankings while the history is unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktopchat.storage import search as search_module
from desktopchat.storage.models import SearchResults
from desktopchat.storage.search_session import SearchSession
from desktopchat.storage.store import HistoryStore


def _fill(path: Path) -> int:
    """62 matches of 'apple'; the best one is the oldest: a newest-first pass misses it."""
    with HistoryStore.open(path) as store:
        c = store.create_conversation(title="orchard")
        best = store.add_user_message(c.id, "apple apple apple apple")
        for i in range(60):
            store.add_user_message(c.id, f"apple and {i} " + "filler words " * 10)
        store.add_user_message(c.id, "apple " + "filler " * 60)
        return best.id


def _best(results: SearchResults) -> int | None:
    return results.groups[0].hits[0].message_id if results.groups else None


def test_a_query_run_again_shows_the_full_ranking_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "history.sqlite3"
    best = _fill(path)
    monkeypatch.setattr(search_module, "FULL_RANK_LIMIT", 20)  # 62 matches: two stages
    session = SearchSession(path)
    session.want(1)
    quick = session.run(1, "apple")
    assert quick is not None and not quick.exact and _best(quick) != best
    full = session.run(1, "apple", exhaustive=True)
    assert full is not None and full.exact and _best(full) == best
    session.want(2)
    other = session.run(2, "filler")
    assert other is not None
    session.want(3)
    again = session.run(3, "apple")  # back to the earlier query: no newest-first pass
    assert again is not None and again.exact and _best(again) == best
    assert again.groups[0].match_count == 62 and again.groups[0].count_is_exact
    session.close()


def test_a_change_to_the_history_drops_the_kept_ranking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "history.sqlite3"
    _fill(path)
    monkeypatch.setattr(search_module, "FULL_RANK_LIMIT", 20)
    session = SearchSession(path)
    session.want(1)
    assert session.run(1, "apple", exhaustive=True) is not None
    with HistoryStore.open(path) as store:  # another connection writes, as the app does
        c = store.create_conversation(title="new orchard")
        better = store.add_user_message(c.id, "apple apple apple apple apple")
    quick = session.run(1, "apple")  # the kept ranking predates the new message
    assert quick is not None and not quick.exact
    full = session.run(1, "apple", exhaustive=True)
    assert full is not None and _best(full) == better.id
    assert sum(g.match_count for g in full.groups) == 63
    session.close()
