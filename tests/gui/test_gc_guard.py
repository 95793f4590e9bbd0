"""Cyclic garbage is collected by the app on the main thread, never on a helper thread."""

from __future__ import annotations

import gc
import threading
import time
import weakref
from typing import Any

from desktopchat.ui.gc_guard import MIN_FULL_INTERVAL_S, MainThreadGarbageCollector


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_collection_runs_on_the_main_thread(qtbot: Any) -> None:
    collector = MainThreadGarbageCollector()
    try:
        assert not gc.isenabled()
        freed_on: list[str] = []
        cycle = Cycle()
        weakref.finalize(cycle, lambda: freed_on.append(threading.current_thread().name))
        del cycle

        def churn() -> None:  # allocations on a helper thread no longer trigger a collection
            for _ in range(5 * gc.get_threshold()[0]):
                Cycle()

        worker = threading.Thread(target=churn, name="helper")
        worker.start()
        worker.join()
        assert freed_on == []
        qtbot.waitUntil(lambda: bool(freed_on), timeout=5000)
        assert freed_on == [threading.main_thread().name]
    finally:
        collector.stop()
        collector.deleteLater()


def test_below_the_threshold_nothing_is_collected(qtbot: Any) -> None:
    collector = MainThreadGarbageCollector()
    try:
        gc.collect()
        assert collector.check() is None
    finally:
        collector.stop()
        collector.deleteLater()


def test_stop_restores_the_automatic_collector(qtbot: Any) -> None:
    gc.enable()
    collector = MainThreadGarbageCollector()
    assert not gc.isenabled()
    collector.stop()
    assert gc.isenabled()
    gc.disable()  # the test fixture keeps automatic collection off during Qt tests
    collector.deleteLater()


def push_counts_past_every_threshold() -> list[list[Any]]:
    """gc.get_count() above all three thresholds (automatic collection is off here); keep
    what it returns until the check (freeing it lowers the youngest count again)."""
    young, middle, old = gc.get_threshold()
    for _ in range(old + 1):
        gc.collect(1)  # each adds one to the oldest generation's count (and clears younger)
    for _ in range(middle + 1):
        gc.collect(0)  # each adds one to the middle generation's count
    keep = [[] for _ in range(2 * young)]  # tracked allocations: the youngest's count
    assert all(c > t for c, t in zip(gc.get_count(), gc.get_threshold(), strict=True)), len(keep)
    return keep


def test_a_full_pass_waits_until_it_is_due(qtbot: Any) -> None:
    collector = MainThreadGarbageCollector()
    try:
        collector.check()
        collector._last_full = time.monotonic()  # a full pass just ran
        assert not collector.full_pass_due()
        held = push_counts_past_every_threshold()
        assert collector.check() == 1 and held  # the one below: young cycles still go
        assert gc.get_count()[2] > gc.get_threshold()[2]  # the full pass is still owed
        collector._last_full -= MIN_FULL_INTERVAL_S + 1
        assert collector.full_pass_due()
        held_too = push_counts_past_every_threshold()
        assert collector.check() == 2 and held and held_too
        assert not collector.full_pass_due()
    finally:
        collector.stop()
        collector.deleteLater()


def test_start_up_objects_are_set_aside_and_given_back_at_stop(qtbot: Any) -> None:
    collector = MainThreadGarbageCollector()
    built_at_start_up = Cycle()
    try:
        assert collector.freeze_start_up() == gc.get_freeze_count() > 0
        assert not any(o is built_at_start_up for o in gc.get_objects())  # out of every pass
        later = Cycle()
        assert any(o is later for o in gc.get_objects())
    finally:
        collector.stop()
        collector.deleteLater()
    assert gc.get_freeze_count() == 0
