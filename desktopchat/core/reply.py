"""Reply: folds stream events into the assembled answer.

Text arrives as many small deltas (100k on a long reply), so pieces are kept in lists
and joined lazily (cached until the next delta) instead of growing a string with `+=`,
which would make a long reply quadratic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from desktopchat.core.events import (
    ContentDelta,
    ConversationId,
    Finish,
    ReasoningDelta,
    StreamEvent,
    ToolCallDelta,
    UsageReport,
)
from desktopchat.redact import GrowingScrub, scrub_secrets


class StoredReply(TypedDict):
    """A reply as storage takes it (`**` into the store's message writes)."""

    content: str
    reasoning: str
    tool_calls: list[dict[str, object]]


def _call_json(call_id: str, name: str, arguments: str) -> dict[str, object]:
    """A tool call in the OpenAI message shape."""
    return {"id": call_id, "type": "function",
            "function": {"name": name, "arguments": arguments}}


class _Text:
    """An append-only string built from pieces, joined on demand."""

    __slots__ = ("_joined", "_pieces")

    def __init__(self) -> None:
        self._pieces: list[str] = []
        self._joined: str | None = ""

    def append(self, text: str) -> None:
        if text:
            self._pieces.append(text)
            self._joined = None

    def __str__(self) -> str:
        if self._joined is None:
            self._joined = "".join(self._pieces)
            self._pieces = [self._joined] if self._joined else []
        return self._joined

    def __bool__(self) -> bool:
        return bool(self._pieces)


@dataclass
class ToolCall:
    index: int
    id: str = ""
    name: str = ""
    arguments: str = ""


class Reply:
    """The reply so far. Readable at any time, also after an error or cancellation."""

    def __init__(self) -> None:
        self._content = _Text()
        self._reasoning = _Text()
        self._refusal = _Text()
        self._tool_args: dict[int, list[str]] = {}
        self._tool_calls: dict[int, ToolCall] = {}
        self.usage: dict[str, object] | None = None
        self.finish_reason: str | None = None
        self.conversation_id: str | None = None
        self.done = False  # the stream ended with [DONE]
        self.events = 0
        # Scrubbers for content and reasoning, which only grow: a save every half second
        # then costs what arrived since the last one, not the whole reply.
        self._scrubs: tuple[tuple[str | None, ...], GrowingScrub, GrowingScrub] | None = None

    @property
    def content(self) -> str:
        return str(self._content)

    @property
    def reasoning(self) -> str:
        return str(self._reasoning)

    @property
    def refusal(self) -> str:
        """Refusal text (OpenAI `delta.refusal`); it is also part of `content` so users see it."""
        return str(self._refusal)

    @property
    def tool_calls(self) -> list[ToolCall]:
        calls = []
        for index in sorted(self._tool_calls):
            call = self._tool_calls[index]
            pieces = self._tool_args[index]
            if len(pieces) > 1:
                pieces[:] = ["".join(pieces)]
            call.arguments = pieces[0] if pieces else ""
            calls.append(call)
        return calls

    @property
    def has_output(self) -> bool:
        """True once any content, reasoning or tool call arrived."""
        return bool(self._content or self._reasoning or self._tool_calls)

    def apply(self, event: StreamEvent) -> None:
        self.events += 1
        if isinstance(event, ContentDelta):
            self._content.append(event.text)
            if event.refusal:
                self._refusal.append(event.text)
        elif isinstance(event, ReasoningDelta):
            self._reasoning.append(event.text)
        elif isinstance(event, ToolCallDelta):
            call = self._tool_calls.get(event.index)
            if call is None:
                call = self._tool_calls[event.index] = ToolCall(event.index)
                self._tool_args[event.index] = []
            if event.id and not call.id:
                call.id = event.id
            if event.name and not call.name:
                call.name = event.name
            if event.arguments:
                self._tool_args[event.index].append(event.arguments)
        elif isinstance(event, UsageReport):
            self.usage = event.usage
        elif isinstance(event, Finish):
            self.finish_reason = event.reason
        elif isinstance(event, ConversationId):
            self.conversation_id = event.value

    def extend(self, events: list[StreamEvent]) -> None:
        """`apply` each event; plain content (nearly every event) skips the dispatch."""
        pieces = self._content._pieces
        added = 0
        for event in events:
            if event.__class__ is ContentDelta and not event.refusal:
                if event.text:
                    pieces.append(event.text)
                added += 1
            else:
                self.apply(event)
        if added:
            self._content._joined = None
            self.events += added

    def tool_calls_json(self) -> list[dict[str, object]]:
        """Tool calls in the OpenAI message shape, for history and the next request."""
        return [_call_json(call.id, call.name, call.arguments) for call in self.tool_calls]

    def storable(self, *secrets: str | None) -> StoredReply:
        """content, reasoning and tool_calls as they may be stored: a server can echo the
        key back in any of them, so every secret (and any run of 8+ of its characters) is
        scrubbed here, at the hand-over to storage."""
        calls = [_call_json(scrub_secrets(call.id, secrets), scrub_secrets(call.name, secrets),
                            scrub_secrets(call.arguments, secrets))
                 for call in self.tool_calls]
        if self._scrubs is None or self._scrubs[0] != secrets:
            self._scrubs = (secrets, GrowingScrub(secrets), GrowingScrub(secrets))
        _, content, reasoning = self._scrubs
        return {
            "content": content.scrub(self.content),
            "reasoning": reasoning.scrub(self.reasoning),
            "tool_calls": calls,
        }

    def __repr__(self) -> str:
        return (
            f"Reply(content={len(self.content)} chars, reasoning={len(self.reasoning)} chars, "
            f"tool_calls={len(self._tool_calls)}, finish_reason={self.finish_reason!r})"
        )
