"""`desktopchat ask` with tools: the same tools.json as the window, the real MCP test server,
asked about on the terminal or approved with --yes, results kept in the history."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from desktopchat.paths import app_paths
from desktopchat.settings.tool_settings import ToolSettings, ToolSettingsStore
from tests.support.cli_process import (
    REPO,
    cli_env,
    command,
    history,
    loopback_profile,
    save_profiles,
)
from tests.support.loopback import LoopbackServer, ScriptedResponse
from tests.support.sse_script import chat_chunk, sse_body
from tests.support.tool_servers import process_gone, read_pid, stdio_spec


def tool_call(name: str, arguments: dict[str, Any]) -> ScriptedResponse:
    return ScriptedResponse(pieces=[sse_body(
        chat_chunk(tool_calls=[{"index": 0, "id": "c0", "type": "function",
                                "function": {"name": name, "arguments": json.dumps(arguments)}}]),
        chat_chunk(finish="tool_calls"),
    )])


def answer(text: str) -> ScriptedResponse:
    return ScriptedResponse(pieces=[sse_body(chat_chunk(text), chat_chunk(finish="stop"))])


@pytest.fixture
def basedir(tmp_path: Path, loopback_server: LoopbackServer) -> Path:
    base = tmp_path / "portable"
    save_profiles(base, loopback_profile(loopback_server.url(), model="m1"))
    spec = stdio_spec("testtools", "--pidfile", str(tmp_path / "server.pid"))
    ToolSettingsStore(app_paths(base).ensure().tools_file).save(ToolSettings(servers=(spec,)))
    return base


def ask(basedir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # A new session has no controlling terminal: /dev/tty cannot be opened, as in CI or cron.
    return subprocess.run(command("ask", "--basedir", str(basedir), *args), cwd=REPO,
                          env=cli_env(), stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=120, check=False, start_new_session=True)


def test_yes_runs_the_tool_and_prints_the_next_reply(
    basedir: Path, loopback_server: LoopbackServer, tmp_path: Path
) -> None:
    loopback_server.enqueue(tool_call("add", {"a": 20, "b": 22}))
    loopback_server.enqueue(answer("It is 42."))
    done = ask(basedir, "--yes", "add 20 and 22")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "It is 42."
    assert "tool add: 42" in done.stderr
    first, second = (r.json() for r in loopback_server.requests)
    assert "add" in {t["function"]["name"] for t in first["tools"]}
    assert second["messages"][-1] == {"role": "tool", "content": "42", "tool_call_id": "c0"}
    with history(basedir) as store:
        [conversation] = store.list_conversations()
        roles = [m.role for m in store.current_path(conversation.id)]
    assert roles == ["user", "assistant", "tool", "assistant"]
    assert process_gone(read_pid(tmp_path / "server.pid"))  # the command stopped it


def test_without_yes_and_no_terminal_the_call_is_denied(
    basedir: Path, loopback_server: LoopbackServer
) -> None:
    loopback_server.enqueue(tool_call("echo", {"text": "hi"}))
    loopback_server.enqueue(answer("Understood, no tools."))
    done = ask(basedir, "echo hi")
    assert done.returncode == 0, done.stderr
    assert "no terminal to ask on" in done.stderr and "--yes" in done.stderr
    sent = loopback_server.requests[1].json()["messages"][-1]
    assert sent["role"] == "tool" and "denied" in sent["content"]
    assert done.stdout.strip() == "Understood, no tools."
