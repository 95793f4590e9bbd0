"""Tools: MCP servers, what they offer, and calling them. No Qt.

What a server is (McpServerSpec) is configuration, in settings/mcp_servers.py.

    catalog.py     ToolInfo, and ToolCatalog: tools as OpenAI functions and back
    results.py     ToolOutcome: a call's text and images, capped and safe to show
    connection.py  ServerConnection: one live server on the host loop (SDK imported lazily)
    host.py        ToolHost: the connections on a loop thread of their own, and the bridge
"""

from .catalog import OfferedTool, ToolCatalog, ToolInfo
from .host import ServerStatus, ToolHost
from .results import ToolImage, ToolOutcome, refusal

__all__ = [
    "OfferedTool",
    "ServerStatus",
    "ToolCatalog",
    "ToolHost",
    "ToolImage",
    "ToolInfo",
    "ToolOutcome",
    "refusal",
]
