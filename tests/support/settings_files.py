"""settings.json files for the settings store tests: a full sample, raw writes, backups."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desktopchat.core.request import WebSearchOptions
from desktopchat.settings import Preferences, Profile, ProxySettings, Settings, SettingsStore

# Unusable settings files are what these tests write; loading one logs a warning.
EXPECTED_LOG = pytest.mark.expected_log(
    r"desktopchat\.settings\.store: "
    r"(settings file (partly )?unusable|could not back up)"
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "settings"
KEY = "sk-never-on-disk-4242"


def sample() -> Settings:
    return Settings(
        profiles=[
            Profile(
                name="Work",
                preset="custom",
                url="https://llm.example.com/v1/chat/completions",
                model="gpt-4o",
                temperature=0.3,
                system_prompt="Be brief.",
                web_search=WebSearchOptions(enabled=True, max_results=7),
                tools=[{"type": "function", "function": {"name": "f"}}],
                extra_headers={"X-Title": "dc"},
                idle_timeout=300.0,
                proxy=ProxySettings(mode="custom", url="socks5h://alice@127.0.0.1:1080"),
                allow_insecure_http=True,
                ask_for_usage=True,
            ),
            Profile(name="Local", preset="ollama", model="llama3.1"),
        ],
        preferences=Preferences(active_profile="Local", theme="dark", font_size=14),
    )


def write(path: Path, data: Any) -> Path:
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def backups(store: SettingsStore) -> list[Path]:
    return sorted(store.path.parent.glob("settings.json.bad-*"))

