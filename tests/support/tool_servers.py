"""Helpers for tests that start the real MCP test server (tests/support/mcp_server.py)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from desktopchat.settings.mcp_servers import McpServerSpec

REPO = Path(__file__).resolve().parents[2]


def stdio_spec(name: str = "testtools", *extra_args: str, **env: str) -> McpServerSpec:
    """The test server as a stdio MCP server, run by this Python from the repository root."""
    return McpServerSpec(
        name=name,
        transport="stdio",
        command=sys.executable,
        args=("-m", "tests.support.mcp_server", *extra_args),
        env=tuple(env.items()),
        cwd=str(REPO),
    )


def process_gone(pid: int) -> bool:
    """True when no process has this pid any more (a zombie counts as gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except (FileNotFoundError, ProcessLookupError):
        return True
    return "\nState:\tZ" in status


def wait_until(
    condition: Callable[[], bool], timeout: float = 20.0, what: str = "condition"
) -> None:
    """Poll `condition` until it holds; fail after `timeout` seconds. For events in another
    process, which have no signal to wait on."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def read_pid(path: Path) -> int:
    wait_until(lambda: path.exists() and path.read_text(encoding="utf-8").strip() != "",
               what=f"the pid file {path}")
    return int(path.read_text(encoding="utf-8"))


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return not process_gone(pid)
