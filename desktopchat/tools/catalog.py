"""The tools on offer: what each MCP server lists, and how it goes out as an OpenAI function.

OpenAI function names must match ``^[a-zA-Z0-9_-]{1,64}$`` and be unique in one request,
while MCP tool names are free text and two servers may both have ``search``. The catalog
gives each tool a function name (its own name when that is valid and unique, otherwise
``server_tool`` cleaned up and shortened) and maps a call back to its server.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

_FUNCTION_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_NOT_ALLOWED = re.compile(r"[^A-Za-z0-9_-]+")
DESCRIPTION_MAX = 1024
SCHEMA_MAX_CHARS = 16_000
_EMPTY_SCHEMA: Mapping[str, object] = {"type": "object", "properties": {}}


@dataclass(frozen=True)
class ToolInfo:
    """One tool as its server lists it."""

    server: str
    name: str
    description: str = ""
    input_schema: Mapping[str, object] = field(default_factory=lambda: dict(_EMPTY_SCHEMA))


@dataclass(frozen=True)
class OfferedTool:
    """A tool under the function name it is offered as."""

    function_name: str
    tool: ToolInfo

    def as_openai(self) -> dict[str, object]:
        """The `tools` entry of a chat request."""
        return {
            "type": "function",
            "function": {
                "name": self.function_name,
                "description": self.tool.description[:DESCRIPTION_MAX],
                "parameters": _bounded_schema(self.tool.input_schema),
            },
        }


class ToolCatalog:
    """The tools offered in one request, and the way back from a function name to a tool."""

    def __init__(self, tools: Iterable[ToolInfo]) -> None:
        self._by_function: dict[str, OfferedTool] = {}
        for tool in tools:
            name = self._function_name_for(tool)
            self._by_function[name] = OfferedTool(name, tool)

    def __len__(self) -> int:
        return len(self._by_function)

    def offered(self) -> list[OfferedTool]:
        return list(self._by_function.values())

    def as_openai(self) -> list[dict[str, object]]:
        return [offered.as_openai() for offered in self._by_function.values()]

    def find(self, function_name: str) -> ToolInfo | None:
        offered = self._by_function.get(function_name)
        return offered.tool if offered else None

    def _function_name_for(self, tool: ToolInfo) -> str:
        if _FUNCTION_NAME.match(tool.name) and tool.name not in self._by_function:
            return tool.name
        base = _NOT_ALLOWED.sub("_", f"{tool.server}_{tool.name}").strip("_") or "tool"
        candidate = base[:64]
        if candidate not in self._by_function:
            return candidate
        digest = hashlib.sha256(f"{tool.server}\0{tool.name}".encode()).hexdigest()[:8]
        return f"{base[:55]}_{digest}"


def _bounded_schema(schema: Mapping[str, object]) -> Mapping[str, object]:
    """The tool's JSON schema, or an empty object schema when it is unusable or huge."""
    try:
        text = json.dumps(schema)
    except (TypeError, ValueError):
        return dict(_EMPTY_SCHEMA)
    if len(text) > SCHEMA_MAX_CHARS or schema.get("type") != "object":
        return dict(_EMPTY_SCHEMA)
    return schema
