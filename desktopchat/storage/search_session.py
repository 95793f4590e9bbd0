"""A search connection for a worker thread, whose running query a newer one cancels.

The UI thread calls `want(generation)` each time the query changes; the worker thread calls
`run(generation, ...)`. SQLite polls `_stop` through a progress handler (search_guard) every
thousand virtual-machine steps; once a newer generation is wanted it answers True, SQLite
stops the statement, and `run` returns None. `want` only stores an int, so
it is safe to call from any thread.

The full ranking of a common word takes up to a second (search.py), and its first pass shows
only the newest matches. The session keeps the last full rankings while the history is
unchanged (SQLite's data_version moves when another connection commits), so going back to a
query, or running it again, shows the best matches at once.

While nobody searches, `improve` builds the lists that let the first pass of a one-term query
show its best matches (search_lists): one list a step, stopped by the next query.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from . import opening, search_lists
from .models import SearchFilters, SearchResults
from .search import search_grouped
from .sqlerrors import storage_error

KEPT_RANKINGS = 16  # full rankings kept: a few KB each


class SearchSession:
    def __init__(self, path: Path, busy_timeout: float = 5.0) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self._db: sqlite3.Connection | None = None
        self._wanted = 0
        self._running = 0
        self._rankings: OrderedDict[tuple[str, SearchFilters | None], tuple[int, SearchResults]] = (
            OrderedDict()
        )

    def want(self, generation: int) -> None:
        """Only `generation` is wanted from now on: a query for an older one stops."""
        self._wanted = generation

    @property
    def wanted(self) -> int:
        return self._wanted

    def stale(self) -> bool:
        return self._running != self._wanted

    def _stop(self) -> bool:
        """Polled by SQLite (search_guard) while the query runs."""
        return self.stale()

    def run(
        self,
        generation: int,
        query: str,
        filters: SearchFilters | None = None,
        *,
        exhaustive: bool = False,
    ) -> SearchResults | None:
        """The results, or None when a newer query was wanted before they were complete."""
        if generation != self._wanted:
            return None
        self._running = generation
        try:
            if self._db is None:
                # Its own connection: WAL lets it read while the UI thread's connection writes.
                self._db = opening.connect(self.path, self.busy_timeout)
            key = (query, filters)
            version = int(self._db.execute("PRAGMA data_version").fetchone()[0])
            kept = self._rankings.get(key)
            if kept is not None and kept[0] == version:
                self._rankings.move_to_end(key)
                return kept[1]
            results = search_grouped(
                self._db, query, filters=filters, exhaustive=exhaustive, stop=self._stop
            )
            if exhaustive and results.exact:
                self._rankings[key] = (version, results)
                self._rankings.move_to_end(key)
                while len(self._rankings) > KEPT_RANKINGS:
                    self._rankings.popitem(last=False)
            return results
        except sqlite3.OperationalError as exc:
            if self.stale() and "interrupt" in str(exc):
                return None
            raise storage_error(exc, self.path, self.busy_timeout) from exc
        except sqlite3.Error as exc:
            raise storage_error(exc, self.path, self.busy_timeout) from exc
        finally:
            self._running = 0

    def improve(self, interrupted: Callable[[], bool]) -> bool:
        """One step of keeping the search lists current (search_lists), for idle time.

        True when there may be more to do. `interrupted` is polled while SQLite reads: once it
        is True (a search was asked for) the step stops, writing nothing, and returns False.
        """
        try:
            if self._db is None:
                self._db = opening.connect(self.path, self.busy_timeout)
            return search_lists.build_step(self._db, interrupted)
        except sqlite3.OperationalError as exc:
            if "interrupt" in str(exc) and interrupted():
                return False
            raise storage_error(exc, self.path, self.busy_timeout) from exc
        except sqlite3.Error as exc:
            raise storage_error(exc, self.path, self.busy_timeout) from exc

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
