"""Search off the UI thread: one worker thread with its own connection, newest query wins.

`search(text, filters)` returns at once. The worker runs the query and the results come back
through the queued `results_ready` signal; a newer `search` (or `cancel`) stops the running
query inside SQLite (storage.search_session) and the stale results are never delivered.
When the first pass could not rank every match of a very common query (`exact=False`), the
worker goes on with the full ranking and delivers that too, unless a newer query came first.
After IDLE_SECONDS without a request the worker builds the search lists one step at a time
(storage.search_lists); the next request stops the step inside SQLite.
"""

from __future__ import annotations

import logging
import queue
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from desktopchat.errors import StorageError
from desktopchat.storage.search_session import SearchSession
from desktopchat.ui.error_text import shown_error
from desktopchat.ui.i18n import translate

if TYPE_CHECKING:
    from desktopchat.storage.models import SearchFilters

log = logging.getLogger(__name__)

_Request = tuple[int, str, "SearchFilters | None", bool]
IDLE_SECONDS = 2.0  # quiet time before the worker works on the search lists


class _Mailbox(QObject):
    """Signals the worker thread emits; Qt queues them to the UI thread."""

    done = Signal(int, object)  # generation, SearchResults
    failed = Signal(int, str)


class SearchRunner(QObject):
    results_ready = Signal(object)  # SearchResults of the newest query (first pass, then full)
    failed = Signal(str)
    idle_changed = Signal(bool)

    def __init__(self, database: Path, busy_timeout: float = 5.0, parent: QObject | None = None):
        super().__init__(parent)
        self.session = SearchSession(database, busy_timeout)
        self._requests: queue.SimpleQueue[_Request | None] = queue.SimpleQueue()
        self._mailbox = _Mailbox()
        self._mailbox.done.connect(self._on_done)
        self._mailbox.failed.connect(self._on_failed)
        self._generation = 0
        self._busy = False
        self._query: tuple[str, SearchFilters | None] = ("", None)
        self._thread = threading.Thread(
            target=_work,
            args=(self.session, self._requests, self._mailbox),
            name="search",
            daemon=True,
        )
        self._thread.start()
        # Ends the thread with its owner (the thread holds no reference to this object).
        requests = self._requests
        self.destroyed.connect(lambda *_: requests.put(None))

    @property
    def busy(self) -> bool:
        """True from a search request until its final results (or failure) arrive."""
        return self._busy

    def search(self, text: str, filters: SearchFilters | None = None) -> int:
        """Ask for `text`; returns the request's generation. Older requests stop."""
        self._generation += 1
        self.session.want(self._generation)
        self._query = (text, filters)
        self._set_busy(True)
        self._requests.put((self._generation, text, filters, False))
        return self._generation

    def cancel(self) -> None:
        self._generation += 1
        self.session.want(self._generation)
        self._set_busy(False)

    def close(self, timeout: float = 5.0) -> None:
        self.cancel()
        self._requests.put(None)
        self._thread.join(timeout)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.idle_changed.emit(not busy)

    def _on_done(self, generation: int, results: object) -> None:
        if generation != self._generation:
            return  # an answer to a query the user has already changed
        exact = bool(getattr(results, "exact", True))
        if not exact:
            text, filters = self._query
            self._requests.put((generation, text, filters, True))
        else:
            self._set_busy(False)
        self.results_ready.emit(results)

    def _on_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self._set_busy(False)
            self.failed.emit(message)


def _work(
    session: SearchSession,
    requests: queue.SimpleQueue[_Request | None],
    mailbox: _Mailbox,
) -> None:
    """The worker thread: run requests in order, skipping any that are already stale; in the
    quiet time between them, keep the search lists current."""
    wait: float | None = IDLE_SECONDS
    try:
        while True:
            try:
                request = requests.get(timeout=wait)
            except queue.Empty:
                wait = 0.0 if _improve(session, requests) else None
                continue
            if request is None:
                break
            wait = IDLE_SECONDS
            generation, text, filters, exhaustive = request
            if generation != session.wanted:
                continue
            try:
                results = session.run(generation, text, filters, exhaustive=exhaustive)
            except StorageError as exc:
                mailbox.failed.emit(generation, shown_error(exc))
                continue
            except Exception as exc:  # a bug: report it once, keep the traceback in the log
                log.exception("search for %r failed", text)
                mailbox.failed.emit(generation, translate(
                    "SearchWorker", "Unexpected problem: {error}").format(error=exc))
                continue
            if results is not None:
                mailbox.done.emit(generation, results)
    except RuntimeError:
        pass  # the mailbox was deleted with the application: nobody is listening
    finally:
        session.close()


def _improve(session: SearchSession, requests: queue.SimpleQueue[_Request | None]) -> bool:
    """One step on the search lists; False when done or it failed (tried again after the next
    search: a busy history is no reason to bother anyone, searches work without the lists)."""
    try:
        return session.improve(lambda: not requests.empty())
    except StorageError as exc:
        log.debug("search lists not updated: %s", exc)
        return False
    except Exception:  # a bug: keep the traceback; searching goes on without the lists
        log.exception("building the search lists failed")
        return False
