"""Planning the model's tool calls: which may run, which ask, which cannot run at all."""

from __future__ import annotations

from desktopchat.tools import ToolCatalog, ToolInfo
from desktopchat.tools.calls import plan_calls, requested_calls

CATALOG = ToolCatalog([ToolInfo("math", "add"), ToolInfo("math", "echo")])


def test_calls_are_planned_by_tool_with_always_allow_and_hand_answered_profile_tools() -> None:
    requested = requested_calls([
        {"id": "c1", "type": "function", "function": {"name": "add", "arguments": '{"a": 1}'}},
        {"id": "c2", "type": "function", "function": {"name": "echo", "arguments": ""}},
        {"id": "c3", "type": "function", "function": {"name": "get_weather",
                                                       "arguments": '{"city": "Oslo"}'}},
    ])
    add, echo, weather = plan_calls(
        requested, CATALOG, profile_tools=["get_weather"],
        is_always_allowed=lambda server, tool: (server, tool) == ("math", "echo"),
    )
    assert add.tool == ToolInfo("math", "add") and add.arguments == {"a": 1}
    assert add.runnable and not add.always_allowed and not add.by_hand
    assert echo.always_allowed and echo.arguments == {}
    assert weather.by_hand and weather.tool is None and weather.runnable


def test_calls_that_cannot_run_say_why() -> None:
    plans = plan_calls(requested_calls([
        {"id": "a", "function": {"name": "rm_rf", "arguments": "{}"}},
        {"id": "b", "function": {"name": "add", "arguments": "{not json"}},
        {"id": "c", "function": {"name": "add", "arguments": "[1, 2]"}},
        {"id": "d", "function": {"name": "add", "arguments": "[" * 50_000}},
        {"function": {"name": "add", "arguments": "{}"}},
        "garbage",  # type: ignore[list-item]
    ]), CATALOG)
    assert [p.problem for p in plans] == [
        "The tool 'rm_rf' was not offered in this chat.",
        "The arguments are not valid JSON.",
        "The arguments are not a JSON object.",
        "The arguments are not valid JSON.",
        None,
    ]
    assert plans[-1].call_id == "call_4"
