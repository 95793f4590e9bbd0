"""The tool host: MCP servers on an event loop of their own, in one background thread.

Why a thread of its own rather than the app's qasync loop (measured in
benchmarks/mcp_bridge.py): importing the SDK and validating its pydantic models cost
about a second of CPU on the first connection, which on the UI loop is a frozen window;
and the SDK's anyio task groups and subprocess handling are only known to work on a
plain asyncio loop. The bridge is one call: `asyncio.run_coroutine_threadsafe` on the
host loop, awaited from the caller's loop with `asyncio.wrap_future`. Cancelling the
caller's task cancels the call on the host loop, which cancels it on the server.

Servers start when first needed and stop in `shutdown()`, which the app calls when it
quits. A stdio server also ends by itself when the app dies, because its stdin closes.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from ..errors import ToolServerError
from ..settings.mcp_servers import McpServerSpec
from .catalog import ToolInfo
from .connection import ServerConnection
from .results import ToolOutcome

T = TypeVar("T")
SecretLookup = Callable[[McpServerSpec], Mapping[str, str]]

CONNECT_TIMEOUT = 30.0  # start, handshake and tool listing
CALL_TIMEOUT = 300.0  # one tool call; Stop cancels sooner
SHUTDOWN_TIMEOUT = 10.0


@dataclass(frozen=True)
class ServerStatus:
    """What the Settings page shows for one server."""

    connected: bool = False
    tool_count: int = 0
    last_error: str = ""
    tool_names: tuple[str, ...] = ()  # as last listed (for choosing what a profile offers)


def _no_secrets(_spec: McpServerSpec) -> Mapping[str, str]:
    return {}


class ToolHost:
    """Owns the MCP connections. Its methods are awaited from any event loop."""

    def __init__(
        self,
        *,
        secret_headers: SecretLookup = _no_secrets,
        connect_timeout: float = CONNECT_TIMEOUT,
        call_timeout: float = CALL_TIMEOUT,
    ) -> None:
        self._secret_headers = secret_headers
        self._connect_timeout = connect_timeout
        self._call_timeout = call_timeout
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._closed = False
        # Touched on the host loop only.
        self._connections: dict[McpServerSpec, ServerConnection] = {}
        self._opening: dict[McpServerSpec, asyncio.Future[ServerConnection]] = {}
        self._status: dict[str, ServerStatus] = {}

    # -- the caller's side --------------------------------------------------------------

    async def list_tools(self, spec: McpServerSpec) -> list[ToolInfo]:
        """The server's tools, starting it if it is not running."""
        return await self._run(self._tools_of(spec))

    async def call(
        self, spec: McpServerSpec, tool: str, arguments: Mapping[str, object]
    ) -> ToolOutcome:
        """Call one tool, starting its server if needed."""
        return await self._run(self._call(spec, tool, arguments))

    async def test(self, spec: McpServerSpec) -> list[ToolInfo]:
        """Start the server afresh, list its tools, and keep it for later calls."""
        return await self._run(self._restart(spec))

    async def stop_server(self, name: str) -> None:
        """Stop every connection of the server with this name (after its spec changed)."""
        await self._run(self._stop_named(name))

    def status(self, name: str) -> ServerStatus:
        with self._lock:
            return self._status.get(name, ServerStatus())

    def shutdown(self, timeout: float = SHUTDOWN_TIMEOUT) -> None:
        """Stop every server and the host thread. Safe to call more than once, from any
        thread except the host's own."""
        with self._lock:
            self._closed = True
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None  # a second call finds nothing left to stop
        if loop is None or thread is None:
            return
        future = asyncio.run_coroutine_threadsafe(self._close_all(), loop)
        try:
            future.result(timeout)
        except (concurrent.futures.TimeoutError, Exception):
            future.cancel()
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)

    # -- the bridge ---------------------------------------------------------------------

    async def _run(self, coro: Coroutine[Any, Any, T]) -> T:  # Any: any yield and send types
        try:
            loop = self._ensure_loop()
        except ToolServerError:
            coro.close()
            raise
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, loop))

    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._closed:
                raise ToolServerError("Tools are not available: the app is shutting down.")
            if self._loop is None:
                loop = asyncio.new_event_loop()
                started = threading.Event()
                thread = threading.Thread(
                    target=self._serve, args=(loop, started), name="desktopchat-tools", daemon=True
                )
                thread.start()
                started.wait()
                self._loop, self._thread = loop, thread
            return self._loop

    @staticmethod
    def _serve(loop: asyncio.AbstractEventLoop, started: threading.Event) -> None:
        asyncio.set_event_loop(loop)
        loop.call_soon(started.set)
        try:
            loop.run_forever()
        finally:
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    # -- the host loop's side ------------------------------------------------------------

    async def _connection(self, spec: McpServerSpec) -> ServerConnection:
        existing = self._connections.get(spec)
        if existing is not None and existing.alive:
            return existing
        pending = self._opening.get(spec)
        if pending is not None:  # two calls at once start the server once
            return await asyncio.shield(pending)
        opening: asyncio.Future[ServerConnection] = asyncio.get_running_loop().create_future()
        self._opening[spec] = opening
        connection = ServerConnection(
            spec,
            secret_headers=self._secret_headers(spec),
            connect_timeout=self._connect_timeout,
            call_timeout=self._call_timeout,
        )
        try:
            tools = await connection.open()
        except BaseException as exc:
            self._set_status(spec.name, ServerStatus(last_error=str(exc)))
            opening.set_exception(exc if isinstance(exc, Exception) else ToolServerError("stopped"))
            opening.exception()  # retrieved: a lone caller re-raises it below
            raise
        finally:
            del self._opening[spec]
        self._connections[spec] = connection
        self._set_status(spec.name, ServerStatus(
            connected=True, tool_count=len(tools), tool_names=tuple(t.name for t in tools)))
        opening.set_result(connection)
        return connection

    async def _tools_of(self, spec: McpServerSpec) -> list[ToolInfo]:
        return (await self._connection(spec)).tools

    async def _call(
        self, spec: McpServerSpec, tool: str, arguments: Mapping[str, object]
    ) -> ToolOutcome:
        connection = await self._connection(spec)
        try:
            return await connection.call(tool, arguments)
        except ToolServerError as exc:
            alive = connection.alive
            tool_count = len(connection.tools) if alive else 0
            self._set_status(spec.name, ServerStatus(alive, tool_count, exc.message))
            raise

    async def _restart(self, spec: McpServerSpec) -> list[ToolInfo]:
        await self._stop_named(spec.name)
        return await self._tools_of(spec)

    async def _stop_named(self, name: str) -> None:
        doomed = [spec for spec in self._connections if spec.name == name]
        for spec in doomed:
            await self._connections.pop(spec).close()
        self._set_status(name, ServerStatus())

    async def _close_all(self) -> None:
        connections = list(self._connections.values())
        self._connections.clear()
        await asyncio.gather(*(c.close() for c in connections), return_exceptions=True)

    def _set_status(self, name: str, status: ServerStatus) -> None:
        with self._lock:
            self._status[name] = status
