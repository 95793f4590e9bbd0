"""Issue 10: a data folder or history file the process cannot write. The real app starts
(to read, saying why it cannot save; its log goes to the terminal) and the command line
exits 1 with one readable line. Real processes, real permissions: as root, the child
drops the capability that ignores permission bits."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktopchat.storage.store import HistoryStore
from tests.e2e.test_single_instance import REPO


def without_root_powers(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "desktopchat", *args]
    if os.geteuid() == 0:  # root ignores permission bits through CAP_DAC_OVERRIDE
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--", *command]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO), K="sk-test")
    env.pop("DESKTOPCHAT_BASEDIR", None)
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=90, check=False)


def chmod_tree(folder: Path, *, writable: bool) -> None:
    for path in [folder, *folder.rglob("*")]:
        mode = path.stat().st_mode
        path.chmod(mode | 0o200 if writable else mode & ~0o222)


@pytest.fixture(params=["folder", "file", "empty-folder"])
def read_only_base(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    data = tmp_path / "data"
    data.mkdir()
    if request.param != "empty-folder":
        with HistoryStore.open(data / "history.sqlite3") as store:
            store.create_conversation(title="Kept")
    if request.param == "file":
        (data / "history.sqlite3").chmod(0o444)
    else:
        chmod_tree(data, writable=False)
    before = {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()}
    yield tmp_path
    chmod_tree(data, writable=True)
    after = {p.name: p.read_bytes() for p in data.iterdir()
             if p.is_file() and not p.name.endswith(("-shm", "-wal"))}
    assert after == before  # nothing was changed or lost


def test_the_window_starts_on_a_history_it_cannot_write(read_only_base: Path) -> None:
    done = without_root_powers("--basedir", str(read_only_base), "--self-test")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok "), (done.stdout, done.stderr)
    log = read_only_base / "data" / "logs" / "desktopchat.log"  # when the folder takes it
    said = done.stderr + (log.read_text() if log.exists() else "")
    assert "history opened read-only" in said


def test_the_command_line_says_it_in_one_line(read_only_base: Path) -> None:
    for args in (["ask", "--key-from-env", "K", "hello"],):
        done = without_root_powers("--basedir", str(read_only_base), *args)
        assert done.returncode == 1, (args, done.stdout, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("desktopchat: error: "), done.stderr
        assert "read-only" in lines[0] and "Traceback" not in done.stderr


def test_two_launches_on_a_read_only_folder_still_make_one_window(tmp_path: Path) -> None:
    """The window lock cannot be made in a read-only folder: the first window opens without
    it (still listening on its socket), and a second launch raises it."""
    from tests.e2e.test_single_instance import wait_for

    data = tmp_path / "data"
    data.mkdir()
    with HistoryStore.open(data / "history.sqlite3") as store:
        store.create_conversation(title="Kept")
    chmod_tree(data, writable=False)
    said = tmp_path / "first.err"
    command = [sys.executable, "-m", "desktopchat", "--basedir", str(tmp_path)]
    if os.geteuid() == 0:
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--", *command]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    env.pop("DESKTOPCHAT_BASEDIR", None)
    with said.open("w") as err:
        first = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                                 stderr=err, text=True)
    try:
        wait_for(lambda: first.poll() is not None or "window shown" in said.read_text())
        assert first.poll() is None, said.read_text()
        text = said.read_text()
        assert "no window lock" in text and "history opened read-only" in text
        second = without_root_powers("--basedir", str(tmp_path))
        assert second.returncode == 0, second.stderr
        assert "already open on this data folder" in second.stdout
        wait_for(lambda: "a second launch asked this window to show itself" in said.read_text())
    finally:
        first.kill()
        first.wait(timeout=30)
        chmod_tree(data, writable=True)
