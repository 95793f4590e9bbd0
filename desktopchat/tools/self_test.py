"""`desktopchat --self-test --self-test-mcp COMMAND`: start a stdio MCP server, list its
tools, stop it (the packaged bundle's test that the MCP SDK and its imports made it in)."""

from __future__ import annotations

import asyncio


async def self_test_tools(command: str) -> int:
    """Start a stdio MCP server from `command`, print its tools, stop it (the bundle test)."""
    import shlex

    from desktopchat.errors import ToolError
    from desktopchat.settings.mcp_servers import McpServerSpec
    from desktopchat.tools import ToolHost

    program, *arguments = shlex.split(command)
    host = ToolHost()
    try:
        tools = await host.list_tools(
            McpServerSpec(name="self-test", command=program, args=tuple(arguments)))
    except ToolError as exc:
        print(f"error {exc.message}", flush=True)
        return 1
    finally:
        await asyncio.to_thread(host.shutdown)
    print("tools " + ",".join(tool.name for tool in tools), flush=True)
    return 0
