"""Running the real `python -m desktopchat <command>` as a process, for end-to-end tests."""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from desktopchat.paths import app_paths
from desktopchat.settings import Preferences, Profile, Settings, SettingsStore
from desktopchat.storage.store import HistoryStore

REPO = Path(__file__).resolve().parents[2]
WAIT_S = 30.0  # generous: the machine may be busy; a pass never waits this long


def cli_env(**extra: str | None) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.pop("DESKTOPCHAT_BASEDIR", None)
    env.pop("NO_COLOR", None)
    for name, value in extra.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "desktopchat", *args]


def run_cli(
    *args: str, input: str | None = None, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run to the end; stdin is `input` (a pipe) or /dev/null, never the test's own."""
    return subprocess.run(
        command(*args),
        cwd=REPO,
        env=env or cli_env(),
        input=input,
        stdin=None if input is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def start_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        command(*args),
        cwd=REPO,
        env=env or cli_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def read_until(process: subprocess.Popen[bytes], wanted: bytes, timeout: float = WAIT_S, *,
               stream: str = "stdout") -> bytes:
    """What the process wrote to `stream` ("stdout" or "stderr"), read as it comes, until
    `wanted` is in it."""
    pipe = process.stdout if stream == "stdout" else process.stderr
    assert pipe is not None
    fd = pipe.fileno()
    seen = b""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while wanted not in seen:
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(left):
                raise AssertionError(f"{wanted!r} never came on {stream}; got {seen!r}")
            piece = os.read(fd, 65536)
            if not piece:
                raise AssertionError(f"{stream} ended before {wanted!r}; got {seen!r}")
            seen += piece
    return seen


def save_profiles(basedir: Path, *profiles: Profile, active: str | None = None) -> None:
    paths = app_paths(basedir).ensure()
    chosen = active or (profiles[0].name if profiles else "")
    SettingsStore(paths.settings_file).save(
        Settings(profiles=list(profiles), preferences=Preferences(active_profile=chosen))
    )


def loopback_profile(
    url: str, name: str = "local", preset: str = "llamacpp", **fields: Any
) -> Profile:
    """A profile pointing at the loopback server; by default one that needs no key."""
    return Profile(name, preset=preset, url=url, **fields)


def history(basedir: Path) -> HistoryStore:
    return HistoryStore.open(app_paths(basedir).ensure().database_file)
