"""From what the model asked for to what may run: one plan per tool call.

A model's call can name a tool that was never offered, carry arguments that are not a
JSON object, or be fine. Each becomes a PlannedCall that says which tool it is (an MCP
tool, or a profile tool the user answers by hand), whether it may run without asking
("Always allow"), or why it cannot run at all; the last kind is answered to the model
with that reason, nothing runs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .catalog import ToolCatalog, ToolInfo

ARGUMENTS_MAX_CHARS = 200_000


@dataclass(frozen=True)
class RequestedCall:
    """One entry of an assistant message's `tool_calls`."""

    call_id: str
    function_name: str
    arguments_text: str


@dataclass(frozen=True)
class PlannedCall:
    call_id: str
    function_name: str
    arguments_text: str
    arguments: Mapping[str, object]
    tool: ToolInfo | None  # the MCP tool; None for a profile tool or one that cannot run
    by_hand: bool = False  # a profile tool: the user types the result
    always_allowed: bool = False
    problem: str | None = None  # why it cannot run; sent to the model as the result

    @property
    def runnable(self) -> bool:
        return self.problem is None


def plan_calls(
    requested: Iterable[RequestedCall],
    catalog: ToolCatalog,
    *,
    profile_tools: Iterable[str] = (),
    is_always_allowed: Callable[[str, str], bool] = lambda _server, _tool: False,
) -> list[PlannedCall]:
    by_hand = set(profile_tools)
    plans = []
    for call in requested:
        arguments, problem = _arguments(call.arguments_text)
        tool = catalog.find(call.function_name)
        manual = tool is None and call.function_name in by_hand
        if tool is None and not manual:
            problem = f"The tool {call.function_name[:80]!r} was not offered in this chat."
        plans.append(PlannedCall(
            call_id=call.call_id,
            function_name=call.function_name,
            arguments_text=call.arguments_text,
            arguments=arguments,
            tool=tool,
            by_hand=manual,
            always_allowed=bool(tool and is_always_allowed(tool.server, tool.name)),
            problem=problem,
        ))
    return plans


def profile_tool_names(tools: Iterable[Mapping[str, object]]) -> list[str]:
    """Names of the tools a profile's JSON defines (no server: the user answers them)."""
    names = []
    for tool in tools:
        function = tool.get("function") if isinstance(tool, Mapping) else None
        if isinstance(function, Mapping) and isinstance(function.get("name"), str):
            names.append(function["name"])
    return names


def requested_calls(tool_calls_json: Iterable[Mapping[str, object]]) -> list[RequestedCall]:
    """The calls of an assistant message in the OpenAI shape (as history stores them)."""
    calls = []
    for position, entry in enumerate(tool_calls_json):
        function = entry.get("function") if isinstance(entry, Mapping) else None
        if not isinstance(function, Mapping):
            continue
        call_id = str(entry.get("id") or f"call_{position}")
        calls.append(RequestedCall(
            call_id, str(function.get("name") or ""), str(function.get("arguments") or "")
        ))
    return calls


def _arguments(text: str) -> tuple[Mapping[str, object], str | None]:
    if not text.strip():
        return {}, None  # some models send "" for a call without arguments
    if len(text) > ARGUMENTS_MAX_CHARS:
        return {}, f"The arguments are longer than {ARGUMENTS_MAX_CHARS:,} characters."
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return {}, "The arguments are not valid JSON."
    if not isinstance(value, dict):
        return {}, "The arguments are not a JSON object."
    return value, None
