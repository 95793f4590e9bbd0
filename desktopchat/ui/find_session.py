"""Find in conversation: counts a query's matches over the whole conversation in slices.

The search runs over message text (find_text), never over painted documents. It starts with
the messages the view holds (newest pages), then reads older pages from storage, one page a
slice, without putting them into the view: only going to a match on an older page loads
pages into the view (WindowFind). Every slice is bounded (SLICE_S, or one page read), so the
UI thread never waits long, however long the chat; the count grows as the scan goes
("3 of 17…") and is exact when it ends. Older pages' text is kept (casefolded) while the
conversation stays open, so typing more letters does not read storage again.

Matches are numbered in document order (oldest first). The first current match is the first
one at or below the top of the screen, else the nearest one above it.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from desktopchat.ui.find_text import MessageLike, Sections, count_in, sections_of

SLICE_S = 0.008  # scanning never holds the UI thread longer than this (plus one page read)

OlderPage = Callable[[int], tuple[Sequence[MessageLike], bool]]  # before id -> page, more


@dataclass(frozen=True, slots=True)
class SectionHits:
    message_id: int
    section: str
    count: int


@dataclass(frozen=True, slots=True)
class Match:
    message_id: int
    section: str
    occurrence: int  # the n-th match (0-based) in that section's text
    needle: str


class FindSession(QObject):
    changed = Signal()  # the count, the current match or the scan state changed
    current_changed = Signal(object)  # Match: show it

    def __init__(self, parent: QObject, rows: Callable[[], Sequence[MessageLike]],
                 has_older: Callable[[], bool], older_page: OlderPage | None,
                 top_row: Callable[[], int]) -> None:
        super().__init__(parent)
        self._rows = rows  # the messages the view holds, oldest first
        self._has_older = has_older
        self._older_page = older_page
        self._top_row = top_row  # index of the row at the top of the screen
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._slice)
        self.longest_slice_s = 0.0  # for the benchmark
        self.forget_older()
        self._reset("")

    # -- state ------------------------------------------------------------------------------

    def forget_older(self) -> None:
        """Another conversation (or branch) is shown: older pages must be read again."""
        self._older: list[tuple[int, Sections]] = []  # newest first
        self._older_from = -1  # the next page is read before this id
        self._older_more = True

    def _reset(self, needle: str) -> None:
        self._timer.stop()
        self.needle = needle
        self.hits: list[SectionHits] = []
        self._starts: list[int] = []  # running totals, for bisect
        self.current = -1
        self.scanning = False
        self._loaded: Sequence[MessageLike] = ()
        self._loaded_ids: set[int] = set()
        self._loaded_done = 0  # loaded rows scanned so far
        self._newer: list[SectionHits] = []  # hits in loaded rows, in order
        self._older_done = 0  # entries of _older scanned so far

    @property
    def total(self) -> int:
        return self._starts[-1] + self.hits[-1].count if self.hits else 0

    def start(self, query: str) -> None:
        self._reset(query.casefold())
        if self.needle:
            self._loaded = list(self._rows())
            self._loaded_ids = {m.id for m in self._loaded}
            self.scanning = True
            self._slice()  # the first slice at once: what is on screen is counted now
        self.changed.emit()

    def stop(self) -> None:
        self._reset("")

    # -- moving -----------------------------------------------------------------------------

    def match(self, index: int) -> Match | None:
        if not 0 <= index < self.total:
            return None
        at = bisect.bisect_right(self._starts, index) - 1
        hit = self.hits[at]
        return Match(hit.message_id, hit.section, index - self._starts[at], self.needle)

    def step(self, delta: int) -> None:
        """Next (+1) or previous (-1) match, wrapping around."""
        if self.total:
            self.current = (self.current + delta) % self.total if self.current >= 0 else 0
            self._show()

    def _show(self) -> None:
        self.changed.emit()
        found = self.match(self.current)
        if found is not None:
            self.current_changed.emit(found)

    # -- scanning ---------------------------------------------------------------------------

    def _slice(self) -> None:
        began = time.perf_counter()
        deadline = began + SLICE_S
        try:
            if self._loaded_done < len(self._loaded):
                self._scan_loaded(deadline)
            else:
                self._scan_older(deadline)
        finally:
            self.longest_slice_s = max(self.longest_slice_s, time.perf_counter() - began)
        if self.scanning:
            self._timer.start()
        self.changed.emit()

    def _scan_loaded(self, deadline: float) -> None:
        loaded, needle = self._loaded, self.needle
        while self._loaded_done < len(loaded):
            message = loaded[self._loaded_done]
            self._loaded_done += 1
            for section, count in count_in(sections_of(message), needle):
                self._newer.append(SectionHits(message.id, section, count))
            if self._loaded_done < len(loaded) and time.perf_counter() > deadline:
                return
        # The view's rows are counted: this is where the user is, so a current match now.
        self._prepend([])
        top_id = loaded[min(max(0, self._top_row()), len(loaded) - 1)].id if loaded else -1
        order = {m.id: n for n, m in enumerate(loaded)}
        below = [n for n, hit in enumerate(self.hits)
                 if order.get(hit.message_id, -1) >= order.get(top_id, 0)]
        if below:
            self.current = self._starts[below[0]]
        elif self.hits:
            self.current = self.total - 1
        if self.current >= 0:
            self._show()
        if not self._has_older() or self._older_page is None:
            self.scanning = False

    def _scan_older(self, deadline: float) -> None:
        found: list[SectionHits] = []  # newest first
        read = False
        while True:
            if self._older_done == len(self._older):
                if read:
                    break  # at most one page read a slice
                read = True
                if not self._read_older_page():
                    self.scanning = False
                    break
            message_id, sections = self._older[self._older_done]
            self._older_done += 1
            if message_id not in self._loaded_ids:
                found.extend(SectionHits(message_id, section, count) for section, count
                             in reversed(list(count_in(sections, self.needle))))
            if time.perf_counter() > deadline:
                break
        found.reverse()
        had_none = self.current < 0
        self._prepend(found)
        if had_none and self.hits:
            self.current = self.total - 1  # nothing below the older pages: the newest match
            self._show()

    def _read_older_page(self) -> bool:
        """Read one more page above what is known; False when there is none."""
        if self._older_page is None or not self._older_more:
            return False
        if self._older_from < 0:
            if not self._loaded:
                return False
            self._older_from = self._loaded[0].id
        page, more = self._older_page(self._older_from)
        self._older_more = more and bool(page)
        if page:
            self._older_from = page[0].id
            self._older.extend((m.id, sections_of(m)) for m in reversed(page))
        return bool(page)

    def _prepend(self, found: list[SectionHits]) -> None:
        """Hits older than all the known ones go first; the current match stays itself."""
        if self._newer:
            self.hits.extend(self._newer)
            self._newer = []
        self.hits[:0] = found
        shift = sum(hit.count for hit in found)
        if self.current >= 0:
            self.current += shift
        starts, total = [], 0
        for hit in self.hits:
            starts.append(total)
            total += hit.count
        self._starts = starts
