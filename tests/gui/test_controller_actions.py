"""ChatController actions and failure paths on real parts (loopback, SQLite, memory keyring)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from desktopchat.core.events import ContentDelta
from desktopchat.secrets import SecretStore
from desktopchat.ui.controller import ChatController
from desktopchat.ui.stream_runner import SetupProblem
from tests.support.loopback import ScriptedResponse
from tests.support.qt_loop import ChatEnv, QtLoop, wait_signal, wait_until
from tests.support.sse_script import text_pieces


def reply(*texts: str, finish: str = "stop", headers: dict[str, str] | None = None,
          delay: float = 0.0, **faults: Any) -> ScriptedResponse:
    return ScriptedResponse(pieces=text_pieces(*texts, finish=finish), headers=headers or {},
                            delay=delay, **faults)


async def finished(controller: ChatController) -> Any:
    _, message = await wait_signal(controller.message_updated, timeout=20,
                                   check=lambda c, m: m.role == "assistant"
                                   and m.state != "streaming")
    return message


def test_continue_after_length_extends_the_same_reply(
    chat_env: ChatEnv, qasync_loop: QtLoop
) -> None:
    chat_env.server.enqueue(reply("The first half", finish="length"))
    chat_env.server.enqueue(reply(" and the rest."))
    controller = chat_env.controller()

    async def scenario() -> tuple[Any, Any]:
        controller.send("write it")
        first = await finished(controller)
        assert controller.continue_reply(first.id)
        return first, await finished(controller)

    first, rest = qasync_loop.run(scenario())
    assert first.finish_reason == "length"
    # One message, one text: Continue grows the reply instead of adding a second row.
    assert (rest.id, rest.content, rest.finish_reason) == (
        first.id, "The first half and the rest.", "stop")
    assert len(chat_env.store.messages(controller.current_id)) == 2
    sent = chat_env.server.requests[1].json()["messages"]
    assert sent[-2] == {"role": "assistant", "content": "The first half"}
    assert sent[-1]["role"] == "user" and "Continue" in sent[-1]["content"]


def test_regenerate_adds_a_version_and_keeps_the_first(
    chat_env: ChatEnv, qasync_loop: QtLoop
) -> None:
    chat_env.server.enqueue(reply("one"))
    chat_env.server.enqueue(reply("two"))
    controller = chat_env.controller()
    removed: list[int] = []
    controller.messages_removed.connect(lambda c, m: removed.append(m))

    async def scenario() -> Any:
        controller.send("q")
        first = await finished(controller)
        assert controller.regenerate(first.id)
        return first, await finished(controller)

    first, second = qasync_loop.run(scenario())
    assert removed == [first.id] and second.content == "two"
    contents = [m.content for m in chat_env.store.current_path(controller.current_id)]
    assert contents == ["q", "two"]
    # Nothing is overwritten: the first reply is the other version of the same turn.
    assert [m.content for m in chat_env.store.siblings(second.id)] == ["one", "two"]
    assert second.model == chat_env.store.message(first.id).model
    # The regenerated request carries the question once and no old answer.
    assert chat_env.server.requests[1].json()["messages"] == [{"role": "user", "content": "q"}]


def test_edit_adds_a_version_of_the_question(chat_env: ChatEnv, qasync_loop: QtLoop) -> None:
    chat_env.server.enqueue(reply("about cats"))
    chat_env.server.enqueue(reply("about dogs"))
    controller = chat_env.controller()

    async def scenario() -> None:
        controller.send("tell me about cats")
        await finished(controller)
        user = chat_env.store.messages(controller.current_id)[0]
        assert controller.edit_and_resend(user.id, "tell me about dogs")
        await finished(controller)

    qasync_loop.run(scenario())
    stored = [(m.role, m.content) for m in chat_env.store.current_path(controller.current_id)]
    assert stored == [("user", "tell me about dogs"), ("assistant", "about dogs")]
    first = chat_env.store.messages(controller.current_id)[0]
    assert [m.content for m in chat_env.store.siblings(first.id)] == [
        "tell me about cats", "tell me about dogs"]
    assert chat_env.server.requests[1].json()["messages"] == [
        {"role": "user", "content": "tell me about dogs"}]
    conversation = chat_env.store.get_conversation(controller.current_id)
    assert "dogs" in conversation.title


def test_progress_is_saved_while_streaming(chat_env: ChatEnv, qasync_loop: QtLoop) -> None:
    # Paced so that more than the save interval passes between the first and ninth part,
    # then held open until the saved progress was seen: the stream cannot end first.
    response = reply(*[f"part{i} " for i in range(10)], delay=0.15, hold_after=9)
    chat_env.server.enqueue(response)
    controller = chat_env.controller()

    async def scenario() -> None:
        controller.send("slowly")
        mid = -1

        def saved() -> bool:
            nonlocal mid
            mid = controller.streaming_message_id(controller.current_id)
            return mid > 0 and chat_env.store.message(mid).content.startswith("part0")

        await wait_until(saved, timeout=20)
        assert chat_env.store.message(mid).state == "streaming"
        response.release.set()
        await finished(controller)

    qasync_loop.run(scenario())


def test_provider_conversation_id_is_stored_and_sent_back(chat_env: ChatEnv,
                                                          qasync_loop: QtLoop) -> None:
    chat_env.server.enqueue(reply("hi", headers={"X-Conversation-Id": "conv-77"}))
    chat_env.server.enqueue(reply("again"))
    controller = chat_env.controller()

    async def scenario() -> None:
        controller.send("one")
        await finished(controller)
        controller.send("two")
        await finished(controller)

    qasync_loop.run(scenario())
    assert chat_env.store.get_conversation(controller.current_id).provider_conversation_id \
        == "conv-77"
    assert chat_env.server.requests[1].headers.get("x-conversation-id") == "conv-77"


def test_no_profile_says_what_to_set_up(chat_env: ChatEnv, qasync_loop: QtLoop) -> None:
    controller = chat_env.controller()
    controller.set_settings(dataclasses.replace(chat_env.settings, profiles=[]))
    problems: list[SetupProblem] = []
    controller.setup_needed.connect(problems.append)
    assert not controller.send("hello")
    assert problems and problems[0].action == "settings" and "Settings" in problems[0].message
    assert chat_env.store.count_conversations() == 0


def test_insecure_transport_is_refused_before_anything_is_written(
        chat_env: ChatEnv, qasync_loop: QtLoop) -> None:
    controller = chat_env.controller()
    remote = dataclasses.replace(chat_env.profile, url="http://example.invalid/v1/chat/completions")
    controller.set_settings(dataclasses.replace(chat_env.settings, profiles=[remote]))
    problems: list[SetupProblem] = []
    controller.setup_needed.connect(problems.append)
    assert not controller.send("hello")
    assert "plain http" in problems[0].message
    assert chat_env.store.count_conversations() == 0


@pytest.mark.expected_log(r"desktopchat\.secrets: keyring could not read a key")
@pytest.mark.parametrize("backend_fixture", ["fail_keyring", "locked_keyring"])
def test_unusable_keyring_offers_a_key_for_this_run(
        chat_env: ChatEnv, qasync_loop: QtLoop, backend_fixture: str,
        request: pytest.FixtureRequest) -> None:
    backend = request.getfixturevalue(backend_fixture)
    chat_env.secrets = SecretStore(backend)
    controller = chat_env.controller()
    problems: list[SetupProblem] = []
    controller.setup_needed.connect(problems.append)
    assert not controller.send("hello")
    assert problems[0].action in ("run-key", "settings") and problems[0].message
    chat_env.secrets.use_for_this_run("local", "sk-run-only-key-0000")
    chat_env.server.enqueue(reply("works"))

    async def scenario() -> Any:
        assert controller.send("hello")
        return await finished(controller)

    assert qasync_loop.run(scenario()).content == "works"
    assert chat_env.server.requests[0].headers["authorization"] == "Bearer sk-run-only-key-0000"


@pytest.mark.expected_log(r"desktopchat\.ui\.controller: unexpected failure while streaming",
                          r"desktopchat\.ui\.controller: Something went wrong while streaming")
def test_an_unexpected_exception_is_reported_once_and_nothing_is_lost(
        chat_env: ChatEnv, qasync_loop: QtLoop, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    async def broken_stream(request: Any, *, api_key: Any, http: Any,
                            reply: Any) -> AsyncIterator[Any]:
        event = ContentDelta("kept text")
        reply.apply(event)
        yield [event]
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("desktopchat.ui.stream_runner.stream_batches", broken_stream)
    controller = chat_env.controller()
    reports: list[str] = []
    controller.problem_reported.connect(reports.append)

    async def scenario() -> list[Any]:
        finals = []
        for text in ("x", "y"):
            controller.send(text)
            finals.append(await finished(controller))
        return finals

    with caplog.at_level("ERROR"):
        finals = qasync_loop.run(scenario())
    assert [f.state for f in finals] == ["error", "error"]
    assert finals[0].content == "kept text" and "ZeroDivisionError" in (finals[0].error or "")
    assert len(reports) == 1 and "ZeroDivisionError" in reports[0]  # shown once
    assert any(r.exc_info for r in caplog.records)
    stored = chat_env.store.messages(controller.current_id)
    assert [m.content for m in stored] == ["x", "kept text", "y", "kept text"]


def test_model_list_is_fetched(chat_env: ChatEnv, qasync_loop: QtLoop) -> None:
    models = json.dumps({"data": [{"id": "m1"}, {"id": "m2"}]}).encode()
    chat_env.server.enqueue(ScriptedResponse(
        headers={"Content-Type": "application/json"}, pieces=[models]), path="/v1/models")
    controller = chat_env.controller()
    assert qasync_loop.run(controller.fetch_models()) == ["m1", "m2"]


def test_an_older_reply_is_regenerated_on_a_new_branch(
    chat_env: ChatEnv, qasync_loop: QtLoop
) -> None:
    chat_env.server.enqueue(reply("one"))
    chat_env.server.enqueue(reply("two"))
    chat_env.server.enqueue(reply("one again"))
    controller = chat_env.controller()

    async def scenario() -> list[Any]:
        finals = []
        for text in ("a", "b"):
            controller.send(text)
            finals.append(await finished(controller))
        return finals

    first, _ = qasync_loop.run(scenario())

    async def again() -> Any:
        assert controller.retry(first.id)
        return await finished(controller)

    third = qasync_loop.run(again())
    path = chat_env.store.current_path(controller.current_id)
    assert [m.content for m in path] == ["a", "one again"]
    assert len(chat_env.store.messages(controller.current_id)) == 5  # the later turns are kept
    assert [m.content for m in chat_env.store.siblings(third.id)] == ["one", "one again"]
