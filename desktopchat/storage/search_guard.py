"""One SQLite progress handler per search: stop for a newer query, or when the first pass's
time is up.

The first pass of a search walks the matches newest first. For most queries that walk is
short; for a phrase or AND of very common words SQLite may check hundreds of thousands of
documents before it has enough matches. The walk is therefore time-boxed (FIRST_PASS_BUDGET):
when the time is up we keep the matches found so far, rank those, and mark the result
inexact, so the worker goes on with the full pass.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

PROGRESS_OPS = 1000  # SQLite virtual-machine steps between checks (well under a millisecond)
FIRST_PASS_BUDGET = 0.015  # seconds for the newest-first walk of the first pass
RANK_BUDGET = 0.035  # seconds for the first pass's bm25 ranking (its count and idf bound it)


class SearchGuard:
    def __init__(self, db: sqlite3.Connection, stop: Callable[[], bool] | None = None) -> None:
        self._db = db
        self._stop = stop
        self._deadline: float | None = None

    def __enter__(self) -> SearchGuard:
        self._db.set_progress_handler(self._check, PROGRESS_OPS)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._db.set_progress_handler(None, 0)

    def cancelled(self) -> bool:
        return self._stop is not None and self._stop()

    def _check(self) -> int:
        if self.cancelled():
            return 1
        return 1 if self._deadline is not None and time.perf_counter() > self._deadline else 0

    def walk(
        self, sql: str, args: tuple[object, ...], budget: float | None
    ) -> tuple[list[tuple[Any, ...]], bool]:  # Any: sqlite3's row values (typeshed: Any)
        """Rows of `sql`, and whether they are all of them (False: the budget ran out)."""
        rows: list[tuple[Any, ...]] = []  # Any: sqlite3's row values
        self._deadline = None if budget is None else time.perf_counter() + budget
        try:
            cursor = self._db.execute(sql, args)
            while batch := cursor.fetchmany(256):
                rows += batch
            return rows, True
        except sqlite3.OperationalError as exc:
            if "interrupt" not in str(exc) or self.cancelled() or self._deadline is None:
                raise
            return rows, False
        finally:
            self._deadline = None
