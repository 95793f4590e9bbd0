"""One round of tool calls: ask (unless always allowed), run, report each result.

The calls of one assistant message run together: each is decided and run on its own, so a
call the user approves first does not wait for the others. The front end (window or
terminal) supplies how to ask and how to call a tool; this module only orders the steps.
A call that cannot run is answered with its reason and never asks. Cancelling the round
(Stop) cancels the calls still running.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from ..errors import ToolError
from .calls import PlannedCall
from .catalog import ToolInfo
from .results import ToolOutcome, capped, refusal

DecisionKind = Literal["run", "always", "deny", "answer"]


@dataclass(frozen=True)
class Decision:
    kind: DecisionKind
    answer: str = ""  # what the user typed as the result of a hand-answered tool


@dataclass(frozen=True)
class CallResult:
    plan: PlannedCall
    outcome: ToolOutcome
    # How it came about: run, always (chosen now), auto (allowed before), deny, answer, invalid.
    decision: str
    # A server failure (it hung or crashed): the loop stops after this round.
    failure: str | None = None

    def details(self) -> dict[str, object]:
        """What a stored tool row records besides its text: the decision, the server,
        whether it failed, and the images (bounded by the results' caps)."""
        tool = self.plan.tool
        return {
            "decision": self.decision,
            "server": tool.server if tool else "",
            "is_error": self.outcome.is_error,
            "images": [
                {"mime_type": image.mime_type, "data": base64.b64encode(image.data).decode()}
                for image in self.outcome.images
            ],
        }


Ask = Callable[[PlannedCall], Awaitable[Decision]]
CallTool = Callable[[ToolInfo, Mapping[str, object]], Awaitable[ToolOutcome]]
Report = Callable[[CallResult], None]


async def run_round(
    plans: Sequence[PlannedCall], ask: Ask, call_tool: CallTool, report: Report
) -> list[CallResult]:
    """Every call decided and answered; `report` sees each result as soon as it exists."""

    async def one(plan: PlannedCall) -> CallResult:
        result = await _settle(plan, ask, call_tool)
        report(result)
        return result

    return list(await asyncio.gather(*(one(plan) for plan in plans)))


async def _settle(plan: PlannedCall, ask: Ask, call_tool: CallTool) -> CallResult:
    if plan.problem is not None:
        return CallResult(plan, ToolOutcome(plan.problem, is_error=True), "invalid")
    if plan.always_allowed:
        decision, how = Decision("run"), "auto"
    else:
        decision = await ask(plan)
        how = decision.kind
    if decision.kind == "deny":
        return CallResult(plan, refusal(plan.function_name), how)
    if decision.kind == "answer" or plan.tool is None:
        return CallResult(plan, capped(ToolOutcome(decision.answer)), "answer")
    try:
        outcome = await call_tool(plan.tool, plan.arguments)
    except ToolError as exc:
        return CallResult(plan, ToolOutcome(exc.message, is_error=True), how, failure=exc.message)
    return CallResult(plan, outcome, how)
