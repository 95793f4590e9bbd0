"""`desktopchat regenerate`: a new version of the last reply, kept beside the old one.

The new reply is a sibling of the old in the message tree (the window shows them as ‹ 1/2 ›)
and becomes the branch shown; nothing is deleted or overwritten. The request carries the
branch up to the question, so the endpoint never sees the reply being replaced.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from desktopchat.core.history import request_messages
from desktopchat.errors import DesktopChatError

from . import ask, conversations
from .endpoint import resolve
from .pending import PendingTurn, TurnSteps

if TYPE_CHECKING:
    from .context import Context


def run(context: Context, args: argparse.Namespace) -> int:
    store = context.store()
    conversation = conversations.chosen(store, args)
    if conversation is None:
        conversation = conversations.latest(store)
        if conversation is None:
            raise DesktopChatError("There is no conversation to regenerate a reply in yet.")
    path = store.current_path(conversation.id)
    if not path:
        raise DesktopChatError(f"Conversation {conversation.id} has no messages.")
    last = path[-1]
    if last.role == "assistant":
        question, parent_id = path[:-1], last.parent_id  # a version beside `last`
    elif last.role == "user":
        question, parent_id = path, last.id  # the question was never answered: answer it
    else:
        raise DesktopChatError(
            f"The last message of conversation {conversation.id} is a {last.role} message, "
            "not a reply to regenerate."
        )
    endpoint = resolve(context, args, conversation)
    files = store.attachments([m.id for m in question])
    request = ask.build_request(endpoint, conversation, request_messages(question, files), None)
    steps = TurnSteps(conversation_id=conversation.id, label=endpoint.label,
                      model=request.model, parent_id=parent_id)
    return ask.stream(context, args, request, endpoint,
                      PendingTurn(context.store, steps, context.terminal))
