"""Two real app processes on one data folder: the second raises the first and exits 0."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def app_process(basedir: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("DESKTOPCHAT_BASEDIR", None)
    return subprocess.Popen([sys.executable, "-m", "desktopchat", "--basedir", str(basedir)],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def wait_for(condition, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    """Poll a file-system condition another process brings about (no signal to wait on)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def test_a_second_launch_raises_the_first_window_and_exits(tmp_path: Path) -> None:
    log = tmp_path / "data" / "logs" / "desktopchat.log"
    first = app_process(tmp_path)
    try:
        wait_for(lambda: first.poll() is not None
                 or (log.exists() and "window shown" in log.read_text()))
        assert first.poll() is None, first.communicate()
        second = subprocess.run(
            [sys.executable, "-m", "desktopchat", "--basedir", str(tmp_path)], cwd=REPO,
            env=dict(os.environ, QT_QPA_PLATFORM="offscreen"), capture_output=True, text=True,
            timeout=60, check=False)
        assert second.returncode == 0, second.stderr
        assert "already open on this data folder" in second.stdout
        wait_for(lambda: "a second launch asked this window to show itself" in log.read_text())
        assert first.poll() is None  # the first window is untouched
    finally:
        first.kill()
        first.communicate(timeout=30)
