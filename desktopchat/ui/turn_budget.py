"""One budget for the UI thread's own work between two chances the event loop gets.

The transcript's handlers are each short: a frame (the streamed text, laid out and
painted), a render-pump slice, the paint the slice causes, background layout, a garbage
collection. But Qt runs every timer that is due, then the posted paints, in one turn of
the event loop, and the turn after it may start with another of them before input gets
its turn. Measured (benchmarks/render_pathological.py, a 100,000-row table streaming):
a 13 ms slice, its 6 ms paint and an 8 ms frame ran back to back, a ~30 ms step, which a
busy machine stretched past the 50 ms budget (DESIGN.md §6, §8); a 16 ms full garbage
collection could land in the same run. Each handler keeping to its own budget does not
bound their sum.

So handlers that can wait (pump slices, background layout, garbage collection) ask how
much is left of RUN_BUDGET_S in the current *run*: our work since the event loop last
had a turn with none of it. A turn is counted from the dispatcher's `aboutToBlock`, which
Qt emits at the start of every turn (glib and Unix dispatchers, busy or not). They leave
room for what will follow in the same run (the paint their progress causes, a frame that
falls due), and when too little is left they wait for the next turn; one turn with none
of our work lets input in and starts a new run. Frames never wait: streamed text keeps
its latency. A handler that waited MAX_WAITS turns in a row runs anyway, so nothing starves
(and a platform whose dispatcher never says `aboutToBlock` only loses the reservations).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QAbstractEventDispatcher, QCoreApplication, QObject

RUN_BUDGET_S = 0.010  # our work in one run; two runs may meet around a turn (< 50 ms)
MIN_STEP_S = 0.002  # less than this left: wait for the next turn instead
MAX_WAITS = 8  # turns a handler waits in a row at most before it runs anyway
PEAK_DECAY = 0.75  # a remembered cost shrinks by this much at each cheaper one
STALE_S = 0.25  # expected work this long overdue is not coming (its timer was stopped)

Clock = Callable[[], float]


class TurnBudget(QObject):
    """What our handlers spent in the current run, and what each kind of work costs."""

    def __init__(self, parent: QObject | None = None, *, clock: Clock = time.perf_counter,
                 dispatcher: QAbstractEventDispatcher | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self.run_used = 0.0  # seconds of our work since a turn without any
        self._turn_used = 0.0
        self._depth = 0  # spend() nests (a frame paints): only the outermost counts
        # The recent peak cost of each kind of work (a paint costs what is on screen: one
        # cheap paint between costly ones must not shrink what the next slice leaves).
        self.costs: dict[str, float] = {}
        self._due: dict[str, float] = {}  # work that will run when its time comes
        dispatcher = dispatcher or QAbstractEventDispatcher.instance()
        if dispatcher is not None:
            dispatcher.aboutToBlock.connect(self.new_turn)

    def new_turn(self) -> None:
        """A turn of the event loop begins: after a turn with none of our work, a new run."""
        if self._turn_used == 0.0:
            self.run_used = 0.0
        self._turn_used = 0.0

    @contextmanager
    def spend(self, kind: str) -> Iterator[None]:
        """Count the work inside as `kind`: its cost is remembered for reservations."""
        started = self._clock()
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            cost = self._clock() - started
            self.costs[kind] = max(cost, PEAK_DECAY * self.costs.get(kind, 0.0))
            self._due.pop(kind, None)
            if self._depth == 0:
                self.run_used += cost
                self._turn_used += cost

    def expect(self, kind: str, due: float) -> None:
        """Work of `kind` will run at `due` (the clock's time) whatever the budget says."""
        self._due[kind] = due

    def left(self, until: float, *, after: Iterable[str] = ()) -> float:
        """Seconds of the run left for work ending at `until`, less the cost of the work
        that will follow it in this run (`after`) and of work due before `until`."""
        stale = self._clock() - STALE_S  # a timer stopped before it fired (a view closed)
        self._due = {kind: due for kind, due in self._due.items() if due >= stale}
        reserved = sum(self.costs.get(kind, 0.0) for kind in after)
        reserved += sum(self.costs.get(kind, 0.0) for kind, due in self._due.items()
                        if due <= until and kind not in after)
        return RUN_BUDGET_S - self.run_used - reserved

    def now(self) -> float:
        return self._clock()


class Waits:
    """A handler's count of turns waited in a row, so it never waits forever."""

    def __init__(self) -> None:
        self.count = 0

    def wait(self, left: float, budget: TurnBudget) -> bool:
        """True when the handler should wait for the next turn: too little is left of a run
        that already holds work, and it has not waited MAX_WAITS times in a row."""
        if left >= MIN_STEP_S or budget.run_used == 0.0 or self.count >= MAX_WAITS:
            self.count = 0
            return False
        self.count += 1
        return True


FIXED_CHARS = 500  # a piece's fixed cost (a document made, laid out), in characters


class CostRate:
    """Seconds per character of a kind of work, learnt as it runs: whether the next
    piece fits what is left. Recent pieces weigh most (a reply changes kind as it goes);
    a fixed share per piece keeps a short streaming tail from predicting a long part."""

    def __init__(self) -> None:
        self.per_char = 0.0

    def learn(self, chars: int, seconds: float) -> None:
        rate = seconds / (chars + FIXED_CHARS)
        self.per_char = rate if self.per_char == 0.0 else 0.5 * (self.per_char + rate)

    def predict(self, chars: int) -> float:
        return self.per_char * (chars + FIXED_CHARS)


@functools.cache
def shared_turn_budget() -> TurnBudget:
    """The UI thread's one budget (made on first use, owned by the application)."""
    return TurnBudget(QCoreApplication.instance())
