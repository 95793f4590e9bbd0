"""What the user configured about one MCP server: pure data, checked when it is made.

Two kinds of server: *stdio* (a command the app starts, talking JSON-RPC over its
stdin/stdout) and *http* (a Streamable HTTP endpoint). Headers that hold a secret are not
kept here: only their names, the values live in the keyring like API keys.

`parse_mcp_servers_json` reads the `mcpServers` block that Claude Desktop, Cursor and
others use, so a user can paste a configuration from any of them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from .. import safe_json
from ..errors import ToolConfigError

Transport = Literal["stdio", "http"]

NAME_MAX = 64
# Each part of a server's configuration is bounded: a pasted file can say anything.
VALUE_MAX = 4096
ITEMS_MAX = 64
PASTE_MAX = 1_000_000
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]*$")
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Header names whose values are credentials: kept in the keyring, never in settings.json.
SECRET_HEADER_HINTS = ("authorization", "api-key", "apikey", "token", "secret", "cookie")


@dataclass(frozen=True)
class McpServerSpec:
    """One configured MCP server. Frozen and hashable: a changed spec is a new connection."""

    name: str
    transport: Transport = "stdio"
    command: str = ""
    args: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    cwd: str = ""
    url: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    secret_headers: tuple[str, ...] = ()
    enabled: bool = True

    def __post_init__(self) -> None:
        problem = spec_problem(self)
        if problem:
            raise ToolConfigError(problem)

    def describe(self) -> str:
        """A one-line, plain-text summary for lists (never a secret header's value)."""
        if self.transport == "stdio":
            return " ".join([self.command, *self.args])[:200]
        return self.url


def spec_problem(spec: McpServerSpec) -> str | None:
    """The first thing wrong with a spec, as a sentence for the user; None when it is fine."""
    name = spec.name
    if not name or len(name) > NAME_MAX or not _NAME.match(name):
        return (
            f"MCP server name {name[:NAME_MAX]!r} is not usable: use 1 to {NAME_MAX} letters, "
            "digits, spaces, '.', '_' or '-', starting with a letter or digit."
        )
    if spec.transport == "stdio":
        if not spec.command.strip():
            return f"MCP server {name!r} needs a command to run."
        texts = [spec.command, spec.cwd, *spec.args, *(v for _, v in spec.env)]
        if any("\0" in t or len(t) > VALUE_MAX for t in texts):
            return (
                f"MCP server {name!r} has a command, argument or value that is too long "
                "or holds a NUL."
            )
        if len(spec.args) > ITEMS_MAX or len(spec.env) > ITEMS_MAX:
            return f"MCP server {name!r} has more than {ITEMS_MAX} arguments or variables."
        bad_env = [k for k, _ in spec.env if not _ENV_NAME.match(k)]
        if bad_env:
            return f"MCP server {name!r}: {bad_env[0][:40]!r} is not an environment variable name."
    elif spec.transport == "http":
        parts = urlsplit(spec.url)
        if parts.scheme not in ("http", "https") or not parts.hostname or len(spec.url) > VALUE_MAX:
            return f"MCP server {name!r} needs an http:// or https:// URL."
        if parts.username or parts.password:
            return f"MCP server {name!r}: put credentials in a header, not in the URL."
        names = [k for k, _ in spec.headers] + list(spec.secret_headers)
        if len(names) > ITEMS_MAX:
            return f"MCP server {name!r} has more than {ITEMS_MAX} headers."
        for key, value in spec.headers:
            if not _HEADER_NAME.match(key):
                return f"MCP server {name!r}: {key[:40]!r} is not a valid header name."
            if not _sendable_header_value(value):
                return (
                    f"MCP server {name!r}: the value of header {key!r} cannot be sent "
                    "(use visible ASCII)."
                )
        bad = [k for k in spec.secret_headers if not _HEADER_NAME.match(k)]
        if bad:
            return f"MCP server {name!r}: {bad[0][:40]!r} is not a valid header name."
    else:
        return f"MCP server {name!r} has an unknown transport {spec.transport!r}."
    return None


def _sendable_header_value(value: str) -> bool:
    return len(value) <= VALUE_MAX and all(" " <= c <= "~" or c == "\t" for c in value)


def is_secret_header(name: str) -> bool:
    lowered = name.lower()
    return any(hint in lowered for hint in SECRET_HEADER_HINTS)


@dataclass(frozen=True)
class ParsedServers:
    """What a pasted `mcpServers` block held: specs, the secret header values to store in the
    keyring (server name -> header -> value), and one line per entry that was skipped."""

    specs: tuple[McpServerSpec, ...]
    secrets: Mapping[str, Mapping[str, str]]
    skipped: tuple[str, ...]


def parse_mcp_servers_json(text: str) -> ParsedServers:
    """Read Claude Desktop / Cursor style JSON: `{"mcpServers": {name: {...}}}` (the outer
    object may be left out). Raises ToolConfigError when nothing usable is in it."""
    if len(text) > PASTE_MAX:
        raise ToolConfigError("That text is too long to be an MCP server configuration.")
    try:
        data = safe_json.loads(text)
    except safe_json.UnsafeJSONError as exc:
        raise ToolConfigError(f"That text {exc}.") from None
    if isinstance(data, dict) and isinstance(data.get("mcpServers"), dict):
        data = data["mcpServers"]
    if not isinstance(data, dict) or not data:
        raise ToolConfigError('Expected an object like {"mcpServers": {"name": {"command": ...}}}.')
    specs: list[McpServerSpec] = []
    secrets: dict[str, dict[str, str]] = {}
    skipped: list[str] = []
    for name, entry in list(data.items())[:ITEMS_MAX]:
        try:
            spec, secret_values = _spec_from_entry(str(name), entry)
        except ToolConfigError as exc:
            skipped.append(exc.message)
            continue
        specs.append(spec)
        if secret_values:
            secrets[spec.name] = secret_values
    if len(data) > ITEMS_MAX:
        skipped.append(f"Only the first {ITEMS_MAX} servers were read.")
    if not specs:
        raise ToolConfigError("No usable MCP server in that text. " + " ".join(skipped[:3]))
    return ParsedServers(tuple(specs), secrets, tuple(skipped))


def _spec_from_entry(name: str, entry: object) -> tuple[McpServerSpec, dict[str, str]]:
    if not isinstance(entry, dict):
        raise ToolConfigError(f"MCP server {name[:NAME_MAX]!r} is not an object; skipped.")
    enabled = not bool(entry.get("disabled", False))
    if "url" in entry or entry.get("type") in ("http", "streamable-http", "streamableHttp", "sse"):
        headers = _string_map(name, entry.get("headers", {}), "headers")
        plain = tuple((k, v) for k, v in headers.items() if not is_secret_header(k))
        secret = {k: v for k, v in headers.items() if is_secret_header(k)}
        spec = McpServerSpec(
            name=name,
            transport="http",
            url=_string(name, entry.get("url", ""), "url"),
            headers=plain,
            secret_headers=tuple(secret),
            enabled=enabled,
        )
        return spec, secret
    args = entry.get("args", [])
    if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
        raise ToolConfigError(f"MCP server {name[:NAME_MAX]!r}: 'args' must be a list of strings.")
    spec = McpServerSpec(
        name=name,
        transport="stdio",
        command=_string(name, entry.get("command", ""), "command"),
        args=tuple(args),
        env=tuple(_string_map(name, entry.get("env", {}), "env").items()),
        cwd=_string(name, entry.get("cwd", ""), "cwd"),
        enabled=enabled,
    )
    return spec, {}


def _string(name: str, value: object, what: str) -> str:
    if not isinstance(value, str):
        raise ToolConfigError(f"MCP server {name[:NAME_MAX]!r}: {what!r} must be a string.")
    return value


def _string_map(name: str, value: object, what: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ToolConfigError(
            f"MCP server {name[:NAME_MAX]!r}: {what!r} must map names to strings."
        )
    return dict(value)
