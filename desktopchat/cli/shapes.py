"""The --json shapes. README's "Command line" section documents them; they stay stable.

Fields may be added in later versions; none is renamed, retyped or removed. Times are
seconds since the Unix epoch (float, UTC), as in the JSON export.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from desktopchat.storage.models import HIT_END, HIT_START

if TYPE_CHECKING:
    from desktopchat.settings import Profile
    from desktopchat.storage.models import Conversation, Message, SearchHit


def conversation_json(conversation: Conversation, folder: str | None = None) -> dict[str, object]:
    """`folder`: the name of the sidebar folder the conversation is in (None: none)."""
    return {
        "id": conversation.id,
        "uid": conversation.uid,
        "title": conversation.title,
        "profile": conversation.profile,
        "model": conversation.model,
        "pinned": conversation.pinned,
        "created_at": conversation.created_at,
        "updated_at": conversation.updated_at,
        "folder": folder,
    }


def message_json(message: Message) -> dict[str, object]:
    return {
        "id": message.id,
        "parent_id": message.parent_id,
        "role": message.role,
        "content": message.content,
        "reasoning": message.reasoning,
        "tool_calls": message.tool_calls,
        "state": message.state,
        "finish_reason": message.finish_reason,
        "usage": message.usage,
        "error": message.error,
        "profile": message.profile,
        "model": message.model,
        "created_at": message.created_at,
        "updated_at": message.updated_at,
    }


def snippet_parts(snippet: str) -> tuple[str, list[list[int]]]:
    """The snippet without hit markers, and each hit as [start, end) character offsets."""
    plain: list[str] = []
    spans: list[list[int]] = []
    length = 0
    start: int | None = None
    for ch in snippet:
        if ch == HIT_START:
            start = length
        elif ch == HIT_END:
            if start is not None:
                spans.append([start, length])
            start = None
        else:
            plain.append(ch)
            length += 1
    return "".join(plain), spans


def hit_json(hit: SearchHit) -> dict[str, object]:
    text, spans = snippet_parts(hit.snippet)
    return {
        "conversation_id": hit.conversation_id,
        "conversation_title": hit.conversation_title,
        "message_id": hit.message_id,
        "role": hit.role,
        "snippet": text,
        "highlights": spans,
    }


class ProfileJson(TypedDict):
    """A profile as `profiles --json` lists it."""

    name: str
    preset: str
    url: str
    model: str
    active: bool
    needs_key: bool
    key_stored: bool | None


def profile_json(profile: Profile, *, active: bool, key_stored: bool | None) -> ProfileJson:
    """A profile as `profiles --json` lists it: never a key, only whether one is stored."""
    return {
        "name": profile.name,
        "preset": profile.preset,
        "url": profile.chat_url(),
        "model": profile.model,
        "active": active,
        "needs_key": profile.needs_key,
        "key_stored": key_stored,
    }
