"""`desktopchat profiles` and `desktopchat key` as real processes: never a key on screen.

`key set` runs against the real gnome-keyring that /work/tools/pt and scripts/test.sh start
in a private D-Bus session; the "no usable keyring" case forces keyring's fail backend.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from desktopchat.paths import app_paths
from desktopchat.settings import SettingsStore
from tests.support.cli_process import cli_env, loopback_profile, run_cli, save_profiles
from tests.support.loopback import ScriptedResponse
from tests.support.sse_script import chat_chunk, sse_body

KEY = "sk-profile-test-" + "9" * 24
NO_KEYRING = cli_env(PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
PROFILE_KEYS = {"name", "preset", "url", "model", "active", "needs_key", "key_stored"}


def test_profiles_add_list_remove(tmp_path: Path) -> None:
    base = str(tmp_path / "portable")
    added = run_cli("profiles", "add", "Work", "--preset", "openai", "--model", "gpt-4o",
                    "--basedir", base, env=NO_KEYRING)
    assert added.returncode == 0, added.stderr
    listed = run_cli("profiles", "--json", "--basedir", base, env=NO_KEYRING)
    rows = json.loads(listed.stdout)
    assert all(set(row) == PROFILE_KEYS for row in rows)
    work = next(row for row in rows if row["name"] == "Work")
    assert work == {
        "name": "Work", "preset": "openai", "url": "https://api.openai.com/v1/chat/completions",
        "model": "gpt-4o", "active": False, "needs_key": True, "key_stored": None,
    }
    duplicate = run_cli("profiles", "add", "work", "--preset", "ollama", "--basedir", base,
                        env=NO_KEYRING)
    assert duplicate.returncode == 2 and "exists already" in duplicate.stderr
    unknown = run_cli("profiles", "add", "X", "--preset", "nope", "--basedir", base,
                      env=NO_KEYRING)
    assert unknown.returncode == 2 and "openai" in unknown.stderr  # lists the presets
    bad_url = run_cli("profiles", "add", "X", "--preset", "custom", "--url", "not a url",
                      "--basedir", base, env=NO_KEYRING)
    assert bad_url.returncode == 2
    removed = run_cli("profiles", "remove", "Work", "--basedir", base, env=NO_KEYRING)
    assert removed.returncode == 0, removed.stderr
    names = [p.name for p in SettingsStore(app_paths(base).settings_file).load().settings.profiles]
    assert "Work" not in names and "X" not in names


@pytest.mark.keyring_real
def test_key_set_from_stdin_is_used_and_never_printed(
    tmp_path: Path, loopback_server, real_secret_service
) -> None:
    base = tmp_path / "portable"
    name = f"cli-{uuid.uuid4().hex[:8]}"  # the private keyring's `desktopchat` service
    save_profiles(base, loopback_profile(loopback_server.url(), name=name))
    stored = run_cli("key", "set", name, "--basedir", str(base), input=KEY + "\n")
    try:
        assert stored.returncode == 0, stored.stderr
        assert KEY not in stored.stdout + stored.stderr
        for args in (["profiles"], ["profiles", "--json"]):
            listed = run_cli(*args, "--basedir", str(base))
            assert listed.returncode == 0, listed.stderr
            assert KEY not in listed.stdout + listed.stderr
        [row] = json.loads(run_cli("profiles", "--json", "--basedir", str(base)).stdout)
        assert row["key_stored"] is True
        loopback_server.enqueue(
            ScriptedResponse(pieces=[sse_body(chat_chunk("ok", finish="stop"))])
        )
        asked = run_cli("ask", "hi", "--basedir", str(base))
        assert asked.returncode == 0, asked.stderr
        assert loopback_server.requests[0].headers["authorization"] == f"Bearer {KEY}"
    finally:
        deleted = run_cli("key", "delete", name, "--basedir", str(base))
    assert deleted.returncode == 0, deleted.stderr
    [row] = json.loads(run_cli("profiles", "--json", "--basedir", str(base)).stdout)
    assert row["key_stored"] is False
    for where in (base / "config", base / "data"):
        for path in where.rglob("*"):
            if path.is_file():
                assert KEY.encode() not in path.read_bytes(), path


def test_without_a_keyring_key_set_says_so_and_ask_takes_an_env_key(
    tmp_path: Path, loopback_server
) -> None:
    base = tmp_path / "portable"
    save_profiles(base, loopback_profile(loopback_server.url(), name="Remote", preset="openai"))
    refused = run_cli("key", "set", "Remote", "--basedir", str(base), input=KEY, env=NO_KEYRING)
    assert refused.returncode == 1
    [line] = refused.stderr.splitlines()
    assert "No keyring service is running" in line and "--key-from-env" in line
    assert KEY not in refused.stderr
    no_key = run_cli("ask", "hi", "--basedir", str(base), env=NO_KEYRING)
    assert no_key.returncode == 1 and "--key-from-env" in no_key.stderr
    loopback_server.enqueue(ScriptedResponse(pieces=[sse_body(chat_chunk("ok", finish="stop"))]))
    env = dict(NO_KEYRING, REMOTE_KEY=KEY)
    asked = run_cli("ask", "hi", "--key-from-env", "REMOTE_KEY", "--basedir", str(base), env=env)
    assert asked.returncode == 0, asked.stderr
    assert loopback_server.requests[0].headers["authorization"] == f"Bearer {KEY}"


def test_key_for_an_unknown_profile_is_a_usage_error(tmp_path: Path) -> None:
    done = run_cli("key", "set", "ghost", "--basedir", str(tmp_path), input=KEY, env=NO_KEYRING)
    assert done.returncode == 2 and "ghost" in done.stderr
