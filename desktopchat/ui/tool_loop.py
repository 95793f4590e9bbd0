"""The tool loop in the window: tools offered, calls approved and run, results stored,
the next reply asked for, up to the step limit (DESIGN.md §2, step 5).

Owned by the ChatController. The MCP servers run on the ToolHost's own thread; this class
only orders things on the UI loop: it asks through the approval panel the window hands
in, stores each result the moment it exists (a tool row in the tree, under the reply that
asked), and then has the controller stream the next reply below the last result. A server
that hangs or dies stops the loop with a message; Stop cancels the round; nothing stored
is ever lost.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING

from desktopchat.errors import StorageError, ToolError
from desktopchat.storage.models import MessageState
from desktopchat.tools import ToolCatalog, ToolHost, ToolInfo, ToolOutcome
from desktopchat.tools.calls import (
    PlannedCall,
    plan_calls,
    profile_tool_names,
    requested_calls,
)
from desktopchat.tools.round import CallResult, Decision, run_round
from desktopchat.ui.error_text import shown_error
from desktopchat.ui.i18n import translate

if TYPE_CHECKING:
    from desktopchat.settings import Profile
    from desktopchat.settings.tool_settings import ToolSettings, ToolSettingsStore
    from desktopchat.storage.models import Message
    from desktopchat.storage.store import HistoryStore
    from desktopchat.ui.chat_events import ChatEvents

log = logging.getLogger(__name__)

Ask = Callable[[PlannedCall], Awaitable[Decision]]
STOPPED_TEXT = "The user stopped this tool call before it finished."


@dataclasses.dataclass
class ToolSetup:
    """What the composition root hands the controller for tools."""

    host: ToolHost
    store: ToolSettingsStore
    settings: ToolSettings
    problem: str | None = None  # what was wrong with tools.json, said once at start-up


class ToolLoop:
    def __init__(
        self,
        store: HistoryStore,
        host: ToolHost,
        settings: Callable[[], ToolSettings],
        save_settings: Callable[[ToolSettings], None],
        events: ChatEvents,
        report: Callable[[str], None],
    ) -> None:
        self._store = store
        self._host = host
        self._settings = settings
        self._save_settings = save_settings
        self._events = events
        self._report = report
        self._ask: Ask | None = None
        self._on_round_end: Callable[[], None] = lambda: None
        self._catalogs: dict[int, ToolCatalog] = {}  # conversation -> tools last offered
        self._steps: dict[int, int] = {}  # conversation -> rounds since the user spoke
        self.rounds: dict[int, asyncio.Task[None]] = {}

    def set_approval(self, ask: Ask, on_round_end: Callable[[], None]) -> None:
        """The window's approval panel: how to ask, and what to clear when a round ends."""
        self._ask, self._on_round_end = ask, on_round_end

    def user_spoke(self, conversation_id: int) -> None:
        self._steps.pop(conversation_id, None)

    def is_running(self, conversation_id: int) -> bool:
        return conversation_id in self.rounds

    # -- offering -------------------------------------------------------------------------

    async def offered(self, conversation_id: int, profile: Profile) -> list[dict[str, object]]:
        """The MCP tools this profile offers, as OpenAI functions (starting servers as
        needed). A server that cannot start is reported and left out of this request."""
        settings = self._settings()
        if not profile.preset_info.accepts_tools:
            return []
        chat = self.conversation_key(conversation_id)
        tools: list[ToolInfo] = []
        for spec in settings.offered_servers(profile.name, chat):
            try:
                listed = await self._host.list_tools(spec)
            except ToolError as exc:
                self._report(shown_error(exc))
                continue
            tools += [t for t in listed
                      if settings.offers_tool(profile.name, spec.name, t.name, chat)]
        catalog = ToolCatalog(tools)
        self._catalogs[conversation_id] = catalog
        return catalog.as_openai()

    def conversation_key(self, conversation_id: int) -> str:
        """How tools.json names a chat's own choice: its stable uid ("" when unknown)."""
        try:
            return self._store.get_conversation(conversation_id).uid
        except StorageError:
            return ""

    # -- the loop -------------------------------------------------------------------------

    def wants_round(self, message: Message) -> bool:
        return (message.role == "assistant" and bool(message.tool_calls)
                and message.state == MessageState.COMPLETE)

    def start_round(self, message: Message, profile: Profile,
                    next_reply: Callable[[int, int], bool]) -> bool:
        """Run the calls of `message`; then `next_reply(conversation_id, parent_id)`."""
        conversation_id = message.conversation_id
        limit = self._settings().step_limit
        step = self._steps.get(conversation_id, 0) + 1
        if step > limit:
            self._report(translate("ToolLoop", "Stopped after {limit} tool steps (the limit is in "
                                   "Settings → Tools). Send a message to go on.")
                         .format(limit=limit))
            return False
        self._steps[conversation_id] = step
        plans = plan_calls(
            requested_calls(message.tool_calls),
            self._catalogs.get(conversation_id, ToolCatalog([])),
            profile_tools=profile_tool_names(profile.tools),
            is_always_allowed=self._settings().is_always_allowed,
        )
        task = asyncio.ensure_future(self._round(message, plans, next_reply))
        self.rounds[conversation_id] = task
        self._events.streaming_changed.emit(conversation_id, True)
        return True

    def cancel(self, conversation_id: int) -> asyncio.Task[None] | None:
        task = self.rounds.get(conversation_id)
        if task is not None:
            task.cancel()
        return task

    async def _round(self, message: Message, plans: list[PlannedCall],
                     next_reply: Callable[[int, int], bool]) -> None:
        conversation_id = message.conversation_id
        last_id = message.id
        answered: set[str] = set()

        def store(result: CallResult, state: str = MessageState.COMPLETE) -> None:
            nonlocal last_id
            try:
                row = self._store.add_tool_result(
                    conversation_id, last_id, call_id=result.plan.call_id,
                    name=result.plan.function_name, content=result.outcome.for_model(),
                    state=state, details=result.details())
            except StorageError as exc:
                self._report(shown_error(exc))
                return
            last_id = row.id
            answered.add(result.plan.call_id)
            self._events.message_added.emit(conversation_id, row)

        failures: list[str] = []

        def reported(result: CallResult) -> None:
            store(result)
            if result.failure:
                failures.append(result.failure)

        try:
            await run_round(plans, self._asked, self._call, reported)
        except asyncio.CancelledError:
            for plan in plans:
                if plan.call_id not in answered:
                    stopped = CallResult(plan, ToolOutcome(STOPPED_TEXT, is_error=True), "stopped")
                    store(stopped, MessageState.STOPPED)
            raise
        finally:
            self.rounds.pop(conversation_id, None)
            self._on_round_end()
            self._events.streaming_changed.emit(conversation_id, False)
            self._events.conversation_changed.emit(conversation_id)
        if failures:
            self._report(translate("ToolLoop", "{problem} The tool loop stopped; send a message "
                                   "to go on.").format(problem=failures[0]))
            return
        next_reply(conversation_id, last_id)

    async def _asked(self, plan: PlannedCall) -> Decision:
        if self._ask is None:  # no window to ask in: nothing runs unapproved
            return Decision("deny")
        decision = await self._ask(plan)
        if decision.kind == "always" and plan.tool is not None:
            settings = self._settings().allow_always(plan.tool.server, plan.tool.name)
            self._save_settings(settings)
        return decision

    async def _call(self, tool: ToolInfo, arguments: Mapping[str, object]) -> ToolOutcome:
        spec = self._settings().server(tool.server)
        if spec is None:
            raise ToolError(f"The MCP server {tool.server!r} is no longer configured.")
        return await self._host.call(spec, tool.name, arguments)
