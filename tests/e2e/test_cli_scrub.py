"""Issue 10 §2: `desktopchat ask` prints no form of the key a server echoes, in the reply
text (stdout) or the reasoning (stderr), also when the stream breaks off mid-key.

A real `python -m desktopchat ask` against the loopback server; the key comes from
--key-from-env, and tests/support/key_forms.py (written apart from the code under test)
looks for it in what the process printed.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.cli_process import cli_env, history, interrupt_after, run_cli, start_cli
from tests.support.key_forms import json_escaped, leaks, percent
from tests.support.loopback import LoopbackServer, ScriptedResponse
from tests.support.sse_script import chat_chunk, sse_body

KEY = "sk-cli-scrub-5Tg8Mw2Qz7Lp4Xc9Rb1N"


def ask(base: Path, server: LoopbackServer, *extra: str) -> tuple[int, str, str]:
    done = run_cli("ask", "--basedir", str(base), "--url", server.url(),
                   "--key-from-env", "MY_TEST_KEY", *extra, "hi",
                   env=cli_env(MY_TEST_KEY=KEY))
    return done.returncode, done.stdout, done.stderr


def test_a_key_echoed_plainly_and_escaped_is_printed_nowhere(
    tmp_path: Path, loopback_server: LoopbackServer
) -> None:
    escaped = json_escaped(KEY, 3)  # some characters \u-escaped, the rest plain
    loopback_server.enqueue(ScriptedResponse(pieces=[sse_body(
        chat_chunk(reasoning=f"Thinking: the header was {KEY[:9]}"),
        chat_chunk(reasoning=f"{KEY[9:]} so I repeat it "),
        chat_chunk(reasoning=f"as {percent(KEY)} too."),
        chat_chunk(f"Your key is {escaped[:20]}"), chat_chunk(f"{escaped[20:]} and "),
        chat_chunk(f"plainly {KEY[:14]}"), chat_chunk(f"{KEY[14:]}, goodbye."),
        chat_chunk(finish="stop"))]))  # fmt: skip
    status, out, err = ask(tmp_path / "base", loopback_server, "--reasoning")
    assert status == 0, err
    assert leaks(out, KEY) == [] and leaks(err, KEY) == []
    assert out.startswith("Your key is ") and out.endswith(", goodbye.\n")
    assert " and plainly " in out and "[redacted]" in out
    assert "Thinking: the header was " in err and " so I repeat it as " in err
    assert " too." in err and "[redacted]" in err


def test_a_stream_that_breaks_off_mid_key_prints_the_scrubbed_partial_text(
    tmp_path: Path, loopback_server: LoopbackServer
) -> None:
    base = tmp_path / "base"
    loopback_server.enqueue(ScriptedResponse(
        pieces=[sse_body(chat_chunk(reasoning=f"about to echo {KEY[:11]}"),
                         chat_chunk(f"Half an answer then {json_escaped(KEY)}"),
                         done=False),
                sse_body(chat_chunk(" never sent"), chat_chunk(finish="stop"))],
        drop_after=1,
    ))
    status, out, err = ask(base, loopback_server, "--reasoning")
    assert status == 1
    assert "connection broke" in err
    assert leaks(out, KEY) == [] and leaks(err, KEY) == []
    assert out == "Half an answer then [redacted]\n"  # the held last word, scrubbed, shown
    assert err.startswith("about to echo [redacted]\n")
    with history(base) as store:
        [conversation] = store.list_conversations()
        reply = store.messages(conversation.id, limit=-1)[-1]
    assert (reply.content, reply.state) == ("Half an answer then [redacted]", "interrupted")


def test_ctrl_c_mid_key_prints_the_held_word_scrubbed(
    tmp_path: Path, loopback_server: LoopbackServer
) -> None:
    base = tmp_path / "base"
    held = ScriptedResponse(  # one delta: the words are printed, the key's start held
        pieces=[sse_body(chat_chunk(f"so far the key {KEY[:12]}"), done=False),
                sse_body(chat_chunk(f"{KEY[12:]} never"))],
        hold_after=1,
    )
    loopback_server.enqueue(held)
    process = start_cli("ask", "--basedir", str(base), "--url", loopback_server.url(),
                        "--key-from-env", "MY_TEST_KEY", "hi", env=cli_env(MY_TEST_KEY=KEY))
    seen, out, err = interrupt_after(process, b"so far the key ")
    assert process.returncode == 130, err
    assert seen == b"so far the key "  # the unfinished word was held back...
    assert out == b"[redacted]\n"  # ...and printed scrubbed once the stream stopped
    assert b"Traceback" not in err
