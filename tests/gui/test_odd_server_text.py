"""Text no UTF-8 writer takes, from a server, through the real controller (issue 10 §1/§5).

An unpaired `\\ud800` escape in a streamed reply made every save of the reply raise
UnicodeEncodeError: the reply was never stored and the conversation stayed "streaming".
Now the reply ends complete, stored with U+FFFD in place of the broken character.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktopchat.secrets import SecretStore
from desktopchat.settings import Preferences, Profile, Settings
from desktopchat.storage.store import HistoryStore
from desktopchat.ui.controller import ChatController
from tests.support.loopback import ScriptedResponse
from tests.support.qt_loop import QtLoop, wait_signal
from tests.support.sse_script import chat_chunk, sse_body


def test_a_reply_with_an_unpaired_escape_is_stored_complete(
    tmp_path: Path, loopback_server: Any, memory_keyring: Any, qasync_loop: QtLoop
) -> None:
    loopback_server.enqueue(ScriptedResponse(
        headers={"Content-Type": "text/event-stream"}, pieces=[
            b'data: {"choices":[{"delta":{"content":"broken \\ud800 here"}}]}\n\n',
            b'data: {"choices":[{"delta":{"reasoning":"\\udc00"},"finish_reason":"stop"}]}\n\n',
            b"data: [DONE]\n\n",
        ]))  # fmt: skip
    settings = Settings(
        profiles=[Profile(name="odd", preset="custom", url=loopback_server.url(), model="m")],
        preferences=Preferences(active_profile="odd"))  # fmt: skip
    store = HistoryStore.open(tmp_path / "history.sqlite3")
    controller = ChatController(store, SecretStore(memory_keyring), settings)
    ended: list[bool] = []
    controller.streaming_changed.connect(lambda _cid, on: ended.append(on))

    async def chat() -> Any:
        assert controller.send("hello")
        _, final = await wait_signal(
            controller.message_updated,
            timeout=20,
            check=lambda c, m: m.role == "assistant" and m.state != "streaming",
        )
        await controller.aclose()
        return final

    try:
        final = qasync_loop.run(chat())
        assert final.state == "complete"
        assert final.content == "broken \ufffd here" and final.reasoning == "\ufffd"
        assert ended[-1] is False
        (stored,) = [m for m in store.current_path(final.conversation_id) if m.role == "assistant"]
        assert stored.content == "broken \ufffd here"
    finally:
        store.close()


class _FinishFails(HistoryStore):
    """A store whose final save hits a bug (not a StorageError): the fault at the edge."""

    def finish_assistant_message(self, message_id: int, **fields: Any) -> None:
        raise RuntimeError("a bug in the final save")


@pytest.mark.expected_log(r"desktopchat\.ui\.(stream_runner|controller): ")
def test_a_bug_in_the_final_save_still_ends_the_stream(
    tmp_path: Path, loopback_server: Any, memory_keyring: Any, qasync_loop: QtLoop
) -> None:
    loopback_server.enqueue(ScriptedResponse(pieces=[sse_body(chat_chunk("hi"))]))
    settings = Settings(
        profiles=[Profile(name="odd", preset="custom", url=loopback_server.url(), model="m")],
        preferences=Preferences(active_profile="odd"))  # fmt: skip
    store = _FinishFails.open(tmp_path / "history.sqlite3")
    controller = ChatController(store, SecretStore(memory_keyring), settings)
    problems: list[str] = []
    controller.problem_reported.connect(problems.append)

    async def chat() -> None:
        assert controller.send("hello")
        await wait_signal(
            controller.streaming_changed, timeout=20, check=lambda _cid, on: on is False
        )
        await controller.aclose()

    try:
        qasync_loop.run(chat())
        assert any("a bug in the final save" in p for p in problems)
    finally:
        store.close()
