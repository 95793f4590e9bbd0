"""Unusable settings.json files: a clear problem, a private backup copy, the usable part
salvaged (valid profiles kept by name), never a crash."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from desktopchat.settings import CURRENT_VERSION, Preferences, SettingsStore, first_run_settings
from desktopchat.settings.store import settings_to_json
from tests.support.settings_files import EXPECTED_LOG, backups, sample, write

pytestmark = EXPECTED_LOG


@pytest.fixture
def store(tmp_path: Path) -> SettingsStore:
    return SettingsStore(tmp_path / "config" / "settings.json")


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
