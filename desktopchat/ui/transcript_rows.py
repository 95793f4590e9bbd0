"""The transcript's rows: one MessageItem per stored message, newest last.

Plain Python (no QAbstractItemModel): the chat view is a virtualized scroll area
that asks this list for rows by index and keeps heights and y offsets itself.
"""

from __future__ import annotations

import base64
import binascii
import bisect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktopchat.attachments import Attachment
    from desktopchat.storage.models import Message
    from desktopchat.ui.message_render import MessageRender
    from desktopchat.ui.stream_runner import LiveStream

from desktopchat.storage.models import MessageState
from desktopchat.ui.i18n import translate

STREAMING = MessageState.STREAMING


def unnamed_tool() -> str:
    """What a tool call the server sent without a name is called."""
    return translate("ToolResult", "tool")


def decision_words(decision: str) -> str:
    """How a stored tool decision reads in the transcript ("" for none or an unknown one)."""
    if decision == "run":
        return translate("ToolResult", "approved")
    if decision in ("always", "auto"):
        return translate("ToolResult", "always allowed")
    if decision == "deny":
        return translate("ToolResult", "denied")
    if decision == "answer":
        return translate("ToolResult", "answered by you")
    if decision == "stopped":
        return translate("ToolResult", "stopped")
    if decision == "invalid":
        return translate("ToolResult", "could not run")
    return ""


LAST_SHOWN_TIME = 253402300799.0  # 9999-12-31: later (or odd) stored times are not shown


def shown_time(value: object) -> float:
    """A stored time as seconds since the epoch, or 0.0 (not shown) for anything odd: a file
    may hold text, bytes, NaN or a year past 9999 there."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    seconds = float(value)
    return seconds if 0.0 < seconds < LAST_SHOWN_TIME else 0.0  # NaN fails both


def tool_result_title(tool_calls: list[dict[str, object]]) -> str:
    """"Tool result · add (testtools) · approved" for a stored tool row."""
    answered = tool_calls[0] if tool_calls and isinstance(tool_calls[0], dict) else {}
    name = str(answered.get("name") or unnamed_tool())
    server = str(answered.get("server") or "")
    decision = decision_words(str(answered.get("decision") or ""))
    parts = [translate("ToolResult", "Tool result"), f"{name} ({server})" if server else name]
    return " · ".join([*parts, decision] if decision else parts)


def tool_images(tool_calls: list[dict[str, object]]) -> tuple[Attachment, ...]:
    """The images a tool returned (stored base64 in its row), as attachments to show."""
    from desktopchat.attachments import Attachment, Kind

    answered = tool_calls[0] if tool_calls and isinstance(tool_calls[0], dict) else {}
    images = []
    stored = answered.get("images")
    for n, image in enumerate(stored if isinstance(stored, list) else []):
        if not isinstance(image, dict):
            continue  # odd JSON in the row: not an image
        try:
            data = base64.b64decode(str(image.get("data", "")), validate=True)
        except (binascii.Error, ValueError, AttributeError):
            continue
        mime = str(image.get("mime_type", "image/png"))
        images.append(Attachment(translate("ToolResult", "image {number}").format(number=n + 1),
                                 Kind.IMAGE, mime, data))
    return tuple(images)


@dataclass(eq=False)
class MessageItem:
    id: int
    role: str
    content: str = ""
    reasoning: str = ""
    tool_calls: list[dict[str, object]] = field(default_factory=list)
    state: str = MessageState.COMPLETE
    finish_reason: str | None = None
    usage: dict[str, object] | None = None
    error: str | None = None
    model: str = ""  # what wrote the reply
    created_at: float = 0.0  # seconds since the epoch (shown on hover)
    first_token_s: float | None = None
    tokens_per_s: float | None = None
    versions: tuple[int, int] | None = None  # (position, count) when the turn has versions
    calls_unanswered: bool = False  # its tool calls ended without results (open_calls)
    # While streaming: the stream whose core Reply the deltas are folded into (the only
    # fold); the view takes its text at a frame (take_live), never per delta.
    live: LiveStream | None = None
    attachments: tuple[Attachment, ...] = ()  # a user message's files, a tool's images
    reasoning_open: bool | None = None  # None: open while streaming, closed after
    # Built by the view when the row is first laid out, dropped when its text or the theme
    # changes: rows never shown (most of a long chat) never pay for one. None until then.
    render: MessageRender | None = None
    height: int = 0  # last laid-out height (an estimate until exact_width == view width)
    exact_width: int = -1

    @classmethod
    def from_message(cls, message: Message) -> MessageItem:
        return cls(
            id=message.id,
            role=message.role,
            content=message.content or "",
            reasoning=message.reasoning or "",
            tool_calls=list(message.tool_calls or []),
            state=message.state,
            finish_reason=message.finish_reason,
            usage=message.usage,
            error=message.error,
            model=getattr(message, "model", ""),
            created_at=shown_time(getattr(message, "created_at", 0.0)),
            first_token_s=getattr(message, "first_token_s", None),
            tokens_per_s=getattr(message, "tokens_per_s", None),
            attachments=tool_images(message.tool_calls) if message.role == "tool" else (),
        )

    @property
    def streaming(self) -> bool:
        return self.state == STREAMING

    def take_live(self) -> bool:
        """At a frame: the live reply's text so far becomes this row's; True if it changed."""
        live = self.live
        if live is None:
            return False
        changed = False
        content, reasoning = live.text, live.thinking  # joined once, cached in the Reply
        if len(content) != len(self.content):
            self.content = content
            changed = True
        if len(reasoning) != len(self.reasoning):
            self.reasoning = reasoning
            changed = True
        if live.reply.tool_calls:
            tool_calls = live.reply.tool_calls_json()
            if tool_calls != self.tool_calls:
                self.tool_calls = tool_calls
                changed = True
        return changed

    def estimate_height(self, width: int, line_height: int) -> int:
        chars_per_line = max(20, width // max(1, line_height // 2))
        # Counted in C, not per line: a 100,000-line reply must not cost a visible pause.
        lines = self.content.count("\n") + 1 + len(self.content) // chars_per_line
        return 80 + min(lines, 20000) * line_height


class TranscriptRows:
    """Rows plus their y offsets; offsets are rebuilt lazily after any height change."""

    def __init__(self) -> None:
        self.items: list[MessageItem] = []
        self._by_id: dict[int, MessageItem] = {}
        self._tops: list[int] = []
        self._dirty = True
        self._positions: dict[int, int] | None = {}  # id -> index; None after a reorder
        self.spacing = 8

    def __len__(self) -> int:
        return len(self.items)

    def clear(self) -> None:
        self.items.clear()
        self._by_id.clear()
        self._dirty = True
        self._positions = {}

    def get(self, message_id: int) -> MessageItem | None:
        return self._by_id.get(message_id)

    def index_of(self, message_id: int) -> int:
        # Asked per visible row per paint and per render slice: a dict, not list.index,
        # so a chat with thousands of rows loaded costs no more per row than a short one.
        if message_id not in self._by_id:
            return -1
        if self._positions is None:
            self._positions = {item.id: n for n, item in enumerate(self.items)}
        return self._positions[message_id]

    def append(self, item: MessageItem) -> None:
        self.items.append(item)
        self._by_id[item.id] = item
        if self._positions is not None:
            self._positions[item.id] = len(self.items) - 1
        self._dirty = True

    def prepend(self, items: list[MessageItem]) -> None:
        fresh = [i for i in items if i.id not in self._by_id]
        self.items[:0] = fresh
        self._by_id.update({i.id: i for i in fresh})
        self._positions = None
        self._dirty = True

    def remove_from(self, message_id: int) -> None:
        index = self.index_of(message_id)
        if index < 0:
            return
        for item in self.items[index:]:
            self._by_id.pop(item.id, None)
            if self._positions is not None:
                self._positions.pop(item.id, None)
        del self.items[index:]
        self._dirty = True

    def heights_changed(self) -> None:
        self._dirty = True

    def _rebuild(self) -> None:
        tops = []
        y = self.spacing
        for item in self.items:
            tops.append(y)
            y += item.height + self.spacing
        self._tops = tops
        self._total = y
        self._dirty = False

    def top(self, index: int) -> int:
        if self._dirty:
            self._rebuild()
        return self._tops[index]

    def total_height(self) -> int:
        if self._dirty:
            self._rebuild()
        return self._total if self.items else 0

    def row_at(self, y: int) -> int:
        """Index of the row covering y (clamped to the valid range); -1 when empty."""
        if not self.items:
            return -1
        if self._dirty:
            self._rebuild()
        return max(0, min(len(self.items) - 1, bisect.bisect_right(self._tops, y) - 1))
