"""Issue 10 §6 under faults, with real app processes on one data folder:

- a first copy killed with SIGKILL, even when its process id now belongs to another live
  python process (QLockFile alone would call it alive): the second launch opens;
- a live first copy whose local socket file was removed (a /tmp clean-up): it listens
  again, and the second launch still raises it;
- a first copy that is stopped (hung): the second launch says so and exits 1, in bounded
  time, instead of claiming to show a window that never comes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktopchat.ui.single_instance import LOCK_NAME, server_name
from tests.e2e.test_single_instance import REPO, app_process, wait_for


def log_text(basedir: Path) -> str:
    log = basedir / "data" / "logs" / "desktopchat.log"
    return log.read_text() if log.exists() else ""


def shown_count(basedir: Path) -> int:
    return log_text(basedir).count("window shown")


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGCONT)
            process.kill()
        process.communicate(timeout=30)


def start(basedir: Path, processes: list[subprocess.Popen[str]], shown: int) -> None:
    process = app_process(basedir)
    processes.append(process)
    wait_for(lambda: process.poll() is not None or shown_count(basedir) >= shown)
    assert process.poll() is None, process.communicate()


def second_launch(basedir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktopchat", "--basedir", str(basedir)], cwd=REPO,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"), capture_output=True, text=True,
        timeout=60, check=False)


@pytest.mark.parametrize("pid_reused", [False, True])
def test_a_copy_killed_with_sigkill_never_keeps_the_next_one_out(
        tmp_path: Path, processes: list[subprocess.Popen[str]], pid_reused: bool) -> None:
    start(tmp_path, processes, shown=1)
    lock = tmp_path / "data" / LOCK_NAME
    processes[0].kill()
    processes[0].wait(timeout=30)
    assert lock.exists()  # SIGKILL left the lock file behind
    if pid_reused:
        # Another live python process now has the dead copy's process id, as a reused id
        # would: QLockFile's own check sees a live "python3.11" and calls the lock held.
        other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
        processes.append(other)  # type: ignore[arg-type]
        lines = lock.read_text().splitlines()
        lock.write_text("\n".join([str(other.pid), *lines[1:]]) + "\n")
    start(tmp_path, processes, shown=2)  # the next launch opens its window
    assert "took over" in log_text(tmp_path) or not pid_reused


def test_a_live_copy_whose_socket_was_removed_is_still_raised(
        tmp_path: Path, processes: list[subprocess.Popen[str]]) -> None:
    start(tmp_path, processes, shown=1)
    socket_file = Path(tempfile.gettempdir()) / server_name(tmp_path / "data")
    assert socket_file.exists()
    socket_file.unlink()
    second = second_launch(tmp_path)
    assert second.returncode == 0, second.stderr
    assert "already open on this data folder" in second.stdout
    assert "listening again" in log_text(tmp_path)
    wait_for(lambda: "a second launch asked this window to show itself" in log_text(tmp_path))
    assert processes[0].poll() is None and shown_count(tmp_path) == 1


def test_a_hung_copy_is_reported_and_not_waited_on(
        tmp_path: Path, processes: list[subprocess.Popen[str]]) -> None:
    start(tmp_path, processes, shown=1)
    os.kill(processes[0].pid, signal.SIGSTOP)
    try:
        second = second_launch(tmp_path)
    finally:
        os.kill(processes[0].pid, signal.SIGCONT)
    assert second.returncode == 1, (second.stdout, second.stderr)
    assert f"already running on this data folder (process {processes[0].pid})" in second.stderr
    assert "does not answer" in second.stderr
    assert shown_count(tmp_path) == 1  # no second window on the same history


@pytest.mark.parametrize("planted", ["garbage", "folder"])
def test_a_lock_file_that_is_not_a_lock_never_keeps_the_app_out(
        tmp_path: Path, processes: list[subprocess.Popen[str]], planted: str) -> None:
    lock = tmp_path / "data" / LOCK_NAME
    lock.parent.mkdir(parents=True)
    if planted == "folder":
        lock.mkdir()
    else:
        lock.write_bytes(b"\xff\xfe not a lock \x00\n" * 3)
    start(tmp_path, processes, shown=1)
