"""The controller on a message tree: what a request sends, what a reply records."""

from __future__ import annotations

from typing import Any

from desktopchat.ui.controller import ChatController
from tests.support.loopback import ScriptedResponse
from tests.support.qt_loop import ChatEnv, QtLoop, wait_signal
from tests.support.sse_script import chat_chunk, sse_body

CALL = {"id": "call_1", "type": "function", "function": {"name": "lookup", "arguments": "{}"}}


async def finished(controller: ChatController) -> Any:
    _, message = await wait_signal(controller.message_updated, timeout=20,
                                   check=lambda c, m: m.role == "assistant"
                                   and m.state != "streaming")
    return message


def test_a_reply_records_model_usage_and_speed(chat_env: ChatEnv, qasync_loop: QtLoop) -> None:
    usage = {"prompt_tokens": 11, "completion_tokens": 3, "total_tokens": 14}
    pieces = [sse_body(chat_chunk(t), done=False) for t in ("one ", "two ", "three")]
    pieces.append(sse_body(chat_chunk(finish="stop"), done=False))
    usage_chunk = chat_chunk(usage=usage)
    usage_chunk["choices"] = []  # OpenAI's final usage chunk has no choices
    pieces.append(sse_body(usage_chunk))
    # Paced (not a synchronisation): a speed is only worked out from over 50 ms of tokens.
    chat_env.server.enqueue(ScriptedResponse(pieces=pieces, delay=0.05))
    controller = chat_env.controller()

    async def scenario() -> Any:
        controller.send("count")
        return await finished(controller)

    final = qasync_loop.run(scenario())
    body = chat_env.server.requests[0].json()
    assert body["stream_options"] == {"include_usage": True}  # the preset documents it
    stored = chat_env.store.message(final.id)
    assert (stored.profile, stored.model, stored.finish_reason) == ("local", "m1", "stop")
    assert stored.usage == usage
    assert stored.first_token_s is not None and stored.first_token_s >= 0
    assert stored.tokens_per_s is not None and stored.tokens_per_s > 0


def test_a_tool_call_without_result_is_left_out(chat_env: ChatEnv, qasync_loop: QtLoop) -> None:
    store = chat_env.store
    conversation = store.create_conversation(profile="local", model="m1")
    store.add_user_message(conversation.id, "look it up")
    call = store.start_assistant_message(conversation.id)
    store.finish_assistant_message(call.id, state="complete", content="", tool_calls=[CALL],
                                   finish_reason="tool_calls")
    store.add_user_message(conversation.id, "never mind, just guess")
    chat_env.server.enqueue(ScriptedResponse(pieces=[sse_body(chat_chunk("42", finish="stop"))]))
    controller = chat_env.controller()
    assert controller.open_conversation(conversation.id)

    async def scenario() -> Any:
        assert controller.send("and?")
        return await finished(controller)

    qasync_loop.run(scenario())
    sent = chat_env.server.requests[0].json()["messages"]
    # The call is left out and the user turns around it become one: never two in a row.
    assert sent == [{"role": "user", "content": "look it up\n\nnever mind, just guess\n\nand?"}]


def test_the_request_sends_the_branch_shown_only(chat_env: ChatEnv, qasync_loop: QtLoop) -> None:
    store = chat_env.store
    conversation = store.create_conversation(profile="local", model="m1")
    question = store.add_user_message(conversation.id, "q")
    for text in ("old answer", "new answer"):
        m = store.start_assistant_message(conversation.id, parent_id=question.id)
        store.finish_assistant_message(m.id, state="complete", content=text)
    store.select_branch(store.siblings(m.id)[0].id)  # the user switched back to 1/2
    chat_env.server.enqueue(ScriptedResponse(pieces=[sse_body(chat_chunk("ok", finish="stop"))]))
    controller = chat_env.controller()
    assert controller.open_conversation(conversation.id)

    async def scenario() -> Any:
        controller.send("next")
        return await finished(controller)

    final = qasync_loop.run(scenario())
    assert chat_env.server.requests[0].json()["messages"] == [
        {"role": "user", "content": "q"},
        {"role": "assistant", "content": "old answer"},
        {"role": "user", "content": "next"},
    ]
    assert [m.content for m in store.current_path(conversation.id)] == [
        "q", "old answer", "next", final.content]
