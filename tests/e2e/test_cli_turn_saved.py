"""`ask` sends its request before it writes the turn (cli/pending.py), and still keeps the
user's message on every way out: a request that never got through, a history another
program holds locked, Ctrl+C before the first byte of the reply."""

from __future__ import annotations

import signal
import socket
import time
from pathlib import Path

import pytest

from desktopchat.paths import app_paths
from tests.support.cli_process import (
    WAIT_S,
    history,
    loopback_profile,
    read_until,
    run_cli,
    save_profiles,
    start_cli,
)
from tests.support.history_lock import LockHolder
from tests.support.loopback import LoopbackServer, ScriptedResponse
from tests.support.sse_script import chat_chunk, sse_body


@pytest.fixture
def basedir(tmp_path: Path, loopback_server: LoopbackServer) -> Path:
    base = tmp_path / "portable"
    save_profiles(base, loopback_profile(loopback_server.url(), model="m1"))
    return base


def closed_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        return int(listener.getsockname()[1])


def wait_for_request(server: LoopbackServer, count: int = 1) -> None:
    deadline = time.monotonic() + WAIT_S
    while len(server.requests) < count:
        assert time.monotonic() < deadline, "the request never arrived"
        time.sleep(0.01)  # polling a condition with a deadline, not timing a race


def test_a_request_that_never_got_through_keeps_the_message(tmp_path: Path) -> None:
    base = tmp_path / "bare"
    url = f"http://127.0.0.1:{closed_port()}/v1/chat/completions"
    done = run_cli("ask", "--basedir", str(base), "--url", url, "are you there?")
    assert done.returncode == 1
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith("desktopchat: error: Could not reach 127.0.0.1")
    with history(base) as store:
        [conversation] = store.list_conversations()
        user, reply = store.messages(conversation.id, limit=-1)
    assert (user.role, user.content, user.state) == ("user", "are you there?", "complete")
    assert reply.state == "error" and "Could not reach" in (reply.error or "")


def test_the_request_leaves_while_the_history_is_locked_and_the_turn_is_saved_after(
    basedir: Path, loopback_server: LoopbackServer
) -> None:
    loopback_server.enqueue(ScriptedResponse(pieces=[sse_body(
        chat_chunk("Saved "), chat_chunk("at last."), chat_chunk(finish="stop"))]))
    with history(basedir) as store:
        store.create_conversation(title="older", profile="local")
    lock = LockHolder(app_paths(basedir).database_file)
    process = start_cli("ask", "--basedir", str(basedir), "while locked")
    try:
        wait_for_request(loopback_server)  # sent although the turn cannot be written yet
        assert loopback_server.requests[0].json()["messages"][-1]["content"] == "while locked"
        noted = read_until(process, b"holds the history locked", stream="stderr")
        assert process.poll() is None  # waiting for the history, not given up
        lock.release()
        out, err = process.communicate(timeout=WAIT_S)
    finally:
        lock.release()
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, noted + err
    assert out == b"Saved at last.\n"
    assert b"Traceback" not in noted + err
    with history(basedir) as store:
        titles = sorted(c.title for c in store.list_conversations())
        assert titles == ["older", "while locked"]  # written once, after the wait
        [conversation] = [c for c in store.list_conversations() if c.title == "while locked"]
        messages = store.messages(conversation.id, limit=-1)
    assert [(m.role, m.content, m.state) for m in messages] == [
        ("user", "while locked", "complete"),
        ("assistant", "Saved at last.", "complete"),
    ]


def test_ctrl_c_before_the_first_byte_of_the_reply_keeps_the_message(
    basedir: Path, loopback_server: LoopbackServer
) -> None:
    held = ScriptedResponse(pieces=[sse_body(chat_chunk("never shown"))], hold_after=0)
    loopback_server.enqueue(held)
    process = start_cli("ask", "--basedir", str(basedir), "-s", "Be brief.", "a question")
    try:
        wait_for_request(loopback_server)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=WAIT_S)
    finally:
        held.release.set()
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 130, err
    assert out == b"" and b"Traceback" not in err
    with history(basedir) as store:
        [conversation] = store.list_conversations()
        messages = store.messages(conversation.id, limit=-1)
    assert [(m.role, m.content, m.state) for m in messages] == [
        ("system", "Be brief.", "complete"),
        ("user", "a question", "complete"),
        ("assistant", "", "stopped"),
    ]
