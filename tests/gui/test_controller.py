"""ChatController against the real loopback server, real SQLite and an in-memory keyring."""

from __future__ import annotations

from typing import Any

from tests.support.loopback import ScriptedResponse
from tests.support.qt_loop import TEST_KEY, ChatEnv, QtLoop, wait_signal
from tests.support.sse_script import text_pieces


def test_send_streams_saves_and_finishes(chat_env: ChatEnv, qasync_loop: QtLoop) -> None:
    chat_env.server.enqueue(ScriptedResponse(pieces=text_pieces(
        "Hel", "lo ", "world", usage={"prompt_tokens": 3, "completion_tokens": 2})))
    controller = chat_env.controller()
    seen: list[str] = []  # the live reply's text at each progress signal
    controller.stream_progressed.connect(lambda c, m, live: seen.append(live.text))

    async def scenario() -> Any:
        assert controller.send("hi there")
        (_, final) = await wait_signal(controller.message_updated,
                                       check=lambda c, m: m.role == "assistant")
        return final

    final = qasync_loop.run(scenario())
    assert seen[-1] == "Hello world"
    assert final.state == "complete" and final.content == "Hello world"
    assert final.finish_reason == "stop" and final.usage["completion_tokens"] == 2
    stored = chat_env.store.messages(controller.current_id)
    assert [(m.role, m.content, m.state) for m in stored] == [
        ("user", "hi there", "complete"), ("assistant", "Hello world", "complete")]
    request = chat_env.server.requests[0]
    assert request.headers["authorization"] == f"Bearer {TEST_KEY}"
    assert request.json()["messages"][-1] == {"role": "user", "content": "hi there"}
