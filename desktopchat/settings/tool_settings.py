"""Tool settings: the MCP servers, which tools each profile offers, what may run unasked.

Kept in their own file, `tools.json` beside settings.json, as Claude Desktop and Cursor
keep theirs: a bad tools file never costs the user their profiles, and the other way round.
Like settings.json it holds no secret: a server's secret header values live in the keyring.

Which tools a profile offers is a list of selectors, `"server"` (all its tools) or
`"server/tool"`; a profile with no entry offers every enabled server's tools.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import safe_json
from ..errors import ToolConfigError
from ..regular_files import read_regular
from .mcp_servers import McpServerSpec
from .store import MAX_SETTINGS_BYTES, atomic_write

log = logging.getLogger(__name__)

FILE_VERSION = 1
STEP_LIMIT_DEFAULT = 10
STEP_LIMIT_RANGE = (1, 50)
SERVERS_MAX = 64


@dataclass(frozen=True)
class ToolSettings:
    servers: tuple[McpServerSpec, ...] = ()
    # How many tool rounds one send may take before the loop stops and says so.
    step_limit: int = STEP_LIMIT_DEFAULT
    # (server, tool) pairs the user chose "Always allow" for; revocable in Settings.
    always_allowed: frozenset[tuple[str, str]] = frozenset()
    # profile name -> selectors ("server" or "server/tool"); no entry: all enabled servers.
    profile_offers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # conversation uid -> selectors: a chat's own choice, over its profile's.
    conversation_offers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def server(self, name: str) -> McpServerSpec | None:
        return next((s for s in self.servers if s.name == name), None)

    def _selectors(self, profile: str, conversation: str) -> tuple[str, ...] | None:
        if conversation and conversation in self.conversation_offers:
            return self.conversation_offers[conversation]
        return self.profile_offers.get(profile)

    def offered_servers(self, profile: str, conversation: str = "") -> list[McpServerSpec]:
        """The enabled servers that a chat (or else its profile) offers any tool of."""
        selectors = self._selectors(profile, conversation)
        enabled = [s for s in self.servers if s.enabled]
        if selectors is None:
            return enabled
        named = {sel.split("/", 1)[0] for sel in selectors}
        return [s for s in enabled if s.name in named]

    def offers_tool(self, profile: str, server: str, tool: str, conversation: str = "") -> bool:
        selectors = self._selectors(profile, conversation)
        if selectors is None:
            return any(s.name == server and s.enabled for s in self.servers)
        return server in selectors or f"{server}/{tool}" in selectors

    def with_conversation_offers(self, conversation: str,
                                 selectors: tuple[str, ...] | None) -> ToolSettings:
        """The chat's own choice set (None: back to its profile's)."""
        offers = {k: v for k, v in self.conversation_offers.items() if k != conversation}
        if selectors is not None:
            offers[conversation] = selectors
        return replace(self, conversation_offers=offers)

    def is_always_allowed(self, server: str, tool: str) -> bool:
        return (server, tool) in self.always_allowed

    def allow_always(self, server: str, tool: str) -> ToolSettings:
        return replace(self, always_allowed=self.always_allowed | {(server, tool)})

    def revoke(self, server: str, tool: str) -> ToolSettings:
        return replace(self, always_allowed=self.always_allowed - {(server, tool)})

    def with_server(self, spec: McpServerSpec) -> ToolSettings:
        """The settings with this server added, or replacing the one of the same name."""
        others = tuple(s for s in self.servers if s.name != spec.name)
        if len(others) >= SERVERS_MAX:
            raise ToolConfigError(f"At most {SERVERS_MAX} MCP servers can be configured.")
        return replace(self, servers=(*others, spec))

    def without_server(self, name: str) -> ToolSettings:
        return replace(
            self,
            servers=tuple(s for s in self.servers if s.name != name),
            always_allowed=frozenset(p for p in self.always_allowed if p[0] != name),
        )


def step_limit_problem(value: object) -> str | None:
    low, high = STEP_LIMIT_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return f"The tool step limit must be a whole number from {low} to {high}."
    return None


# -- JSON --------------------------------------------------------------------------------


def spec_to_json(spec: McpServerSpec) -> dict[str, object]:
    return {
        "name": spec.name,
        "transport": spec.transport,
        "command": spec.command,
        "args": list(spec.args),
        "env": dict(spec.env),
        "cwd": spec.cwd,
        "url": spec.url,
        "headers": dict(spec.headers),
        "secret_headers": list(spec.secret_headers),
        "enabled": spec.enabled,
    }


def spec_from_json(raw: object) -> McpServerSpec:
    """One stored server; ToolConfigError naming what is wrong."""
    if not isinstance(raw, dict):
        raise ToolConfigError("A stored MCP server is not an object.")

    def text(key: str) -> str:
        value = raw.get(key, "")
        if not isinstance(value, str):
            raise ToolConfigError(f"A stored MCP server's {key!r} is not text.")
        return value

    def texts(key: str) -> tuple[str, ...]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ToolConfigError(f"A stored MCP server's {key!r} is not a list of text.")
        return tuple(value)

    def pairs(key: str) -> tuple[tuple[str, str], ...]:
        value = raw.get(key, {})
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise ToolConfigError(f"A stored MCP server's {key!r} does not map names to text.")
        return tuple((str(k), v) for k, v in value.items())

    transport = text("transport") or "stdio"
    if transport not in ("stdio", "http"):
        raise ToolConfigError(f"A stored MCP server has an unknown transport {transport[:20]!r}.")
    return McpServerSpec(
        name=text("name"),
        transport="http" if transport == "http" else "stdio",
        command=text("command"),
        args=texts("args"),
        env=pairs("env"),
        cwd=text("cwd"),
        url=text("url"),
        headers=pairs("headers"),
        secret_headers=texts("secret_headers"),
        enabled=raw.get("enabled", True) is not False,
    )


def tool_settings_to_json(settings: ToolSettings) -> dict[str, object]:
    return {
        "version": FILE_VERSION,
        "step_limit": settings.step_limit,
        "servers": [spec_to_json(s) for s in settings.servers],
        "always_allowed": sorted([list(pair) for pair in settings.always_allowed]),
        "profiles": {name: list(sel) for name, sel in settings.profile_offers.items()},
        "conversations": {uid: list(sel) for uid, sel in settings.conversation_offers.items()},
    }


def tool_settings_from_json(raw: object) -> tuple[ToolSettings, list[str]]:
    """Settings from parsed JSON, and one sentence per part that was dropped."""
    if not isinstance(raw, dict):
        raise ToolConfigError("it does not hold an object")
    problems: list[str] = []
    servers: list[McpServerSpec] = []
    stored = raw.get("servers", [])
    for entry in stored[:SERVERS_MAX] if isinstance(stored, list) else []:
        try:
            spec = spec_from_json(entry)
        except ToolConfigError as exc:
            problems.append(exc.message)
            continue
        if any(s.name == spec.name for s in servers):
            problems.append(f"A second MCP server named {spec.name!r} was dropped.")
            continue
        servers.append(spec)
    step_limit = raw.get("step_limit", STEP_LIMIT_DEFAULT)
    if step_limit_problem(step_limit):
        problems.append(f"{step_limit_problem(step_limit)} It was set to {STEP_LIMIT_DEFAULT}.")
        step_limit = STEP_LIMIT_DEFAULT
    allowed = raw.get("always_allowed", [])
    pairs = frozenset(
        (p[0], p[1]) for p in (allowed if isinstance(allowed, list) else [])
        if isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p)
    )
    return ToolSettings(tuple(servers), int(step_limit), pairs, _selector_map(raw, "profiles"),
                        _selector_map(raw, "conversations")), problems


def _selector_map(raw: dict[str, object], key: str) -> dict[str, tuple[str, ...]]:
    stored = raw.get(key, {})
    return {
        str(name): tuple(sel)
        for name, sel in (stored if isinstance(stored, dict) else {}).items()
        if isinstance(sel, list) and all(isinstance(x, str) for x in sel)
    }


@dataclass(frozen=True)
class ToolSettingsLoad:
    settings: ToolSettings
    problem: str | None = None  # a sentence for the user when something was dropped


class ToolSettingsStore:
    """tools.json: load never raises; a bad file is copied aside and explained."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def load(self) -> ToolSettingsLoad:
        try:
            data = read_regular(self.path, MAX_SETTINGS_BYTES)
        except FileNotFoundError:
            return ToolSettingsLoad(ToolSettings())
        except OSError as exc:
            return ToolSettingsLoad(ToolSettings(), f"The tools file {self.path} could not be "
                                    f"read ({exc.strerror or exc}); no MCP servers are loaded.")
        try:
            settings, problems = tool_settings_from_json(safe_json.loads(data))
        except (safe_json.UnsafeJSONError, ToolConfigError) as exc:
            where = self._backup(data)
            return ToolSettingsLoad(ToolSettings(), f"The tools file {self.path} {exc}; {where}, "
                                    "and no MCP servers are loaded.")
        if problems:
            where = self._backup(data)
            return ToolSettingsLoad(settings, " ".join(problems) + f" ({where}.)")
        return ToolSettingsLoad(settings)

    def save(self, settings: ToolSettings) -> None:
        text = json.dumps(tool_settings_to_json(settings), indent=2, ensure_ascii=False)
        atomic_write(self.path, text.encode("utf-8"))

    def _backup(self, data: bytes) -> str:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        candidate = self.path.with_name(f"{self.path.name}.bad-{stamp}")
        try:
            atomic_write(candidate, data)
        except OSError as exc:
            log.warning("could not back up %s: %s", self.path, exc)
            return "a backup copy could not be written"
        return f"the file was copied to {candidate}"
