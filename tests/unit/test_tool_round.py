"""One round of tool calls against the real MCP test server: ask, run, deny, always."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from desktopchat.tools import ToolCatalog, ToolHost, ToolInfo, ToolOutcome
from desktopchat.tools.calls import PlannedCall, plan_calls, requested_calls
from desktopchat.tools.round import CallResult, Decision, run_round
from tests.support.tool_servers import stdio_spec

SPEC = stdio_spec()


@pytest.fixture
def host() -> Iterator[ToolHost]:
    tool_host = ToolHost(connect_timeout=60.0, call_timeout=30.0)
    yield tool_host
    tool_host.shutdown()


def plans_for(host: ToolHost, *calls: tuple[str, str], allowed: set[str] = frozenset()):  # type: ignore[no-untyped-def,assignment]
    tools = asyncio.run(host.list_tools(SPEC))
    requested = requested_calls([
        {"id": f"c{i}", "function": {"name": name, "arguments": args}}
        for i, (name, args) in enumerate(calls)
    ])
    return plan_calls(requested, ToolCatalog(tools), profile_tools=["get_weather"],
                      is_always_allowed=lambda _s, tool: tool in allowed)


def run(host: ToolHost, plans: list[PlannedCall], answers: dict[str, Decision]):  # type: ignore[no-untyped-def]
    asked: list[str] = []
    reported: list[str] = []

    async def ask(plan: PlannedCall) -> Decision:
        asked.append(plan.function_name)
        return answers[plan.function_name]

    async def call_tool(tool: ToolInfo, arguments: Mapping[str, Any]) -> ToolOutcome:
        return await host.call(SPEC, tool.name, arguments)

    def report(result: CallResult) -> None:
        reported.append(result.plan.call_id)

    results = asyncio.run(run_round(plans, ask, call_tool, report))
    return results, asked, reported


def test_approved_denied_always_and_hand_answered_calls(host: ToolHost) -> None:
    plans = plans_for(host, ("add", '{"a": 2, "b": 3}'), ("echo", '{"text": "x"}'),
                      ("image", "{}"), ("get_weather", '{"city": "Oslo"}'), ("nope", "{}"),
                      allowed={"image"})
    results, asked, reported = run(host, plans, {
        "add": Decision("run"), "echo": Decision("deny"),
        "get_weather": Decision("answer", "Sunny, 21 °C"),
    })
    assert sorted(asked) == ["add", "echo", "get_weather"]  # not the always-allowed one
    assert sorted(reported) == ["c0", "c1", "c2", "c3", "c4"]
    add, echo, image, weather, nope = results
    assert (add.decision, add.outcome.text) == ("run", "5")
    assert echo.decision == "deny" and "denied" in echo.outcome.for_model()
    assert image.decision == "auto" and image.outcome.images
    assert (weather.decision, weather.outcome.text) == ("answer", "Sunny, 21 °C")
    assert nope.decision == "invalid" and nope.outcome.is_error
    assert all(r.failure is None for r in results)


def test_a_crashing_server_is_a_failure_that_stops_the_loop(host: ToolHost) -> None:
    plans = plans_for(host, ("crash", "{}"))
    (result,), _, _ = run(host, plans, {"crash": Decision("run")})
    assert result.failure and "stopped while running 'crash'" in result.failure
    assert result.outcome.is_error


def test_stop_cancels_the_running_calls(host: ToolHost) -> None:
    plans = plans_for(host, ("slow", '{"seconds": 120}'), ("add", '{"a": 1, "b": 1}'))
    reported: list[CallResult] = []

    async def scenario() -> None:
        first_result = asyncio.Event()

        def report(result: CallResult) -> None:
            reported.append(result)
            first_result.set()

        async def ask(_plan: PlannedCall) -> Decision:
            return Decision("run")

        async def call_tool(tool: ToolInfo, arguments: Mapping[str, Any]) -> ToolOutcome:
            return await host.call(SPEC, tool.name, arguments)

        task = asyncio.ensure_future(run_round(plans, ask, call_tool, report))
        await first_result.wait()  # the quick call finishes while the slow one runs
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(scenario())
    assert [r.plan.function_name for r in reported] == ["add"]
    assert asyncio.run(host.call(SPEC, "echo", {"text": "ok"})).text == "ok"
