"""settings.json on disk: round trip, a private file, atomic saves, never a secret; the
window state kept apart. (Upgrades: test_settings_upgrade; bad files: test_settings_bad_files.)"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from desktopchat.errors import SettingsError
from desktopchat.secrets import SecretStore
from desktopchat.settings import (
    CURRENT_VERSION,
    Profile,
    SettingsStore,
    WindowStateStore,
    first_run_settings,
)
from desktopchat.settings.store import settings_to_json
from tests.support.settings_files import EXPECTED_LOG, KEY, sample, write

pytestmark = EXPECTED_LOG


@pytest.fixture
def store(tmp_path: Path) -> SettingsStore:
    return SettingsStore(tmp_path / "config" / "settings.json")


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
