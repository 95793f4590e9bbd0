"""Cyclic garbage is collected by the app on the main thread, never on a helper thread."""

from __future__ import annotations

import gc
import threading
import weakref
from typing import Any

from desktopchat.ui.gc_guard import MainThreadGarbageCollector


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
