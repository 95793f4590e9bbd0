"""`desktopchat ask`: one message, the reply streamed to stdout, the turn kept in the history.

Everything that can be refused (no message, an unknown profile, a missing key, a key that
would cross plain http) is refused before anything is written or sent, so a refused
command leaves no half turn behind. Once the request is built, it is sent before the
turn is written (pending.py), and the user's message is kept on every way out.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from typing import TYPE_CHECKING, TextIO

from desktopchat.core.history import request_messages
from desktopchat.core.request import ChatMessage
from desktopchat.profile_requests import chat_request

from . import conversations
from .endpoint import resolve
from .parser import UsageError
from .pending import PendingTurn, TurnSteps
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
    # A new conversation needs nothing from the history before the request leaves; its
    # rows are written while the request is on its way (pending.py).
    continuing = args.conversation is not None or args.continue_latest
    conversation = conversations.chosen(context.store(), args) if continuing else None
    endpoint = resolve(context, args, conversation)
    past: list[ChatMessage] = []
    if conversation is not None:
        store = context.store()
        path = store.current_path(conversation.id)
        past = request_messages(path, store.attachments([m.id for m in path])) if path else []
    system = args.system.strip() if args.system and args.system.strip() else None
    turn = [*past, *([ChatMessage("system", system)] if system else []), ChatMessage("user", text)]
    request = build_request(endpoint, conversation, turn, system)
    steps = TurnSteps(
        conversation_id=conversation.id if conversation else None, label=endpoint.label,
        model=request.model, system=system, user_text=text)
    pending = PendingTurn(context.store, steps, context.terminal)
    try:
        return stream(context, args, request, endpoint, pending)
    finally:
        pending.settle()  # every way out keeps the user's message


def stream(
    context: Context,
    args: argparse.Namespace,
    request: ChatRequest,
    endpoint: Endpoint,
    pending: PendingTurn,
) -> int:
    """Stream a new reply into the row `pending` writes; while replies call tools, run them
    (asking first) and stream the next reply; the exit status."""
    from .tools import cli_tools

    tools = cli_tools(context.paths.tools_file, context.secrets, context.terminal,
                      approve_all=args.yes)
    if tools is not None:
        import asyncio  # only with tools (MCP is asyncio); a plain reply never needs it
    try:
        while True:
            if tools is not None:
                offered = asyncio.run(tools.offered(endpoint.profile))
                request = dataclasses.replace(request, tools=(*request.tools, *offered))
            status, reply = _one_reply(context, args, request, endpoint, pending)
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
            conversation = store.get_conversation(reply.conversation_id)
            request = build_request(endpoint, conversation,
                                    request_messages(store.path_to(parent_id)), None)
            pending = PendingTurn(context.store, TurnSteps(
                conversation_id=reply.conversation_id, label=endpoint.label,
                model=request.model, parent_id=parent_id), context.terminal)
    finally:
        if tools is not None:
            tools.host.shutdown()


def _one_reply(
    context: Context,
    args: argparse.Namespace,
    request: ChatRequest,
    endpoint: Endpoint,
    pending: PendingTurn,
) -> tuple[int, Message]:
    turn = Turn(
        pending,
        context.terminal,
        show_text=not args.json,
        show_reasoning=args.reasoning,
        tls=lambda: context.tls(request.url),  # asked only by a request that may use TLS
    )
    outcome: Outcome = turn.run(request, endpoint)
    final = context.store().message(outcome.message_id)
    if args.json:
        from .shapes import message_json  # it imports storage's models

        shape = {"conversation_id": outcome.conversation_id, **message_json(final)}
        context.terminal.line(json.dumps(shape, ensure_ascii=False))
    if outcome.error:
        context.terminal.error(outcome.error)
    return outcome.exit_status, final
