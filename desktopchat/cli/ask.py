"""`desktopchat ask`: one message, the reply streamed to stdout, the turn kept in the history.

Everything that can be refused (no message, an unknown profile, a missing key, a key that
would cross plain http) is refused before anything is written, so a failed command leaves
no half turn behind.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import sys
from typing import TYPE_CHECKING, TextIO

from desktopchat.core.history import request_messages
from desktopchat.core.request import ChatMessage
from desktopchat.profile_requests import chat_request
from desktopchat.storage.store import AT_LEAF

from . import conversations
from .endpoint import resolve
from .parser import UsageError
from .shapes import message_json
from .turn import Outcome, Turn

if TYPE_CHECKING:
    from desktopchat.core.request import ChatRequest
    from desktopchat.storage.models import Conversation, Message

    from .context import Context
    from .endpoint import Endpoint


def read_message(text: str | None, stdin: TextIO | None) -> str:
    """TEXT, then whatever came on stdin when stdin is not a terminal, as one message."""
    piped = ""
    if stdin is not None and not stdin.isatty():
        piped = stdin.read()
    parts = [part for part in (text or "", piped) if part.strip()]
    if not parts:
        raise UsageError(
            "desktopchat ask: nothing to ask: give TEXT, or pipe text on stdin "
            "(see desktopchat ask --help)"
        )
    return "\n\n".join(part.strip("\n") for part in parts)


def build_request(
    endpoint: Endpoint,
    conversation: Conversation | None,
    history: list[ChatMessage],
    system: str | None,
) -> ChatRequest:
    """The request; a system prompt in the conversation (or -s) replaces the profile's."""
    from desktopchat.core.transport import check_transport

    profile = endpoint.profile
    if system is not None or any(m.role == "system" for m in history):
        profile = dataclasses.replace(profile, system_prompt="")
    request = chat_request(
        profile, history,
        conversation_id=conversation.provider_conversation_id if conversation else None,
    )
    check_transport(request, endpoint.key)  # refused here, before anything is written
    return request


def run(context: Context, args: argparse.Namespace) -> int:
    text = read_message(args.text, sys.stdin)
    store = context.store()
    conversation = conversations.chosen(store, args)
    endpoint = resolve(context, args, conversation)
    path = store.current_path(conversation.id) if conversation else []
    past = request_messages(path, store.attachments([m.id for m in path])) if path else []
    system = args.system.strip() if args.system and args.system.strip() else None
    turn = [*past, *([ChatMessage("system", system)] if system else []), ChatMessage("user", text)]
    request = build_request(endpoint, conversation, turn, system)
    if conversation is None:
        conversation = store.create_conversation(profile=endpoint.label, model=request.model)
    if system:
        store.add_message(conversation.id, "system", system)
    store.add_user_message(conversation.id, text)
    return stream(context, args, conversation.id, request, endpoint)


def stream(
    context: Context,
    args: argparse.Namespace,
    conversation_id: int,
    request: ChatRequest,
    endpoint: Endpoint,
    *,
    parent_id: int | None = AT_LEAF,
) -> int:
    """Stream a new reply below `parent_id` (AT_LEAF: the end of the branch shown); while
    replies call tools, run them (asking first) and stream the next reply; the exit status."""
    from .tools import cli_tools

    tools = cli_tools(context.paths.tools_file, context.secrets, context.terminal,
                      approve_all=args.yes)
    try:
        while True:
            if tools is not None:
                offered = asyncio.run(tools.offered(endpoint.profile))
                request = dataclasses.replace(request, tools=(*request.tools, *offered))
            status, reply = _one_reply(context, args, conversation_id, request, endpoint,
                                       parent_id)
            if tools is None or status != 0 or not tools.wants_round(reply):
                return status
            tools.steps += 1
            if tools.steps > tools.settings.step_limit:
                context.terminal.error(
                    f"Stopped after {tools.settings.step_limit} tool steps (the limit in "
                    "Settings → Tools).")
                return 0
            from desktopchat.tools.calls import profile_tool_names  # only with tools

            store = context.store()
            parent_id, failure = asyncio.run(tools.run_round(
                store, reply, profile_tool_names(endpoint.profile.tools)))
            if failure:
                context.terminal.error(f"{failure} The tool loop stopped.")
                return 1
            conversation = store.get_conversation(conversation_id)
            request = build_request(endpoint, conversation,
                                    request_messages(store.path_to(parent_id)), None)
    finally:
        if tools is not None:
            tools.host.shutdown()


def _one_reply(
    context: Context,
    args: argparse.Namespace,
    conversation_id: int,
    request: ChatRequest,
    endpoint: Endpoint,
    parent_id: int | None,
) -> tuple[int, Message]:
    store = context.store()
    assistant = store.start_assistant_message(
        conversation_id,
        parent_id=parent_id,
        profile=endpoint.label,
        model=request.model,
    )
    turn = Turn(
        store,
        context.terminal,
        conversation_id=conversation_id,
        message_id=assistant.id,
        show_text=not args.json,
        show_reasoning=args.reasoning,
        tls=context.tls(request.url),
    )
    outcome: Outcome = asyncio.run(turn.run(request, endpoint))
    final = store.message(assistant.id)
    if args.json:
        shape = {"conversation_id": conversation_id, **message_json(final)}
        context.terminal.line(json.dumps(shape, ensure_ascii=False))
    if outcome.error:
        context.terminal.error(outcome.error)
    return outcome.exit_status, final
