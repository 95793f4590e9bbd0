"""The tool loop end to end in the real window: the loopback chat server asks for tools of
the real MCP test server; approve, deny, always, parallel calls, step limit, Stop mid-tool,
a crashing server, and no server process left after quit."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint

from desktopchat.settings.tool_settings import ToolSettings, ToolSettingsStore
from desktopchat.tools import ToolHost
from desktopchat.ui.tool_loop import ToolSetup
from tests.support.loopback import ScriptedResponse
from tests.support.qt_loop import ChatEnv, QtLoop, wait_until
from tests.support.sse_script import chat_chunk, sse_body
from tests.support.tool_servers import process_gone, read_pid, stdio_spec


def calls(*named: tuple[str, dict[str, Any]]) -> ScriptedResponse:
    """A streamed reply that asks for these tools (ids c0, c1, ...), arguments in pieces."""
    chunks = [chat_chunk(role="assistant")]
    for index, (name, arguments) in enumerate(named):
        text = json.dumps(arguments)
        chunks.append(chat_chunk(tool_calls=[{"index": index, "id": f"c{index}",
                                              "type": "function",
                                              "function": {"name": name, "arguments": ""}}]))
        for piece in (text[: len(text) // 2], text[len(text) // 2 :]):
            chunks.append(chat_chunk(tool_calls=[{"index": index,
                                                  "function": {"arguments": piece}}]))
    chunks.append(chat_chunk(finish="tool_calls"))
    return ScriptedResponse(pieces=[sse_body(*chunks)])


def answer(text: str) -> ScriptedResponse:
    return ScriptedResponse(pieces=[sse_body(chat_chunk(text), chat_chunk(finish="stop"))])


@pytest.fixture
def tool_window(chat_env: ChatEnv, qtbot: Any, tmp_path: Path) -> Iterator[Any]:
    from desktopchat.app import wire
    from desktopchat.settings import LoadResult, WindowStateStore

    pidfile = tmp_path / "server.pid"
    setup = ToolSetup(
        ToolHost(connect_timeout=60.0, call_timeout=30.0),
        ToolSettingsStore(tmp_path / "tools.json"),
        ToolSettings(servers=(stdio_spec("testtools", "--pidfile", str(pidfile),
                                         DESKTOPCHAT_TEST_SLOW_MARKER=str(tmp_path / "slow")),),
                     step_limit=3),
    )
    built = wire(chat_env.store, chat_env.settings_store, LoadResult(chat_env.settings),
                 WindowStateStore(tmp_path / "window.json"), secrets=chat_env.secrets,
                 tools=setup)
    window = built.window
    window.pidfile = pidfile
    qtbot.addWidget(window)
    window.resize(1000, 700)
    window.show()
    yield window
    window._close_confirmed = True
    setup.host.shutdown()


async def cards(window: Any, count: int) -> list[Any]:
    await wait_until(lambda: len(window.tool_approval.cards()) >= count)
    return window.tool_approval.cards()


async def idle(window: Any) -> None:
    await window.controller.wait_idle()


def sent_messages(env: ChatEnv, index: int) -> list[dict[str, Any]]:
    return env.server.requests[index].json()["messages"]


def test_approve_runs_the_tool_and_the_model_answers_with_its_result(
    chat_env: ChatEnv, tool_window: Any, qasync_loop: QtLoop
) -> None:
    chat_env.server.enqueue(calls(("add", {"a": 2, "b": 3})))
    chat_env.server.enqueue(answer("The sum is 5."))

    async def scenario() -> None:
        assert tool_window.controller.send("add 2 and 3")
        (card,) = await cards(tool_window, 1)
        assert card.title.text() == "add · testtools"
        assert tool_window.controller.is_streaming(tool_window.controller.current_id)
        card.run_button.click()
        await wait_until(lambda: len(chat_env.server.requests) == 2)
        await idle(tool_window)

    qasync_loop.run(scenario(), timeout=120)
    offered = {t["function"]["name"] for t in chat_env.server.requests[0].json()["tools"]}
    assert {"add", "echo", "slow", "image"} <= offered
    second = sent_messages(chat_env, 1)
    assert second[1]["tool_calls"][0]["function"] == {"name": "add",
                                                      "arguments": '{"a": 2, "b": 3}'}
    assert second[2] == {"role": "tool", "content": "5", "tool_call_id": "c0"}
    path = chat_env.store.current_path(tool_window.controller.current_id)
    assert [m.role for m in path] == ["user", "assistant", "tool", "assistant"]
    assert path[2].tool_calls[0]["decision"] == "run"
    assert path[-1].content == "The sum is 5."
    assert not tool_window.tool_approval.isVisible()
    shown = tool_window.chat_view.rendered_html(path[2].id)
    assert "Tool result · add (testtools) · approved" in shown and "Tool call" not in shown


def test_an_image_a_tool_returns_is_shown_inline(
    chat_env: ChatEnv, tool_window: Any, qasync_loop: QtLoop
) -> None:
    chat_env.server.enqueue(calls(("image", {})))
    chat_env.server.enqueue(answer("A red pixel."))

    async def scenario() -> None:
        assert tool_window.controller.send("draw")
        (card,) = await cards(tool_window, 1)
        card.run_button.click()
        await idle(tool_window)

    qasync_loop.run(scenario(), timeout=120)
    path = chat_env.store.current_path(tool_window.controller.current_id)
    row = next(m for m in path if m.role == "tool")
    assert row.tool_calls[0]["images"][0]["mime_type"] == "image/png"
    assert "[image: image/png" in row.content  # what the model was told
    shown = tool_window.chat_view.rendered_html(row.id)
    assert "attachment-thumb-0" in shown and "image 1" in shown


def test_deny_and_always_in_parallel_calls_and_always_is_remembered(
    chat_env: ChatEnv, tool_window: Any, qasync_loop: QtLoop, tmp_path: Path
) -> None:
    chat_env.server.enqueue(calls(("echo", {"text": "hi"}), ("image", {})))
    chat_env.server.enqueue(answer("Done."))
    chat_env.server.enqueue(calls(("echo", {"text": "again"})))
    chat_env.server.enqueue(answer("Echoed without asking."))

    async def scenario() -> None:
        assert tool_window.controller.send("echo and draw")
        echo, image = await cards(tool_window, 2)  # shown together
        image.deny_button.click()
        echo.always_button.click()
        await wait_until(lambda: len(chat_env.server.requests) == 2)
        await idle(tool_window)
        assert tool_window.controller.send("once more")
        await wait_until(lambda: len(chat_env.server.requests) == 4)
        await idle(tool_window)

    qasync_loop.run(scenario(), timeout=120)
    tools = {m["tool_call_id"]: m["content"] for m in sent_messages(chat_env, 1)
             if m["role"] == "tool"}
    assert tools["c0"] == "hi"
    assert tools["c1"] == "Error: The user denied running the tool 'image'."
    last = sent_messages(chat_env, 3)
    assert last[-1] == {"role": "tool", "content": "again", "tool_call_id": "c0"}
    saved = ToolSettingsStore(tmp_path / "tools.json").load().settings
    assert saved.always_allowed == frozenset({("testtools", "echo")})


@pytest.mark.expected_log(r"desktopchat\.ui\.controller: Stopped after 3 tool steps")
def test_the_step_limit_stops_the_loop_with_a_message(
    chat_env: ChatEnv, tool_window: Any, qasync_loop: QtLoop
) -> None:
    for _ in range(4):
        chat_env.server.enqueue(calls(("echo", {"text": "loop"})))
    tool_window.controller.set_tool_settings(
        tool_window.controller.tools.settings.allow_always("testtools", "echo"))
    problems: list[str] = []
    tool_window.controller.problem_reported.connect(problems.append)

    async def scenario() -> None:
        assert tool_window.controller.send("loop forever")
        await wait_until(lambda: any("3 tool steps" in p for p in problems))
        await idle(tool_window)

    qasync_loop.run(scenario(), timeout=120)
    assert len(chat_env.server.requests) == 4  # the first reply and three tool steps
    path = chat_env.store.current_path(tool_window.controller.current_id)
    assert [m.role for m in path].count("tool") == 3


def test_stop_mid_tool_cancels_it_and_keeps_everything(
    chat_env: ChatEnv, tool_window: Any, qasync_loop: QtLoop, tmp_path: Path
) -> None:
    chat_env.server.enqueue(calls(("slow", {"seconds": 120}), ("add", {"a": 1, "b": 1})))
    marker = tmp_path / "slow"

    async def scenario() -> None:
        assert tool_window.controller.send("slow please")
        slow, add = await cards(tool_window, 2)
        add.run_button.click()
        slow.run_button.click()
        conversation = tool_window.controller.current_id
        await wait_until(lambda: marker.exists() and marker.read_text() == "started")
        await wait_until(lambda: any(
            m.role == "tool" for m in chat_env.store.current_path(conversation)))
        tool_window.controller.stop()
        await idle(tool_window)

    qasync_loop.run(scenario(), timeout=120)
    assert len(chat_env.server.requests) == 1  # no next reply after Stop
    path = chat_env.store.current_path(tool_window.controller.current_id)
    results = {m.tool_calls[0]["name"]: m for m in path if m.role == "tool"}
    assert results["add"].content == "2"
    assert results["slow"].state == "stopped"
    assert "stopped this tool call" in results["slow"].content
    qasync_loop.run(wait_until(lambda: marker.read_text() == "cancelled"))
    assert not tool_window.tool_approval.isVisible()


@pytest.mark.expected_log(
    r"desktopchat\.ui\.controller: MCP server 'testtools' stopped "
    r"while running"
)
def test_a_crashing_server_stops_the_loop_with_a_clear_message(
    chat_env: ChatEnv, tool_window: Any, qasync_loop: QtLoop
) -> None:
    chat_env.server.enqueue(calls(("crash", {})))
    problems: list[str] = []
    tool_window.controller.problem_reported.connect(problems.append)

    async def scenario() -> None:
        assert tool_window.controller.send("crash it")
        (card,) = await cards(tool_window, 1)
        card.run_button.click()
        await wait_until(lambda: bool(problems))
        await idle(tool_window)

    qasync_loop.run(scenario(), timeout=120)
    assert "stopped while running 'crash'" in problems[0] and "loop stopped" in problems[0]
    assert len(chat_env.server.requests) == 1
    path = chat_env.store.current_path(tool_window.controller.current_id)
    assert path[-1].role == "tool" and path[-1].tool_calls[0]["is_error"] is True


def test_no_server_process_is_left_after_quit(
    chat_env: ChatEnv, tool_window: Any, qasync_loop: QtLoop
) -> None:
    chat_env.server.enqueue(calls(("add", {"a": 1, "b": 2})))
    chat_env.server.enqueue(answer("3"))

    async def scenario() -> None:
        assert tool_window.controller.send("add")
        (card,) = await cards(tool_window, 1)
        card.run_button.click()
        await idle(tool_window)
        await tool_window.controller.aclose()

    qasync_loop.run(scenario(), timeout=120)
    assert process_gone(read_pid(tool_window.pidfile))


def test_a_chat_offers_only_the_tools_chosen_for_it(
    chat_env: ChatEnv, tool_window: Any, qasync_loop: QtLoop, tmp_path: Path
) -> None:
    chat_env.server.enqueue(answer("first"))
    chat_env.server.enqueue(answer("second"))

    async def scenario() -> None:
        assert tool_window.controller.send("hello")
        await idle(tool_window)
        tool_window.choose_chat_tools()
        dialog = tool_window.chat_tools_dialog
        assert dialog.use_profile.isChecked()
        dialog.use_profile.setChecked(False)
        server = dialog.offers.tree.topLevelItem(0)
        echo = next(server.child(n) for n in range(server.childCount())
                    if server.child(n).text(0) == "echo")
        for n in range(server.childCount()):
            child = server.child(n)
            child.setCheckState(0, child.checkState(0).Checked if child is echo
                                else child.checkState(0).Unchecked)
        dialog.accept()
        assert tool_window.controller.send("again")
        await idle(tool_window)

    qasync_loop.run(scenario(), timeout=120)
    first, second = (r.json() for r in chat_env.server.requests)
    assert "add" in {t["function"]["name"] for t in first["tools"]}
    assert [t["function"]["name"] for t in second["tools"]] == ["echo"]
    saved = ToolSettingsStore(tmp_path / "tools.json").load().settings
    assert list(saved.conversation_offers.values()) == [("testtools/echo",)]


@pytest.mark.expected_log(r"desktopchat\.ui\.controller: Stopped after 1 tool steps")
def test_the_no_results_note_shows_only_once_the_calls_are_over(
    chat_env: ChatEnv, tool_window: Any, qasync_loop: QtLoop
) -> None:
    """Issue 17: not while a call waits for approval, not when the calls have results; only
    when the loop ended (here: the step limit) and the calls never got any."""
    from desktopchat.ui.message_footer import left_out_note

    tool_window.controller.set_tool_settings(
        dataclasses.replace(tool_window.controller.tools.settings, step_limit=1))
    chat_env.server.enqueue(calls(("add", {"a": 1, "b": 2})))
    chat_env.server.enqueue(calls(("add", {"a": 3, "b": 4})))
    note = left_out_note()
    view = tool_window.chat_view

    def shown(message_id: int) -> bool:
        return note in " ".join(view.rendered_html(message_id).split())

    async def scenario() -> tuple[int, int]:
        assert tool_window.controller.send("add twice")
        (card,) = await cards(tool_window, 1)
        first = view.message_ids()[-1]
        assert view.item(first).tool_calls and not shown(first)  # awaiting approval
        card.run_button.click()
        await wait_until(lambda: len(chat_env.server.requests) == 2)
        await idle(tool_window)
        return first, view.message_ids()[-1]

    first, second = qasync_loop.run(scenario(), timeout=120)
    assert not shown(first)  # answered: its result is in the row below
    assert view.item(second).tool_calls and shown(second)  # the limit: no round, no results
    tool_window.open_conversation(tool_window.controller.current_id)  # reopened: the same
    assert shown(view.message_ids()[-1])


def test_the_approval_heading_and_cards_line_up_with_the_message_box(
    chat_env: ChatEnv, tool_window: Any, qasync_loop: QtLoop
) -> None:
    chat_env.server.enqueue(calls(("add", {"a": 1, "b": 2})))
    panel = tool_window.tool_approval
    composer = tool_window.composer

    def left(widget: Any) -> int:
        return widget.mapTo(tool_window, QPoint(0, 0)).x()

    def right(widget: Any) -> int:
        return left(widget) + widget.width()

    async def scenario() -> None:
        assert tool_window.controller.send("add")
        (card,) = await cards(tool_window, 1)
        for layout in (tool_window.center.layout(), panel.layout()):  # lay out now
            layout.activate()
        # The message box's row: the attach button on its left, Send on its right.
        assert left(panel.heading) == left(card) == left(composer.attach_button)
        assert right(card) == right(composer.button)
        card.deny_button.click()
        await idle(tool_window)

    qasync_loop.run(scenario(), timeout=120)
