"""settings.json on disk: round trip, upgrades, bad files (backup + salvage), atomic saves."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from desktopchat.core.request import WebSearchOptions
from desktopchat.errors import SettingsError
from desktopchat.secrets import SecretStore
from desktopchat.settings import (
    CURRENT_VERSION,
    Preferences,
    Profile,
    ProxySettings,
    Settings,
    SettingsStore,
    WindowStateStore,
    first_run_settings,
)
from desktopchat.settings.store import settings_to_json
from desktopchat.settings.upgrade import STEPS

# Unusable settings files are what these tests write; loading one logs a warning.
pytestmark = pytest.mark.expected_log(
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


@pytest.fixture
def store(tmp_path: Path) -> SettingsStore:
    return SettingsStore(tmp_path / "config" / "settings.json")


def backups(store: SettingsStore) -> list[Path]:
    return sorted(store.path.parent.glob("settings.json.bad-*"))


def test_missing_file_is_first_run(store: SettingsStore) -> None:
    result = store.load()
    assert result.first_run and result.problem is None and result.backup_path is None
    assert result.settings == first_run_settings()


def test_save_and_load_round_trip(store: SettingsStore) -> None:
    store.save(sample())
    result = store.load()
    assert result.problem is None and not result.first_run and result.upgraded_from is None
    assert result.settings == sample()
    assert json.loads(store.path.read_text())["version"] == CURRENT_VERSION


def test_saved_file_is_private(store: SettingsStore) -> None:
    store.save(sample())
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert not list(store.path.parent.glob(".*.tmp"))


def test_save_refuses_invalid_settings_and_keeps_the_old_file(store: SettingsStore) -> None:
    store.save(sample())
    before = store.path.read_bytes()
    bad = sample()
    bad.profiles[0].temperature = 7
    bad.profiles.append(Profile(name="work", url="https://x.example"))
    with pytest.raises(SettingsError) as info:
        store.save(bad)
    assert set(info.value.field_errors) == {"profiles[0].temperature", "profiles[2].name"}
    assert "Temperature must be a number from 0 to 2" in info.value.message
    assert store.path.read_bytes() == before


def test_failure_during_replace_leaves_the_old_file(
    store: SettingsStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save(sample())
    before = store.path.read_bytes()
    changed = sample()
    changed.preferences.theme = "light"

    def refuse(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(SettingsError, match="No space left on device"):
        store.save(changed)
    assert store.path.read_bytes() == before
    assert [p.name for p in store.path.parent.iterdir()] == ["settings.json"]  # no temp left


def test_failure_during_write_leaves_the_old_file(
    store: SettingsStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save(sample())
    before = store.path.read_bytes()

    def broken_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(SettingsError, match="previous file is unchanged"):
        store.save(first_run_settings())
    assert store.path.read_bytes() == before


def test_the_file_never_holds_a_secret(store: SettingsStore, secret_store: SecretStore) -> None:
    settings = sample()
    secret_store.set_key("Work", KEY)
    secret_store.set_proxy_password("Work", "proxy-" + KEY)
    store.save(settings)
    assert KEY.encode() not in store.path.read_bytes()
    # No field of the format could hold one: every key name is known and none is a secret.
    names: set[str] = set()

    def walk(value: Any, skip: bool = False) -> None:
        if isinstance(value, dict):
            for name, inner in value.items():
                if not skip:
                    names.add(name)
                # tool schemas and header names are user data, not format fields
                walk(inner, skip=skip or name in ("tools", "extra_headers"))
        elif isinstance(value, list):
            for inner in value:
                walk(inner, skip)

    walk(settings_to_json(settings))
    suspicious = [n for n in names if any(w in n.lower() for w in ("key", "secret", "pass"))]
    assert suspicious == []
    assert "token" not in " ".join(names).lower()


def test_unknown_fields_such_as_a_pasted_key_are_dropped_on_save(store: SettingsStore) -> None:
    data = settings_to_json(sample())
    data["profiles"][0]["api_key"] = KEY
    write(store.path.parent.mkdir(parents=True) or store.path, data)
    result = store.load()
    assert result.problem is None
    store.save(result.settings)
    assert KEY.encode() not in store.path.read_bytes()


# -- upgrades --------------------------------------------------------------------------


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


# -- bad files -------------------------------------------------------------------------


def test_not_json(store: SettingsStore) -> None:
    store.path.parent.mkdir(parents=True)
    write(store.path, '{"version": 2, "profiles": [')
    result = store.load()
    assert result.settings == first_run_settings()
    assert result.backup_path is not None and result.backup_path.read_text().startswith('{"v')
    assert result.backup_path.name.startswith("settings.json.bad-")
    assert result.problem is not None
    assert "is not valid JSON (line 1" in result.problem
    assert str(result.backup_path) in result.problem
    assert "default settings are loaded" in result.problem
    assert stat.S_IMODE(result.backup_path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\xff\xfe garbage", "not UTF-8"),
        (b"[1, 2]", "does not hold a settings object"),
        (b'{"profiles": []}', "not a version number"),
        (b'{"version": "2"}', "not a version number"),
    ],
)
def test_other_unusable_files(store: SettingsStore, content: bytes, words: str) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(content)
    result = store.load()
    assert result.problem is not None and words in result.problem
    assert result.backup_path is not None and result.backup_path.read_bytes() == content


def test_newer_version(store: SettingsStore) -> None:
    store.path.parent.mkdir(parents=True)
    write(store.path, {"version": CURRENT_VERSION + 1, "profiles": [], "whatever": True})
    result = store.load()
    assert result.problem is not None
    assert f"newer desktopchat (settings version {CURRENT_VERSION + 1}" in result.problem
    assert result.backup_path is not None and result.backup_path.exists()
    assert result.settings == first_run_settings()


def test_invalid_profile_is_dropped_by_name_and_valid_one_kept(store: SettingsStore) -> None:
    data = settings_to_json(sample())
    data["profiles"][0]["temperature"] = 5
    store.path.parent.mkdir(parents=True)
    write(store.path, data)
    result = store.load()
    assert [p.name for p in result.settings.profiles] == ["Local"]
    assert result.settings.preferences.active_profile == "Local"
    assert result.problem is not None
    assert "profile 'Work' (temperature: Temperature must be" in result.problem
    assert "was not valid and left out" in result.problem
    assert result.backup_path is not None and str(result.backup_path) in result.problem
    assert json.loads(result.backup_path.read_text())["profiles"][0]["name"] == "Work"
    assert store.path.read_text() == json.dumps(data)  # the original is not touched by load


def test_json_but_every_profile_invalid(store: SettingsStore) -> None:
    store.path.parent.mkdir(parents=True)
    write(
        store.path,
        {
            "version": 2,
            "profiles": [
                {"name": "A", "url": "not a url"},
                {"name": "B", "preset": "openai", "tools": "nope"},
                "not even an object",
                {"url": "https://x.example"},
            ],
        },
    )
    result = store.load()
    assert result.settings.profiles == first_run_settings().profiles
    problem = result.problem or ""
    assert "'A' (url:" in problem and "'B' (tools:" in problem
    assert "profile #3 (no name)" in problem and "profile #4 (no name) (name:" in problem
    assert "built-in profiles are loaded" in problem


def test_wrong_types_and_bad_preferences_are_reported(store: SettingsStore) -> None:
    data = settings_to_json(sample())
    data["profiles"][1]["idle_timeout"] = "soon"
    data["profiles"][0]["proxy"] = {"mode": "custom", "url": 42}
    data["preferences"]["theme"] = "neon"
    data["preferences"]["font_size"] = 99
    store.path.parent.mkdir(parents=True)
    write(store.path, data)
    result = store.load()
    problem = result.problem or ""
    assert result.settings.profiles == first_run_settings().profiles  # both were dropped
    assert "'Local' (idle_timeout: The idle timeout must be a number" in problem
    assert "'Work' (proxy.url:" in problem
    assert "theme and font_size reset to the default" in problem
    assert result.settings.preferences.theme == "system"
    assert result.settings.preferences.font_size == 11


def test_backup_and_notification_choices_round_trip_and_bad_ones_reset(
    store: SettingsStore,
) -> None:
    chosen = sample()
    chosen.preferences = Preferences(active_profile="Work", daily_backup=False, backups_kept=30,
                                     notify_when_done=True)
    store.save(chosen)
    assert store.load().settings.preferences == chosen.preferences
    data = settings_to_json(chosen)
    data["preferences"].update(daily_backup="yes", backups_kept=0, notify_when_done=1)
    write(store.path, data)
    result = store.load()
    assert "daily_backup, backups_kept and notify_when_done reset" in (result.problem or "")
    assert result.settings.preferences == Preferences(active_profile="Work")


def test_duplicate_names_keep_the_first(store: SettingsStore) -> None:
    data = settings_to_json(sample())
    second = dict(data["profiles"][1], name="work", model="other")
    data["profiles"].append(second)
    store.path.parent.mkdir(parents=True)
    write(store.path, data)
    result = store.load()
    assert [p.name for p in result.settings.profiles] == ["Work", "Local"]
    assert "'work' (name: another profile has the same name)" in (result.problem or "")


def test_missing_active_profile_falls_back_quietly(store: SettingsStore) -> None:
    data = settings_to_json(sample())
    data["preferences"]["active_profile"] = "Gone"
    store.path.parent.mkdir(parents=True)
    write(store.path, data)
    result = store.load()
    assert result.problem is None
    assert result.settings.preferences.active_profile == "Work"


def test_two_bad_loads_make_two_backups(store: SettingsStore) -> None:
    store.path.parent.mkdir(parents=True)
    write(store.path, "nope")
    first = store.load().backup_path
    second = store.load().backup_path
    assert first is not None and second is not None and first != second
    assert len(backups(store)) == 2


def test_unreadable_file_is_a_problem_not_a_crash(store: SettingsStore) -> None:
    store.path.mkdir(parents=True)  # a folder where the file should be: reading fails
    result = store.load()
    assert result.problem is not None and "could not be read" in result.problem
    assert result.settings == first_run_settings()


def test_backup_that_cannot_be_written_is_reported(
    store: SettingsStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.path.parent.mkdir(parents=True)
    write(store.path, "nope")
    import desktopchat.settings.store as module

    def fail(path: Path, data: bytes, mode: int = 0o600) -> None:
        raise OSError(13, "Permission denied")

    monkeypatch.setattr(module, "atomic_write", fail)
    result = store.load()
    assert result.backup_path is None
    assert "a backup copy could not be written (Permission denied)" in (result.problem or "")


# -- window state ----------------------------------------------------------------------


def test_window_state_round_trip_and_bad_files(tmp_path: Path) -> None:
    states = WindowStateStore(tmp_path / "window-state.json")
    assert states.load() == {}
    states.save({"geometry": "AdnQywADAAAAAA==", "splitter": [200, 800]})
    assert states.load() == {"geometry": "AdnQywADAAAAAA==", "splitter": [200, 800]}
    assert stat.S_IMODE(states.path.stat().st_mode) == 0o600
    states.path.write_text("{broken")
    assert states.load() == {}
    states.path.write_text('{"state": [1]}')
    assert states.load() == {}
    with pytest.raises(SettingsError):
        states.save({"geometry": b"raw bytes"})


def test_window_state_lives_apart_from_settings(tmp_path: Path) -> None:
    from desktopchat.paths import app_paths

    paths = app_paths(tmp_path)
    SettingsStore(paths.settings_file).save(first_run_settings())
    WindowStateStore(paths.window_state_file).save({"geometry": "x"})
    assert "geometry" not in paths.settings_file.read_text()
    assert SettingsStore(paths.settings_file).load().problem is None


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
