"""One live MCP server, on the tool host's event loop.

The SDK is built on anyio, whose cancel scopes must be entered and left by the same task.
So each connection has one *owner* task that enters the SDK's `Client` context, lists the
tools, then waits until it is closed; calls are made from their own tasks and raced
against the owner's end, so a server that crashes or hangs fails the call with a clear
message instead of leaving it waiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from contextlib import AsyncExitStack
from typing import TYPE_CHECKING

from ..errors import ToolServerError
from ..redact import redact
from ..settings.mcp_servers import McpServerSpec
from .catalog import ToolInfo
from .results import ToolOutcome, outcome_from_content

if TYPE_CHECKING:  # the SDK is imported when a server is first needed (about a second)
    from mcp import Client

log = logging.getLogger(__name__)


class ServerConnection:
    """A connection to one server; lives on the tool host's loop only."""

    def __init__(
        self,
        spec: McpServerSpec,
        *,
        secret_headers: Mapping[str, str],
        connect_timeout: float,
        call_timeout: float,
    ) -> None:
        self.spec = spec
        self._secret_headers = dict(secret_headers)
        self._connect_timeout = connect_timeout
        self._call_timeout = call_timeout
        self._client: Client | None = None  # once connected
        self._tools: list[ToolInfo] = []
        self._closing = asyncio.Event()
        self._ended = asyncio.Event()
        self._end_reason: str | None = None
        self._owner: asyncio.Task[None] | None = None

    @property
    def alive(self) -> bool:
        return self._owner is not None and not self._ended.is_set()

    @property
    def tools(self) -> list[ToolInfo]:
        return list(self._tools)

    async def open(self) -> list[ToolInfo]:
        """Start the server (or connect to it) and list its tools."""
        ready: asyncio.Future[list[ToolInfo]] = asyncio.get_running_loop().create_future()
        self._owner = asyncio.create_task(self._own(ready), name=f"mcp:{self.spec.name}")
        try:
            return await asyncio.wait_for(asyncio.shield(ready), self._connect_timeout)
        except TimeoutError:
            await self.close()
            if ready.done() and not ready.cancelled():
                ready.exception()  # the owner failed it on its way out; nobody else awaits it
            raise ToolServerError(
                f"MCP server {self.spec.name!r} did not answer within "
                f"{self._connect_timeout:g} s; it was stopped."
            ) from None

    async def call(self, tool: str, arguments: Mapping[str, object]) -> ToolOutcome:
        """Call one tool. Cancelling the awaiting task cancels the call on the server."""
        client = self._client
        if client is None or not self.alive:
            raise ToolServerError(self._gone_message())
        request = asyncio.ensure_future(
            client.call_tool(tool, dict(arguments), read_timeout_seconds=self._call_timeout)
        )
        ended = asyncio.ensure_future(self._ended.wait())
        try:
            done, _ = await asyncio.wait(
                {request, ended}, timeout=self._call_timeout + 1.0,
                return_when=asyncio.FIRST_COMPLETED,
            )
        except asyncio.CancelledError:
            request.cancel()
            raise
        finally:
            ended.cancel()
        if request not in done:
            request.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await request
            if self._ended.is_set():
                raise ToolServerError(self._gone_message())
            raise ToolServerError(
                f"The tool {tool!r} on {self.spec.name!r} did not finish within "
                f"{self._call_timeout:g} s."
            )
        try:
            result = request.result()
        except Exception as exc:
            reason = _describe(exc, self._secrets())
            if _connection_lost(exc) or self._ended.is_set():
                # The server died or stopped answering: drop it, so the next call starts
                # a fresh one instead of failing on a dead pipe.
                self._end_reason = reason
                await self.close()
                raise ToolServerError(
                    f"MCP server {self.spec.name!r} stopped while running {tool!r} ({reason}). "
                    "It will be started again for the next call."
                ) from None
            raise ToolServerError(
                f"The tool {tool!r} on {self.spec.name!r} failed: {reason}"
            ) from None
        return outcome_from_content(result.content, is_error=bool(result.is_error))

    async def close(self) -> None:
        """Stop the server (the SDK closes its stdin, then terminates the process tree)."""
        self._closing.set()
        if self._owner is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(asyncio.shield(self._owner), 10.0)
            if not self._owner.done():
                self._owner.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await self._owner

    async def _own(self, ready: asyncio.Future[list[ToolInfo]]) -> None:
        try:
            async with AsyncExitStack() as stack:
                self._client = await stack.enter_async_context(await self._make_client(stack))
                listing = await self._client.list_tools()
                self._tools = [
                    ToolInfo(
                        server=self.spec.name,
                        name=str(tool.name),
                        description=str(tool.description or ""),
                        input_schema=dict(tool.input_schema or {}),
                    )
                    for tool in listing.tools
                ]
                if not ready.done():
                    ready.set_result(self.tools)
                await self._closing.wait()
        except BaseException as exc:  # the SDK raises exception groups from its task groups
            reason = _describe(exc, self._secrets())
            self._end_reason = reason
            if not ready.done():
                ready.set_exception(ToolServerError(
                    f"MCP server {self.spec.name!r} could not be started: {reason}"
                ))
            if isinstance(exc, asyncio.CancelledError):
                raise
            if not self._closing.is_set():
                log.warning("MCP server %r stopped: %s", self.spec.name, reason)
        finally:
            self._client = None
            self._ended.set()
            if not ready.done():
                ready.set_exception(ToolServerError(self._gone_message()))

    async def _make_client(self, stack: AsyncExitStack) -> Client:
        # The SDK costs about a second to import: only once a server is really needed,
        # and on the tool host's thread, never the UI's.
        from mcp import Client, StdioServerParameters

        spec = self.spec
        if spec.transport == "stdio":
            params = StdioServerParameters(
                command=spec.command,
                args=list(spec.args),
                env=dict(spec.env) or None,
                cwd=spec.cwd or None,
            )
            return Client(params, mode="legacy", cache=None)
        import httpx2
        from mcp.client.streamable_http import streamable_http_client

        headers = dict(spec.headers) | self._secret_headers
        http = await stack.enter_async_context(
            httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30.0, read=300.0))
        )
        return Client(streamable_http_client(spec.url, http_client=http), mode="legacy", cache=None)

    def _secrets(self) -> tuple[str, ...]:
        return tuple(self._secret_headers.values())

    def _gone_message(self) -> str:
        why = f": {self._end_reason}" if self._end_reason else ""
        return f"MCP server {self.spec.name!r} is not running{why}."


def _connection_lost(exc: BaseException) -> bool:
    """Whether a call failed because the server's end of the connection is gone."""
    from mcp import MCPError
    from mcp_types import CONNECTION_CLOSED

    return isinstance(exc, MCPError) and exc.code == CONNECTION_CLOSED


def _describe(exc: BaseException, secrets: tuple[str, ...] = ()) -> str:
    """A short readable reason, looking inside exception groups for the first real error."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    if isinstance(exc, asyncio.CancelledError):
        return "stopped"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, FileNotFoundError):
        text = f"the command was not found ({exc.filename or text})"
    return redact(text, *secrets)[:300]
