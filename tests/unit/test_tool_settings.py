"""tools.json: MCP servers, per-profile offers, "always allow", and the step limit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktopchat.secrets import SecretStore
from desktopchat.settings.mcp_servers import McpServerSpec
from desktopchat.settings.tool_settings import (
    STEP_LIMIT_DEFAULT,
    ToolSettings,
    ToolSettingsStore,
)

FILES = McpServerSpec(name="files", command="srv", args=("--root", "/tmp"), env=(("A", "1"),))
WEB = McpServerSpec(name="web", transport="http", url="https://mcp.example.com/mcp",
                    headers=(("X-Team", "blue"),), secret_headers=("Authorization",))


def test_round_trip_keeps_every_part(tmp_path: Path) -> None:
    store = ToolSettingsStore(tmp_path / "tools.json")
    settings = ToolSettings(
        servers=(FILES, WEB), step_limit=4,
        always_allowed=frozenset({("files", "read")}),
        profile_offers={"Local": ("files", "web/search")},
    )
    store.save(settings)
    loaded = store.load()
    assert loaded.problem is None
    assert loaded.settings == settings
    assert (tmp_path / "tools.json").stat().st_mode & 0o777 == 0o600


def test_a_missing_file_is_no_servers_and_no_message(tmp_path: Path) -> None:
    loaded = ToolSettingsStore(tmp_path / "tools.json").load()
    assert loaded.settings == ToolSettings() and loaded.problem is None


@pytest.mark.parametrize("content", [
    b"{not json", b"[" * 10_000, b'{"servers": 5e}', b"[]", b"\"\\ud800\"",
    b'{"step_limit": ' + b"9" * 5000 + b"}",
])
def test_an_unusable_file_is_copied_aside_and_explained(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "tools.json"
    path.write_bytes(content)
    loaded = ToolSettingsStore(path).load()
    assert loaded.settings == ToolSettings()
    assert loaded.problem and str(path) in loaded.problem and "copied to" in loaded.problem
    backups = list(tmp_path.glob("tools.json.bad-*"))
    assert len(backups) == 1 and backups[0].read_bytes() == content


def test_bad_parts_are_dropped_and_named_and_the_rest_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "tools.json"
    path.write_text(json.dumps({
        "step_limit": 10**400,
        "servers": [
            {"name": "files", "command": "srv"},
            {"name": "files", "command": "other"},
            {"name": "broken", "transport": "http", "url": "ftp://x"},
            {"name": "weird", "command": 5},
        ],
    }))
    loaded = ToolSettingsStore(path).load()
    assert [s.name for s in loaded.settings.servers] == ["files"]
    assert loaded.settings.step_limit == STEP_LIMIT_DEFAULT
    problem = loaded.problem or ""
    for words in ("step limit", "second MCP server named 'files'", "'broken'", "'command'"):
        assert words in problem


def test_offers_per_profile_and_always_allow_can_be_revoked() -> None:
    settings = ToolSettings(servers=(FILES, WEB), profile_offers={"Picky": ("web/search",)})
    assert settings.offered_servers("Anyone") == [FILES, WEB]
    assert settings.offered_servers("Picky") == [WEB]
    assert settings.offers_tool("Picky", "web", "search")
    assert not settings.offers_tool("Picky", "web", "fetch")
    assert not settings.offers_tool("Picky", "files", "read")
    allowed = settings.allow_always("web", "search")
    assert allowed.is_always_allowed("web", "search")
    assert not allowed.revoke("web", "search").is_always_allowed("web", "search")
    assert allowed.without_server("web").always_allowed == frozenset()


def test_secret_header_values_live_in_the_keyring_not_the_file(
    tmp_path: Path, secret_store: SecretStore
) -> None:
    secret_store.set_mcp_header("web", "Authorization", "Bearer mcp-secret-123456")
    ToolSettingsStore(tmp_path / "tools.json").save(ToolSettings(servers=(WEB,)))
    assert "mcp-secret" not in (tmp_path / "tools.json").read_text()
    assert secret_store.get_mcp_header("web", "authorization") == "Bearer mcp-secret-123456"
    assert secret_store.get_key("web") is None  # a profile named like the server is untouched
    secret_store.delete_mcp_headers("web", ["Authorization"])
    assert secret_store.get_mcp_header("web", "Authorization") is None


def test_a_chat_can_choose_its_own_tools_over_its_profile(tmp_path: Path) -> None:
    settings = ToolSettings(servers=(FILES, WEB), profile_offers={"Picky": ("web",)})
    chat = settings.with_conversation_offers("uid-1", ("files/read",))
    assert chat.offered_servers("Picky", "uid-1") == [FILES]
    assert chat.offers_tool("Picky", "files", "read", "uid-1")
    assert not chat.offers_tool("Picky", "web", "search", "uid-1")
    assert chat.offered_servers("Picky", "uid-2") == [WEB]  # other chats: the profile's
    store = ToolSettingsStore(tmp_path / "tools.json")
    store.save(chat)
    assert store.load().settings == chat
    assert chat.with_conversation_offers("uid-1", None).conversation_offers == {}
