"""The tool host against a real MCP server process (tests/support/mcp_server.py)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktopchat.errors import ToolServerError
from desktopchat.settings.mcp_servers import McpServerSpec
from desktopchat.tools import ToolHost
from desktopchat.tools.results import TEXT_MAX_CHARS
from tests.support.tool_servers import (
    REPO,
    alive,
    process_gone,
    read_pid,
    stdio_spec,
    wait_until,
)

TOOL_NAMES = ["add", "echo", "slow", "fail", "image", "crash", "big"]


@pytest.fixture
def host() -> Iterator[ToolHost]:
    tool_host = ToolHost(connect_timeout=30.0, call_timeout=30.0)
    yield tool_host
    tool_host.shutdown()


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def test_lists_and_calls_tools_and_runs_parallel_calls_together(host: ToolHost) -> None:
    spec = stdio_spec()

    async def scenario():  # type: ignore[no-untyped-def]
        tools = await host.list_tools(spec)
        together = await asyncio.gather(
            host.call(spec, "add", {"a": 2, "b": 40}),
            host.call(spec, "echo", {"text": "héllo 世界"}),
            host.call(spec, "image", {}),
        )
        return tools, together

    tools, (added, echoed, image) = run(scenario())
    assert [t.name for t in tools] == TOOL_NAMES
    assert all(t.server == "testtools" for t in tools)
    assert tools[0].input_schema["required"] == ["a", "b"]
    assert added.text == "42" and not added.is_error
    assert echoed.text == "héllo 世界"
    assert image.images[0].mime_type == "image/png"
    assert image.images[0].data.startswith(b"\x89PNG")
    status = host.status("testtools")
    assert status.connected and status.tool_count == len(TOOL_NAMES) and not status.last_error


def test_a_failing_tool_is_an_error_result_and_the_server_keeps_running(host: ToolHost) -> None:
    spec = stdio_spec()
    failed = run(host.call(spec, "fail", {"reason": "disk on fire"}))
    assert failed.is_error and "disk on fire" in failed.text
    assert failed.for_model().startswith("Error: ")
    assert run(host.call(spec, "echo", {"text": "still here"})).text == "still here"


def test_a_long_result_is_capped_with_a_note(host: ToolHost) -> None:
    outcome = run(host.call(stdio_spec(), "big", {"size": TEXT_MAX_CHARS * 2}))
    assert len(outcome.text) == TEXT_MAX_CHARS
    assert any("result cut" in note for note in outcome.notes)


def test_cancelling_a_call_cancels_it_on_the_server(host: ToolHost, tmp_path: Path) -> None:
    marker = tmp_path / "slow-marker"
    spec = stdio_spec("slowtools", DESKTOPCHAT_TEST_SLOW_MARKER=str(marker))

    async def scenario() -> str:
        call = asyncio.ensure_future(host.call(spec, "slow", {"seconds": 120}))
        while not marker.exists() or marker.read_text(encoding="utf-8") != "started":
            await asyncio.sleep(0.02)
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        return (await host.call(spec, "echo", {"text": "after stop"})).text

    assert run(scenario()) == "after stop"
    wait_until(lambda: marker.read_text(encoding="utf-8") == "cancelled", what="server's cancel")


def test_a_server_that_dies_mid_call_is_a_clear_error_and_restarts_next_time(
    host: ToolHost, tmp_path: Path
) -> None:
    pidfile = tmp_path / "pid"
    spec = stdio_spec("crashy", "--pidfile", str(pidfile))
    run(host.list_tools(spec))
    first_pid = read_pid(pidfile)
    with pytest.raises(ToolServerError, match="'crashy' stopped while running 'crash'"):
        run(host.call(spec, "crash", {}))
    status = host.status("crashy")
    assert not status.connected and "stopped while running" in status.last_error
    pidfile.unlink()
    assert run(host.call(spec, "echo", {"text": "back"})).text == "back"
    assert read_pid(pidfile) != first_pid


def test_a_server_that_never_answers_times_out_and_is_stopped(tmp_path: Path) -> None:
    pidfile = tmp_path / "pid"
    spec = stdio_spec("hangs", "--hang-on-start", "--pidfile", str(pidfile))
    host = ToolHost(connect_timeout=2.0)
    try:
        expected = r"'hangs' did not answer within 2 s; it was stopped"
        with pytest.raises(ToolServerError, match=expected):
            run(host.list_tools(spec))
        assert "did not answer" in host.status("hangs").last_error
        wait_until(lambda: process_gone(read_pid(pidfile)), what="the hung server to end")
    finally:
        host.shutdown()


@pytest.mark.expected_log(
    r"desktopchat\.tools\.connection: MCP server 'ghost' stopped: "
    r"the command was not found"
)
def test_a_missing_command_is_a_clear_error(host: ToolHost) -> None:
    spec = McpServerSpec(name="ghost", command="/nonexistent/mcp-server-binary")
    with pytest.raises(ToolServerError, match="'ghost' could not be started"):
        run(host.list_tools(spec))


def test_shutdown_leaves_no_server_process(tmp_path: Path) -> None:
    pidfile = tmp_path / "pid"
    host = ToolHost()
    run(host.list_tools(stdio_spec("one", "--pidfile", str(pidfile))))
    pid = read_pid(pidfile)
    assert alive(pid)
    host.shutdown()
    assert process_gone(pid)
    with pytest.raises(ToolServerError, match="shutting down"):
        run(host.list_tools(stdio_spec()))


def test_a_killed_app_leaves_no_server_process(tmp_path: Path) -> None:
    """SIGKILL gives the app no chance to clean up: the server must end by itself."""
    pidfile = tmp_path / "pid"
    program = textwrap.dedent(f"""
        import asyncio, sys
        from desktopchat.tools import ToolHost
        from tests.support.tool_servers import stdio_spec
        host = ToolHost()
        asyncio.run(host.list_tools(stdio_spec("orphan", "--pidfile", {str(pidfile)!r})))
        print("connected", flush=True)
        sys.stdin.read()
    """)
    app = subprocess.Popen(
        [sys.executable, "-c", program], cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)}, text=True,
    )
    try:
        assert app.stdout is not None and app.stdout.readline().strip() == "connected"
        server_pid = read_pid(pidfile)
        assert alive(server_pid)
        app.send_signal(signal.SIGKILL)
        app.wait(10)
        wait_until(lambda: process_gone(server_pid), what="the orphaned server to exit")
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(10)
        for pipe in (app.stdin, app.stdout):
            if pipe is not None:
                pipe.close()


def _free_port() -> int:
    # The HTTP server must bind the port itself, so it cannot stay reserved here.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def test_streamable_http_server(host: ToolHost) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.support.mcp_server", "--http", str(port)],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        wait_until(lambda: _accepts(port), what="the HTTP MCP server to listen")
        spec = McpServerSpec(name="web", transport="http", url=f"http://127.0.0.1:{port}/mcp",
                             headers=(("X-Team", "blue"),))
        assert run(host.call(spec, "add", {"a": 1, "b": 1})).text == "2"
        assert host.status("web").tool_count == len(TOOL_NAMES)
    finally:
        run(host.stop_server("web"))  # ends its session while the server still answers
        server.terminate()
        server.wait(10)
