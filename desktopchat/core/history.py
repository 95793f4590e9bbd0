"""One branch of stored messages -> the `messages` of the next request (window and CLI alike).

Takes anything with `role`, `content` and `tool_calls` (storage Messages), so core still
never imports storage. The request carries the branch shown, nothing from other versions.

Tool turns: a reply that called tools goes out with its calls, followed by one `tool`
message per call (a stored `tool` row names the call it answers in its own `tool_calls`:
`[{"id": call id, "name": function name, ...}]`). A reply whose calls do not all have
results would leave the endpoint with a call it never got an answer to: it is left out
(the view says so under it). Leaving it out must not put two user messages in a row, which
several endpoints reject: those are joined into one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from desktopchat.attachments import Attachment
from desktopchat.core.request import ChatMessage

SENT_ROLES = ("user", "assistant", "system")


class StoredMessage(Protocol):
    @property
    def role(self) -> str: ...
    @property
    def content(self) -> str: ...
    @property
    def tool_calls(self) -> Sequence[Mapping[str, object]]: ...


def left_out(message: StoredMessage) -> bool:
    """True for a reply with tool calls: it can only be sent together with every result."""
    return message.role == "assistant" and bool(message.tool_calls)


def answered_call_id(message: StoredMessage) -> str:
    """The id of the call a stored `tool` row answers ("" when it names none)."""
    first = message.tool_calls[0] if message.tool_calls else {}
    return str(first.get("id") or "") if isinstance(first, Mapping) else ""


def request_messages(
    path: Iterable[StoredMessage],
    attachments: Mapping[int, Sequence[Attachment]] | None = None,
) -> list[ChatMessage]:
    """The turns the endpoint should see: empty messages left out, tool turns complete.

    `attachments`: each user message's files by message id (storage hands them out).
    """
    messages = list(path)
    files = attachments or {}
    turns: list[ChatMessage] = []
    for position, message in enumerate(messages):
        if message.role not in SENT_ROLES:
            continue  # tool rows go out right after the call they answer
        results = _results_after(messages, position)
        calls = _complete_calls(message, results) if left_out(message) else []
        if calls:
            turns.append(ChatMessage("assistant", message.content, tool_calls=tuple(calls)))
            for call in calls:
                answer = results[str(call["id"])]
                turns.append(ChatMessage("tool", answer.content, tool_call_id=str(call["id"])))
            continue
        own = tuple(files.get(getattr(message, "id", -1), ())) if message.role == "user" else ()
        if (not message.content and not own) or left_out(message):
            continue
        last = turns[-1] if turns else None
        if last and last.role == message.role in ("user", "assistant") and not last.tool_calls:
            # Two user turns (a reply left out between them) or a reply continued across two
            # rows before Continue extended one message: the endpoint sees one turn.
            joiner = "\n\n" if message.role == "user" and last.content else ""
            turns[-1] = ChatMessage(message.role, last.content + joiner + message.content,
                                    attachments=last.attachments + own)
            continue
        turns.append(ChatMessage(message.role, message.content, attachments=own))
    return turns


def _results_after(messages: Sequence[StoredMessage], position: int) -> dict[str, StoredMessage]:
    """The tool rows that directly follow a message, by the call they answer. (Call ids are
    only unique within one turn: some servers number them call_0, call_1… every time.)"""
    results: dict[str, StoredMessage] = {}
    for later in messages[position + 1 :]:
        if later.role != "tool":
            break
        results[answered_call_id(later)] = later
    return results


def _complete_calls(
    message: StoredMessage, results: Mapping[str, StoredMessage]
) -> list[Mapping[str, object]]:
    """The message's calls when every one has a stored result, else none."""
    calls = [c for c in message.tool_calls if isinstance(c, Mapping) and c.get("id")]
    if not calls or any(str(c["id"]) not in results for c in calls):
        return []
    return calls
