"""One branch of stored messages -> the `messages` of the next request (window and CLI alike).

Takes anything with `role` and `content` (storage Messages), so core still never imports
storage.
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


def request_messages(path: Iterable[StoredMessage]) -> list[ChatMessage]:
    """The turns the endpoint should see: empty messages and tool rows left out."""
    turns: list[ChatMessage] = []
    for message in path:
        if message.role not in SENT_ROLES or not message.content:
            continue
        if turns and turns[-1].role == message.role == "assistant":
            # A continued reply is two rows; the endpoint sees one answer.
            turns[-1] = ChatMessage("assistant", turns[-1].content + message.content)
            continue
        turns.append(ChatMessage(message.role, message.content))
    return turns
