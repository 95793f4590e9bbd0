"""Tools on the command line: the same MCP servers and choices as the window (tools.json),
asked about on the terminal before each call, or all approved with `--yes`.

The question goes to the controlling terminal (/dev/tty), not stdin, which may hold the
piped message. With no terminal to ask on and no `--yes`, a call is denied and the model
is told so: nothing runs without approval. A tool defined only in the profile's JSON has
no server; on the terminal the user types its result.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, TextIO

from desktopchat.errors import ToolError

if TYPE_CHECKING:
    from pathlib import Path

    from desktopchat.secrets import SecretStore
    from desktopchat.settings import Profile
    from desktopchat.settings.mcp_servers import McpServerSpec
    from desktopchat.settings.tool_settings import ToolSettings
    from desktopchat.storage.models import Message
    from desktopchat.storage.store import HistoryStore
    from desktopchat.tools import ToolCatalog, ToolHost, ToolInfo, ToolOutcome
    from desktopchat.tools.calls import PlannedCall
    from desktopchat.tools.round import CallResult, Decision

    from .terminal import Terminal

TTY = "/dev/tty"
ARGUMENTS_SHOWN = 2000


def _open_tty() -> TextIO:
    return open(TTY, "r+", encoding="utf-8")


class CliTools:
    """The tools one command offers, and the calls its replies make."""

    def __init__(self, settings: ToolSettings, host: ToolHost, terminal: Terminal, *,
                 approve_all: bool, open_tty: Callable[[], TextIO] = _open_tty) -> None:
        self.settings = settings
        self.host = host
        self._terminal = terminal
        self._approve_all = approve_all
        self._open_tty = open_tty
        self.catalog: ToolCatalog | None = None
        self.steps = 0

    async def offered(self, profile: Profile) -> list[dict[str, object]]:
        """The MCP tools the profile offers, as OpenAI functions (servers started here)."""
        from desktopchat.tools import ToolCatalog

        tools: list[ToolInfo] = []
        if profile.preset_info.accepts_tools:
            for spec in self.settings.offered_servers(profile.name):
                try:
                    listed = await self.host.list_tools(spec)
                except ToolError as exc:
                    self._terminal.note(f"desktopchat: note: {exc.message}")
                    continue
                tools += [t for t in listed
                          if self.settings.offers_tool(profile.name, spec.name, t.name)]
        self.catalog = ToolCatalog(tools)
        return self.catalog.as_openai()

    @staticmethod
    def wants_round(message: Message) -> bool:
        return (message.role == "assistant" and bool(message.tool_calls)
                and message.state == "complete")

    async def run_round(self, store: HistoryStore, message: Message,
                        profile_tools: list[str]) -> tuple[int, str | None]:
        """Run the calls of `message`, each result stored below it as it comes. Returns the
        id of the last stored row and why the loop must stop (None: go on)."""
        from desktopchat.tools import ToolCatalog
        from desktopchat.tools.calls import plan_calls, requested_calls
        from desktopchat.tools.round import run_round

        plans = plan_calls(requested_calls(message.tool_calls), self.catalog or ToolCatalog([]),
                           profile_tools=profile_tools,
                           is_always_allowed=self.settings.is_always_allowed)
        last_id = message.id
        failures: list[str] = []
        import asyncio  # only with tools: a plain `ask` never imports it

        question_lock = asyncio.Lock()  # one question on the terminal at a time

        async def ask(plan: PlannedCall) -> Decision:
            async with question_lock:
                return await asyncio.to_thread(self._ask_on_terminal, plan)

        def report(result: CallResult) -> None:
            nonlocal last_id
            row = store.add_tool_result(
                message.conversation_id, last_id, call_id=result.plan.call_id,
                name=result.plan.function_name, content=result.outcome.for_model(),
                details=result.details())
            last_id = row.id
            self._terminal.note(f"desktopchat: tool {result.plan.function_name}: "
                                f"{_summary(result.outcome)}")
            if result.failure:
                failures.append(result.failure)

        await run_round(plans, ask, self._call, report)
        return last_id, (failures[0] if failures else None)

    async def _call(self, tool: ToolInfo, arguments: Mapping[str, object]) -> ToolOutcome:
        spec = self.settings.server(tool.server)
        if spec is None:
            raise ToolError(f"The MCP server {tool.server!r} is not configured.")
        return await self.host.call(spec, tool.name, arguments)

    def _ask_on_terminal(self, plan: PlannedCall) -> Decision:
        from desktopchat.tools.round import Decision

        if self._approve_all and not plan.by_hand:
            return Decision("run")
        try:
            tty = self._open_tty()
        except OSError:
            self._terminal.note(f"desktopchat: note: no terminal to ask on, so the tool "
                                f"{plan.function_name!r} was denied (use --yes to allow tools)")
            return Decision("deny")
        with tty:
            where = f" ({plan.tool.server})" if plan.tool else ""
            arguments = json.dumps(plan.arguments, ensure_ascii=False)[:ARGUMENTS_SHOWN]
            if plan.by_hand:
                tty.write(f"The model calls {plan.function_name}{where} with {arguments}.\n"
                          "Type its result (an empty line denies): ")
                tty.flush()
                typed = tty.readline().strip()
                return Decision("answer", typed) if typed else Decision("deny")
            tty.write(f"Run {plan.function_name}{where} with {arguments}? [y]es / [N]o: ")
            tty.flush()
            answer = tty.readline().strip().lower()
        return Decision("run") if answer in ("y", "yes") else Decision("deny")


def _summary(outcome: ToolOutcome) -> str:
    text = " ".join(outcome.for_model().split())
    return text if len(text) <= 120 else text[:117] + "..."


def cli_tools(tools_file: Path, secrets: Callable[[], SecretStore], terminal: Terminal, *,
              approve_all: bool) -> CliTools | None:
    """The command's tools from tools.json, or None when no server is enabled (then
    nothing of the MCP SDK is even imported)."""
    if not tools_file.exists():
        return None  # no tools.json: no servers (and nothing of the tool settings imported)
    from desktopchat.settings.tool_settings import ToolSettingsStore

    loaded = ToolSettingsStore(tools_file).load()
    if loaded.problem:
        terminal.note(f"desktopchat: note: {loaded.problem}")
    if not any(spec.enabled for spec in loaded.settings.servers):
        return None
    from desktopchat.tools import ToolHost

    def secret_headers(spec: McpServerSpec) -> dict[str, str]:
        values = {h: secrets().get_mcp_header(spec.name, h) for h in spec.secret_headers}
        return {h: v for h, v in values.items() if v}

    host = ToolHost(secret_headers=secret_headers)
    return CliTools(loaded.settings, host, terminal, approve_all=approve_all)
