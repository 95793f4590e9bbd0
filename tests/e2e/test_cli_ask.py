"""`desktopchat ask` as a real process against the loopback server: streaming, stdin, exit codes.

Each test starts `python -m desktopchat ask` with --basedir in tmp_path and reads the
history file afterwards, the way the GUI would.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktopchat.paths import app_paths
from tests.support.cli_process import (
    cli_env,
    history,
    interrupt_after,
    loopback_profile,
    read_until,
    run_cli,
    run_probed,
    save_profiles,
    start_cli,
)
from tests.support.loopback import LoopbackServer, ScriptedResponse
from tests.support.sse_script import chat_chunk, sse_body

KEY = "sk-cli-test-0123456789abcdef"


def answer(server: LoopbackServer, *pieces: str, reasoning: str | None = None) -> None:
    chunks = ([chat_chunk(reasoning=reasoning)] if reasoning else []) + [
        chat_chunk(p) for p in pieces
    ]
    server.enqueue(ScriptedResponse(pieces=[sse_body(*chunks, chat_chunk(finish="stop"))]))


@pytest.fixture
def basedir(tmp_path: Path, loopback_server: LoopbackServer) -> Path:
    base = tmp_path / "portable"
    save_profiles(base, loopback_profile(loopback_server.url(), model="m1"))
    return base


def test_ask_prints_the_reply_and_saves_the_turn(basedir: Path, loopback_server) -> None:
    answer(loopback_server, "The capital ", "is Paris.")
    done = run_cli("ask", "--basedir", str(basedir), "Capital of France?")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "The capital is Paris.\n"
    assert done.stderr == ""
    [request] = loopback_server.requests
    body = request.json()
    assert body["messages"] == [{"role": "user", "content": "Capital of France?"}]
    assert body["model"] == "m1" and body["stream"] is True
    with history(basedir) as store:
        [conversation] = store.list_conversations()
        assert conversation.title == "Capital of France?"
        assert conversation.profile == "local"
        messages = store.messages(conversation.id, limit=-1)
    assert [(m.role, m.content, m.state) for m in messages] == [
        ("user", "Capital of France?", "complete"),
        ("assistant", "The capital is Paris.", "complete"),
    ]


def test_stdout_grows_while_the_server_is_still_sending(basedir: Path, loopback_server) -> None:
    held = ScriptedResponse(
        pieces=[
            sse_body(chat_chunk("first words "), done=False),
            sse_body(chat_chunk("and the rest"), chat_chunk(finish="stop")),
        ],
        hold_after=1,
    )
    loopback_server.enqueue(held)
    process = start_cli("ask", "--basedir", str(basedir), "stream please")
    try:
        seen = read_until(process, b"first words ")
        assert process.poll() is None  # still running: the server holds the rest back
        assert b"and the rest" not in seen
        held.release.set()
        out, err = process.communicate(timeout=30)
    finally:
        held.release.set()
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert seen + out == b"first words and the rest\n"


def test_stdin_is_the_message_and_text_comes_first(basedir: Path, loopback_server) -> None:
    answer(loopback_server, "Looks fine.")
    diff = "--- a/x.py\n+++ b/x.py\n+print('hi')\n"
    done = run_cli("ask", "--basedir", str(basedir), "review this", input=diff)
    assert done.returncode == 0, done.stderr
    sent = loopback_server.requests[0].json()["messages"][-1]["content"]
    assert sent == "review this\n\n" + diff.rstrip("\n")
    only_stdin = run_cli("ask", "--basedir", str(basedir), input="just stdin\n")
    assert only_stdin.returncode == 1  # no answer queued: HTTP 500, but the text was sent
    assert loopback_server.requests[1].json()["messages"][-1]["content"] == "just stdin"


def test_continue_and_conversation_id_send_the_history(basedir: Path, loopback_server) -> None:
    answer(loopback_server, "One.")
    answer(loopback_server, "Two.")
    answer(loopback_server, "Three.")
    assert run_cli("ask", "--basedir", str(basedir), "first").returncode == 0
    assert run_cli("ask", "--basedir", str(basedir), "--continue", "second").returncode == 0
    with history(basedir) as store:
        [conversation] = store.list_conversations()
    again = run_cli("ask", "--basedir", str(basedir), "-c", str(conversation.id), "third")
    assert again.returncode == 0, again.stderr
    sent = [m["content"] for m in loopback_server.requests[2].json()["messages"]]
    assert sent == ["first", "One.", "second", "Two.", "third"]
    with history(basedir) as store:
        assert len(store.list_conversations()) == 1
        assert store.count_messages(conversation.id) == 6


def test_system_temperature_and_model_options(basedir: Path, loopback_server) -> None:
    answer(loopback_server, "Arr.")
    done = run_cli(
        "ask", "--basedir", str(basedir), "-s", "Talk like a pirate.", "--temperature", "0.3",
        "-m", "m2", "hello",
    )
    assert done.returncode == 0, done.stderr
    body = loopback_server.requests[0].json()
    assert body["messages"] == [
        {"role": "system", "content": "Talk like a pirate."},
        {"role": "user", "content": "hello"},
    ]
    assert body["temperature"] == 0.3 and body["model"] == "m2"
    answer(loopback_server, "Aye.")
    assert run_cli("ask", "--basedir", str(basedir), "--continue", "more").returncode == 0
    again = loopback_server.requests[1].json()["messages"]
    assert again[0] == {"role": "system", "content": "Talk like a pirate."}  # kept with the chat


def test_reasoning_goes_to_stderr_only_when_asked(basedir: Path, loopback_server) -> None:
    answer(loopback_server, "42", reasoning="thinking hard")
    quiet = run_cli("ask", "--basedir", str(basedir), "q")
    assert quiet.stdout == "42\n" and "thinking" not in quiet.stderr
    answer(loopback_server, "42", reasoning="thinking hard")
    loud = run_cli("ask", "--basedir", str(basedir), "--reasoning", "q")
    assert loud.stdout == "42\n"
    assert "thinking hard" in loud.stderr


def test_http_error_exits_1_with_one_line_and_keeps_the_turn(
    basedir: Path, loopback_server
) -> None:
    loopback_server.enqueue(ScriptedResponse(
        401, {"Content-Type": "application/json"},
        [b'{"error": {"message": "Incorrect API key provided"}}'],
    ))
    done = run_cli("ask", "--basedir", str(basedir), "hello")
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("desktopchat: error: ")
    assert "HTTP 401" in lines[0] and "Incorrect API key provided" in lines[0]
    assert "Traceback" not in done.stderr
    with history(basedir) as store:
        [conversation] = store.list_conversations()
        user, reply = store.messages(conversation.id, limit=-1)
    assert user.content == "hello"
    assert reply.state == "error" and "HTTP 401" in (reply.error or "")


def test_a_dropped_stream_exits_1_and_keeps_the_partial_reply(
    basedir: Path, loopback_server
) -> None:
    loopback_server.enqueue(ScriptedResponse(
        pieces=[sse_body(chat_chunk("half an "), done=False), sse_body(chat_chunk("answer"))],
        drop_after=1,
    ))
    done = run_cli("ask", "--basedir", str(basedir), "hello")
    assert done.returncode == 1
    assert done.stdout == "half an \n"
    assert len(done.stderr.splitlines()) == 1 and "connection broke" in done.stderr
    with history(basedir) as store:
        [conversation] = store.list_conversations()
        reply = store.messages(conversation.id, limit=-1)[-1]
    assert (reply.content, reply.state) == ("half an ", "interrupted")


def test_ctrl_c_exits_130_and_keeps_the_partial_reply_as_stopped(
    basedir: Path, loopback_server
) -> None:
    held = ScriptedResponse(
        pieces=[sse_body(chat_chunk("so far "), done=False), sse_body(chat_chunk("never"))],
        hold_after=1,
    )
    loopback_server.enqueue(held)
    process = start_cli("ask", "--basedir", str(basedir), "long story")
    seen, out, err = interrupt_after(process, b"so far ")
    assert process.returncode == 130, err
    assert seen + out == b"so far \n"
    assert b"Traceback" not in err
    with history(basedir) as store:
        [conversation] = store.list_conversations()
        reply = store.messages(conversation.id, limit=-1)[-1]
    assert (reply.content, reply.state) == ("so far ", "stopped")


@pytest.mark.parametrize(
    "args",
    [
        ["ask", "--no-such-option", "hi"],
        ["ask"],  # no text and nothing on stdin
        ["ask", "-c", "1", "--continue", "hi"],
        ["ask", "-p", "nobody", "hi"],
        ["ask", "--temperature", "7", "hi"],
        ["ask", "--url", "ftp://example.com/x", "hi"],
        ["ask", "--key-from-env", "DESKTOPCHAT_TEST_UNSET", "hi"],
        ["history"],
        ["export", "--format", "md"],
    ],
    ids=lambda a: " ".join(a),
)
def test_usage_errors_exit_2_and_change_nothing(basedir: Path, args: list[str]) -> None:
    done = run_cli(*args, "--basedir", str(basedir))
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr.strip() and "Traceback" not in done.stderr
    with history(basedir) as store:
        assert store.count_conversations() == 0


def test_url_sends_no_key_unless_key_from_env(tmp_path: Path, loopback_server) -> None:
    base = tmp_path / "bare"
    answer(loopback_server, "no key")
    done = run_cli("ask", "--basedir", str(base), "--url", loopback_server.url(), "hi")
    assert done.returncode == 0, done.stderr
    assert "authorization" not in loopback_server.requests[0].headers
    answer(loopback_server, "with key")
    env = cli_env(MY_TEST_KEY=KEY)
    done = run_cli("ask", "--basedir", str(base), "--url", loopback_server.url(),
                   "--key-from-env", "MY_TEST_KEY", "hi", env=env)
    assert done.returncode == 0, done.stderr
    assert loopback_server.requests[1].headers["authorization"] == f"Bearer {KEY}"
    with history(base) as store:
        labels = {c.profile for c in store.list_conversations()}
    assert labels == {loopback_server.url()}


def test_a_key_never_goes_over_plain_http_to_another_host(tmp_path: Path) -> None:
    base = tmp_path / "bare"
    env = cli_env(MY_TEST_KEY=KEY)
    # 192.0.2.1 is TEST-NET-1: refused before any connection is tried.
    done = run_cli("ask", "--basedir", str(base), "--url", "http://192.0.2.1/v1/chat/completions",
                   "--key-from-env", "MY_TEST_KEY", "hi", env=env)
    assert done.returncode == 1
    assert "plain http" in done.stderr and KEY not in done.stderr
    with history(base) as store:
        assert store.count_conversations() == 0  # refused before anything was written


def test_ask_json_shape(basedir: Path, loopback_server) -> None:
    answer(loopback_server, "Fine.")
    done = run_cli("ask", "--basedir", str(basedir), "--json", "how are you")
    assert done.returncode == 0, done.stderr
    shape = json.loads(done.stdout)
    assert set(shape) == {
        "conversation_id", "id", "parent_id", "role", "content", "reasoning", "tool_calls",
        "state", "finish_reason", "usage", "error", "profile", "model", "created_at",
        "updated_at",
    }
    assert (shape["profile"], shape["model"]) == ("local", "m1")
    assert (shape["content"], shape["state"], shape["role"]) == ("Fine.", "complete", "assistant")
    assert shape["finish_reason"] == "stop"


def test_ask_never_imports_qt(basedir: Path, loopback_server) -> None:
    answer(loopback_server, "no Qt here")
    done = run_probed("ask", "--basedir", str(basedir), "hi")
    assert done.code == 0, done.stderr
    assert done.loaded("PySide6", "shiboken6", "qasync", "desktopchat.ui") == []
    assert done.stdout == "no Qt here\n"


def test_regenerate_keeps_the_old_reply_beside_the_new(basedir: Path, loopback_server) -> None:
    answer(loopback_server, "First answer.")
    assert run_cli("ask", "--basedir", str(basedir), "tell me a joke").returncode == 0
    answer(loopback_server, "Second answer.")
    done = run_cli("regenerate", "--basedir", str(basedir), "--continue", "-m", "m9")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Second answer.\n"
    sent = loopback_server.requests[1].json()
    assert sent["messages"] == [{"role": "user", "content": "tell me a joke"}]  # not the old
    assert sent["model"] == "m9"
    with history(basedir) as store:
        [conversation] = store.list_conversations()
        path = store.current_path(conversation.id)
        assert [(m.role, m.content) for m in path] == [
            ("user", "tell me a joke"), ("assistant", "Second answer.")]
        versions = store.siblings(path[-1].id)
    assert [(m.content, m.model) for m in versions] == [
        ("First answer.", "m1"), ("Second answer.", "m9")]
    shown = json.loads(run_cli("history", "show", str(conversation.id), "--json",
                               "--basedir", str(basedir)).stdout)
    assert [m["content"] for m in shown["messages"]] == ["tell me a joke", "Second answer."]


def test_regenerate_with_nothing_to_regenerate_says_so(tmp_path: Path) -> None:
    done = run_cli("regenerate", "--basedir", str(tmp_path / "empty"))
    assert done.returncode == 1
    assert done.stderr.startswith("desktopchat: error: ") and "no conversation" in done.stderr


def test_an_echoed_key_is_not_stored_by_ask(tmp_path: Path, loopback_server) -> None:
    """Issue 10: `ask` hands the reply to storage through the same scrub as the window."""
    base = tmp_path / "bare"
    loopback_server.enqueue(ScriptedResponse(pieces=[sse_body(
        chat_chunk(reasoning=f"the key {KEY}"), chat_chunk(f"Echo: {KEY[:16]}"),
        chat_chunk(f"{KEY[16:]}!", finish="stop"))]))  # fmt: skip
    done = run_cli("ask", "--basedir", str(base), "--url", loopback_server.url(),
                   "--key-from-env", "MY_TEST_KEY", "hi", env=cli_env(MY_TEST_KEY=KEY))
    assert done.returncode == 0, done.stderr
    with history(base) as store:
        [conversation] = store.list_conversations()
        reply = store.messages(conversation.id, limit=-1)[-1]
    assert reply.content == "Echo: [redacted]!" and reply.reasoning == "the key [redacted]"
    database = app_paths(base).database_file.read_bytes()
    for i in range(len(KEY) - 7):
        assert KEY[i : i + 8].encode() not in database


def test_a_reader_that_goes_away_leaves_the_reply_saved_as_stopped(
    basedir: Path, loopback_server
) -> None:
    held = ScriptedResponse(
        pieces=[sse_body(chat_chunk("first part "), done=False),
                sse_body(chat_chunk("second part"), chat_chunk(finish="stop"))],
        hold_after=1,
    )
    loopback_server.enqueue(held)
    process = start_cli("ask", "--basedir", str(basedir), "hi")  # as in `ask hi | head -c 5`
    try:
        read_until(process, b"first part ")
        assert process.stdout is not None
        process.stdout.close()
        held.release.set()
        _, err = process.communicate(timeout=30)
    finally:
        held.release.set()
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 1
    assert b"Traceback" not in err and b"Exception ignored" not in err
    with history(basedir) as store:
        [conversation] = store.list_conversations()
        reply = store.messages(conversation.id, limit=-1)[-1]
    assert reply.state == "stopped" and reply.content.startswith("first part ")
