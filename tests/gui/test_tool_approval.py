"""The approval cards: Run, Always allow, Deny, a typed result, and Stop while waiting."""

from __future__ import annotations

import asyncio

import pytest

from desktopchat.tools import ToolCatalog, ToolInfo
from desktopchat.tools.calls import plan_calls, requested_calls
from desktopchat.tools.round import Decision
from desktopchat.ui.tool_approval import ToolApprovalPanel

CATALOG = ToolCatalog([ToolInfo("testtools", "add"), ToolInfo("testtools", "echo")])


def plans(*calls: tuple[str, str]):  # type: ignore[no-untyped-def]
    return plan_calls(requested_calls([
        {"id": f"c{i}", "function": {"name": n, "arguments": a}} for i, (n, a) in enumerate(calls)
    ]), CATALOG, profile_tools=["get_weather"])


def test_each_card_answers_its_own_call(qtbot, qasync_loop) -> None:
    panel = ToolApprovalPanel()
    qtbot.addWidget(panel)
    add, echo, weather = plans(("add", '{"a": 1, "b": 2}'), ("echo", '{"text": "<b>hi</b>"}'),
                               ("get_weather", '{"city": "Oslo"}'))

    async def scenario() -> list[Decision]:
        asked = [asyncio.ensure_future(panel.ask(p)) for p in (add, echo, weather)]
        while len(panel.cards()) < 3:
            await asyncio.sleep(0)
        assert panel.isVisible()
        first, second, third = panel.cards()
        assert first.title.text() == "add · testtools"
        assert '"a": 1' in first.arguments.toPlainText()
        assert second.arguments.toPlainText() == '{\n  "text": "<b>hi</b>"\n}'
        assert third.title.text() == "get_weather · answered by you"
        assert third.answer.isVisibleTo(third) and not third.always_button.isVisibleTo(third)
        second.always_button.click()
        third.answer.setPlainText("Sunny")
        third.run_button.click()
        first.deny_button.click()
        first.run_button.click()  # a second click changes nothing
        assert not first.run_button.isEnabled() and first.status.text() == "Denied"
        return list(await asyncio.gather(*asked))

    decisions = qasync_loop.run(scenario())
    assert decisions == [Decision("deny"), Decision("always"), Decision("answer", "Sunny")]
    panel.clear()
    assert panel.cards() == [] and not panel.isVisible()


def test_clearing_cancels_a_question_still_open(qtbot, qasync_loop) -> None:
    panel = ToolApprovalPanel()
    qtbot.addWidget(panel)
    (add,) = plans(("add", "{}"))

    async def scenario() -> None:
        asked = asyncio.ensure_future(panel.ask(add))
        while not panel.cards():
            await asyncio.sleep(0)
        panel.clear()
        with pytest.raises(asyncio.CancelledError):
            await asked

    qasync_loop.run(scenario())
