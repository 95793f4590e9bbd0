"""A real stdio (or Streamable HTTP) MCP server for the tool tests, written with the SDK.

Tools: add, echo, slow (waits until told, for Stop), fail (a tool error), image (a PNG),
crash (the process dies mid-call), big (a long text result). Run as
`python -m tests.support.mcp_server [--http PORT] [--hang-on-start] [--pidfile PATH]`.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import sys
import time
from pathlib import Path

from mcp.server.mcpserver import Image, MCPServer
from mcp.server.mcpserver.exceptions import ToolError

# A 1x1 red PNG: small, valid, and easy to recognise in a rendered result.
RED_PIXEL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)

server: MCPServer = MCPServer("desktopchat-test-tools")


@server.tool()
def add(a: float, b: float) -> str:
    """Add two numbers."""
    total = a + b
    return str(int(total)) if total == int(total) else str(total)


@server.tool()
def echo(text: str) -> str:
    """Return the text unchanged."""
    return text


@server.tool()
async def slow(seconds: float = 60.0) -> str:
    """Wait, then answer: a call that is still running when the user presses Stop."""
    marker = os.environ.get("DESKTOPCHAT_TEST_SLOW_MARKER")
    if marker:
        Path(marker).write_text("started", encoding="utf-8")
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError:
        if marker:
            Path(marker).write_text("cancelled", encoding="utf-8")
        raise
    return "slow done"


@server.tool()
def fail(reason: str = "it broke") -> str:
    """Always fails with the given reason."""
    raise ToolError(reason)


@server.tool()
def image() -> Image:
    """Return a small PNG image."""
    return Image(data=RED_PIXEL_PNG, format="png")


@server.tool()
def crash() -> str:
    """Kill this server process in the middle of the call."""
    os._exit(3)


@server.tool()
def big(size: int = 300_000) -> str:
    """A long text result, to test the cap on what is sent back to the model."""
    return "x" * size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--http", type=int, default=0, help="serve Streamable HTTP on this port")
    parser.add_argument("--hang-on-start", action="store_true", help="never answer initialize")
    parser.add_argument("--pidfile", default="", help="write this process's pid here")
    args = parser.parse_args()
    if args.pidfile:
        Path(args.pidfile).write_text(str(os.getpid()), encoding="utf-8")
    if args.hang_on_start:
        # Reads nothing and answers nothing, until its stdin closes (the client gave up).
        while sys.stdin.buffer.read(1):
            time.sleep(0)
        return
    if args.http:
        server.run("streamable-http", host="127.0.0.1", port=args.http)
    else:
        server.run("stdio")


if __name__ == "__main__":
    main()
