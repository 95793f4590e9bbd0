"""A search connection for a worker thread, whose running query a newer one cancels.

The UI thread calls `want(generation)` each time the query changes; the worker thread calls
`run(generation, ...)`. SQLite polls `_stop` through a progress handler (search_guard) every
thousand virtual-machine steps; once a newer generation is wanted it answers True, SQLite
stops the statement, and `run` returns None. `want` only stores an int, so
it is safe to call from any thread.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from . import opening
from .models import SearchFilters, SearchResults
from .search import search_grouped
from .sqlerrors import storage_error


class SearchSession:
    def __init__(self, path: Path, busy_timeout: float = 5.0) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self._db: sqlite3.Connection | None = None
        self._wanted = 0
        self._running = 0

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
            return search_grouped(
                self._db, query, filters=filters, exhaustive=exhaustive, stop=self._stop
            )
        except sqlite3.OperationalError as exc:
            if self.stale() and "interrupt" in str(exc):
                return None
            raise storage_error(exc, self.path, self.busy_timeout) from exc
        except sqlite3.Error as exc:
            raise storage_error(exc, self.path, self.busy_timeout) from exc
        finally:
            self._running = 0

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
