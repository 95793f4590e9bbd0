"""The search worker's connection: a newer query stops the running one inside SQLite."""

from __future__ import annotations

import threading
from pathlib import Path

from desktopchat.storage.models import SearchResults
from desktopchat.storage.search_session import SearchSession
from desktopchat.storage.store import HistoryStore


class GatedSession(SearchSession):
    """Holds the first progress callback until the test releases it (a gate, not a sleep)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.started = threading.Event()
        self.release = threading.Event()

    def _stop(self) -> bool:
        if not self.started.is_set():
            self.started.set()
            assert self.release.wait(10)
        return super()._stop()


def make_history(path: Path, messages: int = 3000) -> None:
    with HistoryStore.open(path) as store:
        c = store.create_conversation(title="many")
        with store.transaction() as db:
            db.executemany(
                "INSERT INTO messages(conversation_id, role, content, created_at, updated_at)"
                " VALUES (?, 'user', ?, 0, 0)",
                [(c.id, f"apple pie number {i} 苹果派") for i in range(messages)],
            )


def test_a_newer_query_cancels_the_running_one(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    make_history(path)
    session = GatedSession(path)
    session.want(1)
    outcome: list[SearchResults | None] = []
    worker = threading.Thread(target=lambda: outcome.append(session.run(1, "apple")))
    worker.start()
    assert session.started.wait(10)  # the query is inside SQLite now
    session.want(2)  # the user typed on
    session.release.set()
    worker.join(10)
    assert outcome == [None]  # stopped, nothing delivered
    fresh = session.run(2, "苹果", exhaustive=True)
    assert fresh is not None and fresh.groups[0].match_count == 3000
    session.close()


def test_a_request_already_stale_does_not_run(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    make_history(path, 10)
    session = GatedSession(path)
    session.want(5)
    assert session.run(4, "apple") is None
    assert not session.started.is_set()  # never reached SQLite
    session.release.set()
    result = session.run(5, "apple")
    assert result is not None and result.query == "apple"
    session.close()


def test_reads_while_another_connection_writes(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    make_history(path, 10)
    session = SearchSession(path)
    session.want(1)
    with HistoryStore.open(path) as store, store.transaction() as db:
        db.execute("UPDATE messages SET content = 'pear' WHERE id = 1")
        result = session.run(1, "apple")  # WAL: the committed snapshot, not blocked
    assert result is not None and result.groups[0].match_count == 10
    session.close()
