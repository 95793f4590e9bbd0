"""settings.json upgrades: a fixture for every version upgrades to the current one, the
old file is kept once, and a damaged old file is salvaged."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest

from desktopchat.core.request import WebSearchOptions
from desktopchat.settings import CURRENT_VERSION, Preferences, ProxySettings, SettingsStore
from desktopchat.settings.upgrade import STEPS
from tests.support.settings_files import EXPECTED_LOG, FIXTURES, write

pytestmark = EXPECTED_LOG


@pytest.fixture
def store(tmp_path: Path) -> SettingsStore:
    return SettingsStore(tmp_path / "config" / "settings.json")


def test_there_is_a_fixture_for_every_version() -> None:
    assert sorted(STEPS) == list(range(1, CURRENT_VERSION))
    for version in range(1, CURRENT_VERSION + 1):
        data = json.loads((FIXTURES / f"v{version}.json").read_text())
        assert data["version"] == version


@pytest.mark.parametrize("version", range(1, CURRENT_VERSION + 1))
def test_upgrade_from_every_version(version: int, store: SettingsStore) -> None:
    store.path.parent.mkdir(parents=True)
    shutil.copy(FIXTURES / f"v{version}.json", store.path)
    result = store.load()
    assert result.problem is None and result.backup_path is None
    assert result.upgraded_from == (version if version < CURRENT_VERSION else None)
    settings = result.settings
    assert [p.name for p in settings.profiles] == [
        "Bitseek search",
        "Home Ollama",
        "Work gateway",
        "OpenAI",
    ]
    bitseek, ollama, work, openai = settings.profiles
    assert bitseek.url == "https://chat-proxy.bitseek.ai/v1/chat/completions"
    assert bitseek.web_search == WebSearchOptions(
        enabled=True, mode="force", max_results=3, freshness="day", lang="en"
    )
    assert bitseek.temperature == 0.7 and bitseek.system_prompt == "Answer briefly."
    assert bitseek.extra_headers == {"X-Client": "desktopchat"}
    assert bitseek.idle_timeout == 90
    assert ollama.proxy == ProxySettings(mode="none")
    assert ollama.tools[0]["function"]["name"] == "get_time"
    assert work.proxy == ProxySettings(mode="custom", url="socks5h://alice@proxy.example.com:1080")
    assert work.url == "https://llm.example.com/openai/v1/chat/completions"
    assert openai.url == "" and openai.chat_url() == "https://api.openai.com/v1/chat/completions"
    assert settings.preferences == Preferences(
        active_profile="Home Ollama", theme="dark", font_size=13, enter_to_send=False
    )
    store.save(settings)  # and it saves as the current version
    assert store.load().settings == settings


def test_upgrade_keeps_the_old_file_once(store: SettingsStore) -> None:
    store.path.parent.mkdir(parents=True)
    shutil.copy(FIXTURES / "v1.json", store.path)
    store.load()
    kept = store.path.with_name("settings.json.v1")
    assert kept.read_bytes() == (FIXTURES / "v1.json").read_bytes()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    kept.write_text("older copy stays")
    store.load()
    assert kept.read_text() == "older copy stays"


def test_a_damaged_v1_file_is_upgraded_and_salvaged(store: SettingsStore) -> None:
    store.path.parent.mkdir(parents=True)
    write(
        store.path,
        {
            "version": 1,
            "endpoints": [
                {"name": "Good", "provider": "openai", "base_url": ""},
                {"name": "Bad URL", "provider": "custom", "base_url": 42},
                {"name": "Bad search", "provider": "bitseek", "web_search_max_results": 20},
                7,
            ],
            "active_endpoint": "Bad URL",
            "theme": "sepia",
        },
    )
    result = store.load()
    assert [p.name for p in result.settings.profiles] == ["Good"]
    assert result.settings.preferences.active_profile == "Good"
    problem = result.problem or ""
    assert "'Bad URL' (url:" in problem
    assert "'Bad search' (web_search.max_results: Web search results must be" in problem
    assert "profile #4 (no name) (profile: A profile must be a JSON object)" in problem
    assert "theme reset to the default" in problem
    assert result.upgraded_from == 1 and result.backup_path is not None


def test_endpoints_that_are_not_a_list_in_v1(store: SettingsStore) -> None:
    store.path.parent.mkdir(parents=True)
    write(store.path, {"version": 1, "endpoints": {"name": "Solo", "provider": "openai"}})
    result = store.load()
    assert [p.name for p in result.settings.profiles] == ["Solo"]
