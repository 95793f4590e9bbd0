"""Running the real `python -m desktopchat <command>` as a process, for end-to-end tests."""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
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


# Runs the command as `python -m desktopchat` would, then reports on stderr which modules
# it had loaded (a None entry is a module blocked on purpose, not loaded).
_PROBE = """\
import json, sys
from desktopchat.__main__ import main
sys.argv = ['desktopchat', *json.loads(sys.argv[1])]
code = main()
loaded = sorted(name for name, module in sys.modules.items() if module is not None)
print(json.dumps({'code': code, 'modules': loaded}), file=sys.stderr)
"""


@dataclass(frozen=True)
class Probed:
    """A command run by run_probed: its exit status, output and the modules it loaded."""

    code: int
    stdout: str
    stderr: str  # the command's own, without the probe's report
    modules: frozenset[str]

    def loaded(self, *packages: str) -> list[str]:
        """The loaded modules that are one of `packages` or inside one, sorted."""
        return sorted(name for name in self.modules
                      if any(name == p or name.startswith(p + ".") for p in packages))


def run_probed(*args: str, env: dict[str, str] | None = None) -> Probed:
    """Run `desktopchat ARGS` in a child process (stdin /dev/null) and report which modules
    it had loaded by the end: what a command imports, seen from outside the test's own."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(args)], cwd=REPO, env=env or cli_env(),
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, check=False)
    *lines, last = done.stderr.splitlines() or [""]
    try:
        report = json.loads(last)
    except ValueError:
        problem = f"the probed command ended without a report: {done.stderr!r}"
        raise AssertionError(problem) from None
    stderr = "".join(line + "\n" for line in lines)
    return Probed(report["code"], done.stdout, stderr, frozenset(report["modules"]))


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


def interrupt_after(process: subprocess.Popen[bytes], wanted: bytes) -> tuple[bytes, bytes, bytes]:
    """Ctrl+C (SIGINT) once `wanted` is on stdout: what stdout held by then, and the rest of
    stdout and stderr. A process that outlives this is killed."""
    try:
        seen = read_until(process, wanted)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return seen, out, err


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
