"""Plain values the history store hands out. Frozen: callers never mutate storage by accident."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from desktopchat.attachments import Attachment

# Private-use code points: they cannot appear in normal text, so the UI can split a snippet on
# them safely and style the hits without worrying about HTML or Markdown in the message.
HIT_START: Final = "\ue000"
HIT_END: Final = "\ue001"


class MessageState(StrEnum):
    """Where a message stands. A StrEnum: equal to its stored text, so rows compare directly."""

    COMPLETE = "complete"
    STREAMING = "streaming"  # being written now (or cut off by a crash, until the next start)
    STOPPED = "stopped"  # the user pressed Stop
    ERROR = "error"  # the endpoint answered with an error
    INTERRUPTED = "interrupted"  # the stream ended early, or the app was killed mid-reply


STATES: Final = tuple(MessageState)
FINAL_STATES: Final = tuple(s for s in MessageState if s is not MessageState.STREAMING)
ROLES: Final = ("system", "user", "assistant", "tool")


@dataclass(frozen=True)
class Conversation:
    id: int
    title: str
    profile: str
    model: str
    provider_conversation_id: str | None
    created_at: float
    updated_at: float
    pinned: bool
    title_is_custom: bool
    # Stable identity across export/import (a UUID, or "chatgpt:<id>" for ChatGPT imports).
    uid: str = ""
    # The end of the branch the user looks at; None: the newest message.
    selected_leaf_id: int | None = None
    folder_id: int | None = None  # the sidebar folder it is in; None: the top level


@dataclass(frozen=True)
class Folder:
    """A sidebar folder: conversations grouped by hand, above the date groups."""

    id: int
    name: str
    position: int  # order in the sidebar, 0 first
    collapsed: bool  # its chats hidden in the sidebar (remembered)
    conversation_count: int = 0


@dataclass(frozen=True)
class RemovedFolder:
    """What delete_folder took away, so that restore can put it back (undo)."""

    name: str
    position: int
    collapsed: bool
    conversation_ids: tuple[int, ...]  # the chats that were in it


@dataclass(frozen=True)
class Message:
    id: int
    conversation_id: int
    role: str
    content: str
    reasoning: str
    tool_calls: list[dict[str, object]] = field(hash=False)
    state: str
    finish_reason: str | None
    usage: dict[str, object] | None = field(hash=False)
    error: str | None
    created_at: float
    updated_at: float
    # The message this one answers or follows (None: a first message). Siblings share it.
    parent_id: int | None = None
    # What wrote an assistant reply ("" when unknown, e.g. replies from before version 3).
    profile: str = ""
    model: str = ""
    first_token_s: float | None = None  # seconds from request to first token
    tokens_per_s: float | None = None  # completion tokens per second after the first token
    uid: str = ""  # stable identity across export/import


@dataclass(frozen=True)
class RemovedBranch:
    """What remove_branch took out, so that restore_branch can put it back (undo)."""

    conversation_id: int
    messages: tuple[Message, ...]  # parents before children
    selected_leaf_id: int | None  # the conversation's selection before the removal
    # The removed messages' attachments by (old) message id, blobs included: a sweep may free
    # them meanwhile, and an undo stores them again.
    attachments: dict[int, tuple[Attachment, ...]] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class SearchHit:
    conversation_id: int
    conversation_title: str
    message_id: int | None  # None: the hit is in the conversation's title
    role: str | None
    snippet: str
    rank: float  # lower is better (FTS5 bm25 convention)
    # The matched text as it is written in the message (from the snippet's marks), so the
    # chat view can find and highlight it.
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchFilters:
    """Narrow a search: one conversation, a profile or model, messages in a date range."""

    conversation_id: int | None = None
    profile: str | None = None
    model: str | None = None
    since: float | None = None  # seconds since the epoch, inclusive
    until: float | None = None  # exclusive

    @property
    def any(self) -> bool:
        return any(
            v is not None
            for v in (self.conversation_id, self.profile, self.model, self.since, self.until)
        )


@dataclass(frozen=True)
class SearchGroup:
    """One conversation in the results: its best hit first, and how many messages match."""

    conversation_id: int
    title: str
    hits: tuple[SearchHit, ...]
    match_count: int
    count_is_exact: bool  # False: at least match_count (only a window of matches was read)


@dataclass(frozen=True)
class SearchResults:
    query: str
    groups: tuple[SearchGroup, ...]
    # True when every match was ranked by bm25; False for the quick first pass over a very
    # common query (the newest matches only), which a full pass then replaces.
    exact: bool


@dataclass(frozen=True)
class ImportResult:
    conversations_added: int
    messages_added: int
    conversations_skipped: int  # already present (same uid): duplicates are never added twice
    # The titles behind those counts (the first few), so the user sees what came in.
    added_titles: tuple[str, ...] = ()
    skipped_titles: tuple[str, ...] = ()
