"""What the command line looks like on a real terminal (a pseudo-terminal) versus a pipe:
a spinner only on a terminal and only until the first token; colour only on a terminal
and never with NO_COLOR; one error line, the traceback only with --debug."""

from __future__ import annotations

import os
import pty
import selectors
import subprocess
import time
from pathlib import Path

from desktopchat.cli.pending import WAITING_LABEL
from desktopchat.cli.terminal import SPINNER_FRAMES
from desktopchat.paths import app_paths
from tests.support.cli_process import (
    REPO,
    WAIT_S,
    cli_env,
    command,
    history,
    loopback_profile,
    run_cli,
    save_profiles,
)
from tests.support.history_lock import LockHolder
from tests.support.loopback import ScriptedResponse
from tests.support.sse_script import chat_chunk, sse_body

ESC = b"\x1b["


class OnTerminal:
    """The command with stdout on a pseudo-terminal; stderr on a pipe."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        master, slave = pty.openpty()
        self.master = master
        self.process = subprocess.Popen(
            command(*args), cwd=REPO, env=env or cli_env(), stdin=subprocess.DEVNULL,
            stdout=slave, stderr=subprocess.PIPE,
        )
        os.close(slave)
        self.seen = b""

    def read_until(self, wanted: bytes, count: int = 1) -> bytes:
        """Everything the terminal showed, once `wanted` has come `count` times."""
        deadline = time.monotonic() + WAIT_S
        with selectors.DefaultSelector() as selector:
            selector.register(self.master, selectors.EVENT_READ)
            while self.seen.count(wanted) < count:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    raise AssertionError(f"{wanted!r} never came; got {self.seen!r}")
                try:
                    piece = os.read(self.master, 65536)
                except OSError:  # EIO: the process closed the terminal
                    piece = b""
                if not piece:
                    raise AssertionError(f"the terminal closed before {wanted!r}: {self.seen!r}")
                self.seen += piece
        return self.seen

    def finish(self) -> int:
        try:
            code = self.process.wait(timeout=WAIT_S)
            while True:  # what is left on the terminal
                try:
                    piece = os.read(self.master, 65536)
                except OSError:
                    break
                if not piece:
                    break
                self.seen += piece
            return code
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            assert self.process.stderr is not None
            self.process.stderr.close()
            os.close(self.master)


def test_spinner_on_a_terminal_until_the_first_token(tmp_path: Path, loopback_server) -> None:
    base = tmp_path / "portable"
    save_profiles(base, loopback_profile(loopback_server.url()))
    held = ScriptedResponse(
        pieces=[b": waiting\n\n", sse_body(chat_chunk("Hello"), chat_chunk(finish="stop"))],
        hold_after=1,
    )
    loopback_server.enqueue(held)
    terminal = OnTerminal("ask", "--basedir", str(base), "hi")
    try:
        frame = SPINNER_FRAMES[0].encode()
        terminal.read_until(frame)  # spinning while the server holds the answer back
        held.release.set()
        terminal.read_until(b"Hello")
    finally:
        held.release.set()
        code = terminal.finish()
    assert code == 0
    before, _, after = terminal.seen.partition(b"Hello")
    assert before.endswith(b"\r  \r")  # the frame was wiped before the first word
    assert not any(f.encode() in after for f in SPINNER_FRAMES)  # and never came back
    assert ESC not in terminal.seen  # the answer itself is never coloured


def test_while_the_history_is_locked_the_spinner_keeps_turning_and_says_why(
    tmp_path: Path, loopback_server
) -> None:
    """The answer has come, but the turn cannot be written yet (another program holds the
    history locked): the spinner goes on turning, its line says what it waits for, and the
    note about it starts on a line of its own; once the lock goes, the answer follows."""
    base = tmp_path / "portable"
    save_profiles(base, loopback_profile(loopback_server.url()))
    with history(base):
        pass  # the file exists, so the lock below can be taken on it
    loopback_server.enqueue(ScriptedResponse(pieces=[sse_body(
        chat_chunk("Saved "), chat_chunk("at last."), chat_chunk(finish="stop"))]))
    lock = LockHolder(app_paths(base).database_file)
    terminal = OnTerminal("ask", "--basedir", str(base), "while locked")
    try:
        label = WAITING_LABEL.encode()
        terminal.read_until(label)
        waiting_from = terminal.seen.index(label)
        terminal.read_until(label, count=4)  # three more turns, still waiting
        frames = [terminal.seen[i - 4:i - 1].decode()  # the glyph before " " + label
                  for i in _positions(terminal.seen, label)]
        assert len(set(frames)) >= 3 and set(frames) <= set(SPINNER_FRAMES)  # it turns
        assert b"Saved" not in terminal.seen and terminal.process.poll() is None
        lock.release()
        terminal.read_until(b"Saved at last.")
    finally:
        lock.release()
        code = terminal.finish()
    assert code == 0
    assert b"Saved at last.\r\n" in terminal.seen[waiting_from:]
    before, _, _ = terminal.seen.partition(b"Saved at last.")
    assert before.endswith(b"\r" + b" " * (len(WAITING_LABEL) + 2) + b"\r")  # wiped whole
    with history(base) as store:
        [conversation] = store.list_conversations()
        assert [m.content for m in store.messages(conversation.id, limit=-1)] == [
            "while locked", "Saved at last."]


def _positions(seen: bytes, wanted: bytes) -> list[int]:
    found, start = [], 0
    while (index := seen.find(wanted, start)) >= 0:
        found.append(index)
        start = index + 1
    return found


def test_no_spinner_and_no_colour_in_a_pipe(tmp_path: Path, loopback_server) -> None:
    base = tmp_path / "portable"
    save_profiles(base, loopback_profile(loopback_server.url()))
    loopback_server.enqueue(ScriptedResponse(
        pieces=[b": waiting\n\n", sse_body(chat_chunk("Hello"), chat_chunk(finish="stop"))],
    ))
    done = run_cli("ask", "--basedir", str(base), "hi")
    assert done.returncode == 0 and done.stdout == "Hello\n"
    listed = run_cli("history", "list", "--basedir", str(base))
    assert "\x1b[" not in listed.stdout


def test_colour_on_a_terminal_unless_no_color(tmp_path: Path) -> None:
    base = tmp_path / "portable"
    with history(base) as store:
        store.create_conversation(title="coloured title")
    coloured = OnTerminal("history", "list", "--basedir", str(base))
    assert coloured.finish() == 0
    assert ESC in coloured.seen and b"coloured title" in coloured.seen
    plain = OnTerminal("history", "list", "--basedir", str(base), env=cli_env(NO_COLOR="1"))
    assert plain.finish() == 0
    assert ESC not in plain.seen and b"coloured title" in plain.seen
    never = OnTerminal("history", "list", "--color", "never", "--basedir", str(base))
    assert never.finish() == 0
    assert ESC not in never.seen
    forced = run_cli("history", "list", "--color", "always", "--basedir", str(base))
    assert "\x1b[" in forced.stdout  # asked for, even in a pipe


def test_an_unexpected_error_is_one_line_and_debug_shows_the_traceback(tmp_path: Path) -> None:
    base = tmp_path / "portable"
    with history(base) as store:
        conversation = store.create_conversation(title="damaged")
        store.add_user_message(conversation.id, "hello")
    # A bug: reading the branch raises what no handler expects. (Odd rows in the database no
    # longer do: storage reads any of them.) sitecustomize plants it in the CLI's process.
    planted = tmp_path / "site"
    planted.mkdir()
    (planted / "sitecustomize.py").write_text(
        "from desktopchat.storage.reading import HistoryReader\n"
        "def boom(*args, **kwargs):\n"
        "    raise RuntimeError('a bug nobody expected')\n"
        "HistoryReader.current_path = boom\n")
    env = cli_env(PYTHONPATH=f"{planted}{os.pathsep}{REPO}")
    quiet = run_cli("history", "show", str(conversation.id), "--basedir", str(base), env=env)
    assert quiet.returncode == 1
    [line] = quiet.stderr.splitlines()
    assert line.startswith("desktopchat: error: unexpected problem") and "--debug" in line
    loud = run_cli("history", "show", str(conversation.id), "--debug", "--basedir", str(base),
                   env=env)
    assert loud.returncode == 1
    assert "Traceback (most recent call last)" in loud.stderr
