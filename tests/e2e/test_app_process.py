"""The real app process: `python -m desktopchat --self-test --basedir DIR`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from desktopchat import __version__
from desktopchat.storage.store import HistoryStore

REPO = Path(__file__).resolve().parents[2]


def run_app(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("DESKTOPCHAT_BASEDIR", None)
    return subprocess.run([sys.executable, "-m", "desktopchat", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)


def test_self_test_on_an_empty_folder(tmp_path: Path) -> None:
    result = run_app("--self-test", "--basedir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"ok \d+\n", result.stdout)
    assert (tmp_path / "data" / "history.sqlite3").exists()
    assert (tmp_path / "data" / "logs").is_dir()


def test_self_test_with_history(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    store = HistoryStore.open(tmp_path / "data" / "history.sqlite3")
    conversation = store.create_conversation(title="Hello")
    store.add_user_message(conversation.id, "Hi **there**")
    reply = store.start_assistant_message(conversation.id)
    store.finish_assistant_message(reply.id, state="complete", content="```py\nprint(1)\n```")
    store.close()
    result = run_app("--self-test", "--basedir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok ")


def test_a_damaged_database_is_reported_and_left_alone(tmp_path: Path) -> None:
    database = tmp_path / "data" / "history.sqlite3"
    database.parent.mkdir(parents=True)
    garbage = b"this is not a database " * 100
    database.write_bytes(garbage)
    result = run_app("--self-test", "--basedir", str(tmp_path))
    assert result.returncode == 2
    assert result.stdout.startswith("error ")
    assert database.read_bytes() == garbage  # never reset


def test_version() -> None:
    result = run_app("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"desktopchat {__version__}"


def test_self_test_lists_the_tools_of_a_stdio_mcp_server(tmp_path: Path) -> None:
    server = f"{sys.executable} -m tests.support.mcp_server"
    result = run_app("--self-test", "--basedir", str(tmp_path), "--self-test-mcp", server,
                     timeout=90)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1] == "tools add,echo,slow,fail,image,crash,big"


def test_self_test_reports_an_mcp_server_that_cannot_start(tmp_path: Path) -> None:
    result = run_app("--self-test", "--basedir", str(tmp_path), "--self-test-mcp",
                     "/nonexistent/mcp-server", timeout=90)
    assert result.returncode == 1
    assert "could not be started" in result.stdout.splitlines()[1]
