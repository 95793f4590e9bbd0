"""MCP server configuration: typed specs and pasted `mcpServers` JSON."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktopchat.errors import ToolConfigError
from desktopchat.settings.mcp_servers import McpServerSpec, parse_mcp_servers_json


def test_claude_desktop_block_gives_stdio_and_http_servers_with_secret_headers_split() -> None:
    text = json.dumps({"mcpServers": {
        "files": {"command": "npx", "args": ["-y", "server-files", "/tmp"], "env": {"DEBUG": "1"}},
        "remote": {"url": "https://mcp.example.com/mcp",
                   "headers": {"Authorization": "Bearer s3cret-token-value", "X-Team": "blue"}},
        "off": {"command": "srv", "disabled": True},
    }})
    parsed = parse_mcp_servers_json(text)
    files, remote, off = parsed.specs
    assert (files.transport, files.command, files.args, files.env) == (
        "stdio", "npx", ("-y", "server-files", "/tmp"), (("DEBUG", "1"),))
    assert remote.transport == "http" and remote.url == "https://mcp.example.com/mcp"
    assert remote.headers == (("X-Team", "blue"),)
    assert remote.secret_headers == ("Authorization",)
    assert parsed.secrets == {"remote": {"Authorization": "Bearer s3cret-token-value"}}
    assert "s3cret" not in repr(remote)
    assert off.enabled is False
    assert parsed.skipped == ()


def test_the_outer_object_may_be_left_out_and_bad_entries_are_named_and_skipped() -> None:
    parsed = parse_mcp_servers_json(json.dumps({
        "good": {"command": "srv"},
        "bad args": {"command": "srv", "args": "not a list"},
        "no command": {"args": []},
    }))
    assert [s.name for s in parsed.specs] == ["good"]
    assert any("'bad args'" in line and "args" in line for line in parsed.skipped)
    assert any("'no command'" in line and "command" in line for line in parsed.skipped)


@pytest.mark.parametrize("text", [
    "not json", "[]", "{}", '{"mcpServers": {}}', "[" * 100_000, "1" * 5000,
    '{"x": {"command": NaN}}', '{"x": 5}', '{"x": {"url": "ftp://host/"}}',
    '{"x": {"url": "https://user:pw@host/"}}',
    '{"x": {"url": "https://h/", "headers": {"A": "é"}}}',
    '{"x": {"command": "a", "env": {"1BAD": "v"}}}', '{"": {"command": "a"}}',
])
def test_unusable_text_is_a_config_error_with_a_message(text: str) -> None:
    with pytest.raises(ToolConfigError) as caught:
        parse_mcp_servers_json(text)
    assert caught.value.message


@given(st.text(max_size=300))
def test_any_text_parses_or_is_a_config_error(text: str) -> None:
    with contextlib.suppress(ToolConfigError):
        parse_mcp_servers_json(text)


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"name": "x", "command": " "}, "needs a command"),
    ({"name": "x", "command": "a\0b"}, "NUL"),
    ({"name": "x", "transport": "http", "url": "file:///etc/passwd"}, "http:// or https://"),
    ({"name": "x", "transport": "http", "url": "https://h/", "headers": (("Bad Name", "v"),)},
     "header name"),
    ({"name": "-x", "command": "a"}, "not usable"),
])
def test_a_bad_spec_cannot_be_made(kwargs: dict[str, object], words: str) -> None:
    with pytest.raises(ToolConfigError, match=words):
        McpServerSpec(**kwargs)  # type: ignore[arg-type]
