"""One branch of stored messages -> the `messages` of the next request (window and CLI alike).

Takes anything with `role`, `content` and `tool_calls` (storage Messages), so core still
never imports storage. The request carries the branch shown, nothing from other versions. A
reply that asked for tools has no results to go with it until tools run, and sending it bare
would leave the endpoint with a call it never got an answer to; it is left out (the view says
so under it). Leaving it out must not put two user messages in a row, which several endpoints
reject: those are joined into one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from desktopchat.core.request import ChatMessage

SENT_ROLES = ("user", "assistant", "system")


class StoredMessage(Protocol):
    @property
    def role(self) -> str: ...
    @property
    def content(self) -> str: ...
    @property
    def tool_calls(self) -> list[dict[str, object]]: ...


def left_out(message: StoredMessage) -> bool:
    """True for a reply with tool calls: without the tools' results it cannot be sent."""
    return message.role == "assistant" and bool(message.tool_calls)


def request_messages(path: Iterable[StoredMessage]) -> list[ChatMessage]:
    turns: list[ChatMessage] = []
    for message in path:
        if message.role not in SENT_ROLES or not message.content or left_out(message):
            continue
        if turns and turns[-1].role == message.role and message.role in ("user", "assistant"):
            # Two user turns (a reply left out between them) or a reply continued across two
            # rows before Continue extended one message: the endpoint sees one turn.
            joiner = "\n\n" if message.role == "user" else ""
            turns[-1] = ChatMessage(message.role, turns[-1].content + joiner + message.content)
            continue
        turns.append(ChatMessage(message.role, message.content))
    return turns
