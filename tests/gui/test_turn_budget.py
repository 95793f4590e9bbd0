"""The UI thread's deferrable work shares one budget per run of the event loop.

Render slices, background layout and garbage collection run only with what the run has
left after frames and paints, wait for the next turn when too little is left (never more
than MAX_WAITS turns), and a render slice starts a part only if its predicted cost fits.
Costs come from a fake clock here: nothing is timed.
"""

from __future__ import annotations

import gc
import math
import time
from types import SimpleNamespace
from typing import Any

from desktopchat.ui.chat_view import ChatView
from desktopchat.ui.gc_guard import MainThreadGarbageCollector
from desktopchat.ui.theme import theme_named
from desktopchat.ui.turn_budget import MAX_WAITS, MIN_STEP_S, RUN_BUDGET_S, TurnBudget, Waits


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, abs_tol=1e-9)


def spend(budget: TurnBudget, clock: FakeClock, kind: str, seconds: float) -> None:
    with budget.spend(kind):
        clock.now += seconds


def test_a_run_lasts_until_a_turn_passes_without_our_work(qapp: Any) -> None:
    clock = FakeClock()
    budget = TurnBudget(clock=clock)
    spend(budget, clock, "frame", 0.005)
    budget.new_turn()  # the turn that held the frame ends: still the same run
    spend(budget, clock, "slice", 0.004)
    assert close(budget.run_used, 0.009)
    budget.new_turn()
    assert close(budget.run_used, 0.009)
    budget.new_turn()  # a whole turn with none of our work: input had its chance
    assert budget.run_used == 0.0


def test_nested_work_counts_once_and_every_kind_remembers_its_cost(qapp: Any) -> None:
    clock = FakeClock()
    budget = TurnBudget(clock=clock)
    with budget.spend("frame"):
        clock.now += 0.002
        spend(budget, clock, "paint", 0.003)  # a frame paints
    assert close(budget.run_used, 0.005)
    assert budget.costs.keys() == {"frame", "paint"}
    assert close(budget.costs["frame"], 0.005)
    assert close(budget.costs["paint"], 0.003)


def test_what_is_left_makes_room_for_the_paint_after_and_a_frame_falling_due(
        qapp: Any) -> None:
    clock = FakeClock()
    budget = TurnBudget(clock=clock)
    spend(budget, clock, "paint", 0.003)
    spend(budget, clock, "frame", 0.004)
    used = 0.007
    assert close(budget.left(clock.now), RUN_BUDGET_S - used)
    assert close(budget.left(clock.now, after=("paint",)), RUN_BUDGET_S - used - 0.003)
    budget.expect("frame", clock.now + 0.005)
    assert close(budget.left(clock.now + 0.002), RUN_BUDGET_S - used)  # due later
    assert close(budget.left(clock.now + 0.010), RUN_BUDGET_S - used - 0.004)
    spend(budget, clock, "frame", 0.001)  # it came: nothing more to reserve for it
    used += 0.001
    assert close(budget.left(clock.now + 0.010), RUN_BUDGET_S - used)
    budget.expect("frame", clock.now)
    clock.now += 1.0  # its timer was stopped (the view closed): it is not coming
    assert close(budget.left(clock.now), RUN_BUDGET_S - used)


def test_a_cheap_paint_between_costly_ones_does_not_shrink_the_reservation(
        qapp: Any) -> None:
    clock = FakeClock()
    budget = TurnBudget(clock=clock)
    spend(budget, clock, "paint", 0.008)
    spend(budget, clock, "paint", 0.001)
    assert close(budget.costs["paint"], 0.006)  # the peak, decaying
    spend(budget, clock, "paint", 0.007)
    assert close(budget.costs["paint"], 0.007)


def test_a_handler_waits_only_in_a_spent_run_and_never_forever(qapp: Any) -> None:
    clock = FakeClock()
    budget = TurnBudget(clock=clock)
    waits = Waits()
    assert not waits.wait(0.0, budget)  # nothing of ours in this run: go, whatever it says
    spend(budget, clock, "frame", RUN_BUDGET_S)
    assert not waits.wait(MIN_STEP_S, budget)
    assert [waits.wait(0.0, budget) for _ in range(MAX_WAITS + 1)] == [True] * MAX_WAITS + [
        False]


def msg(mid: int, role: str, content: str) -> Any:
    return SimpleNamespace(id=mid, role=role, content=content, reasoning="", tool_calls=[],
                           state="complete", finish_reason="stop", usage=None, error=None)


def rendered(view: ChatView, message_id: int) -> int:
    render = view.item(message_id).render
    return sum(1 for p in render.parts if p.kind == "body" and p.doc is not None)


def test_the_render_pump_waits_for_a_new_run_when_this_one_is_spent(qtbot: Any) -> None:
    view = ChatView(theme_named("light"))
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    table = "| a | b |\n|---|---|\n" + "".join(f"| cell {i} | more {i} |\n" for i in range(5000))
    view.set_messages([msg(1, "user", "A table"), msg(2, "assistant", table)])
    pump = view.row_geometry.pump
    clock = FakeClock()
    pump.budget = TurnBudget(clock=clock)
    spend(pump.budget, clock, "frame", RUN_BUDGET_S)  # a frame took the whole run
    before = rendered(view, 2)
    pump._slice()
    assert rendered(view, 2) == before  # nothing rendered in this run ...
    assert pump.busy  # ... the slice comes back in the next turn
    pump.budget.new_turn()
    pump.budget.new_turn()  # a turn without our work: a new run
    pump._slice()
    assert rendered(view, 2) > before


def test_a_part_starts_only_if_its_predicted_cost_fits(qtbot: Any) -> None:
    view = ChatView(theme_named("light"))
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    text = "\n\n".join(f"Paragraph {i} " + "word " * 400 for i in range(40))
    view.set_messages([msg(1, "user", "Long"), msg(2, "assistant", text)])
    render = view.item(2).render
    body = render.body
    while not body.caught_up:
        render.work(math.inf, None)  # chunked, nothing near: nothing rendered
    window = (0.0, 1e9)  # every part is near
    before = sum(p.doc is not None for p in body.parts())
    body.render_cost.per_char = 10.0  # ten seconds a character: no part fits an hour
    body.work(time.perf_counter() + 3600.0, render.width, window)
    assert sum(p.doc is not None for p in body.parts()) == before + 1  # the first goes
    assert any(p.needs_work(render.width) for p in body.parts())
    body.work(math.inf, render.width, window)
    assert all(p.doc is not None for p in body.parts())


def test_a_due_collection_waits_for_a_run_with_room_but_not_forever(qtbot: Any) -> None:
    clock = FakeClock()
    budget = TurnBudget(clock=clock)
    collector = MainThreadGarbageCollector(budget=budget)
    try:
        gc.collect()
        junk = [[] for _ in range(3 * gc.get_threshold()[0])]  # the youngest is due
        spend(budget, clock, "slice", RUN_BUDGET_S)
        assert [collector.check() for _ in range(MAX_WAITS)] == [None] * MAX_WAITS
        assert collector.check() == 0  # waited enough: collected anyway
        junk += [[] for _ in range(3 * gc.get_threshold()[0])]
        spend(budget, clock, "slice", RUN_BUDGET_S)
        assert collector.check() is None
        budget.new_turn()
        budget.new_turn()  # a new run: room for it
        assert collector.check() == 0
        del junk
    finally:
        collector.stop()
        collector.deleteLater()
