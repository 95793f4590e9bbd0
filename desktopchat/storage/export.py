"""Export conversations as Markdown (to read) or versioned JSON (to restore with import_json).

JSON format version 2 holds the whole tree: every message has its own `uid` and its `parent`
(the parent's uid, or null), and the conversation names its `selected_leaf`. Markdown writes the
branch shown (the current path), as the reader saw it.
"""

from __future__ import annotations

import json
import time
from typing import Any

from .models import Conversation, Message, MessageState
from .store import HistoryStore

FORMAT_NAME = "desktopchat-history"
FORMAT_VERSION = 2
ALL = -1  # SQLite's LIMIT -1: no limit


def _conversations(store: HistoryStore, ids: list[int] | None) -> list[Conversation]:
    if ids is None:
        ids = store.all_conversation_ids()
    return [store.get_conversation(cid) for cid in ids]


def conversation_record(store: HistoryStore, conversation: Conversation) -> dict[str, Any]:
    """Everything needed to restore one conversation; local row ids are not part of it."""
    messages = store.messages(conversation.id, limit=ALL)
    uids = {m.id: m.uid for m in messages}
    leaf = store.current_leaf_id(conversation.id)
    return {
        "uid": conversation.uid,
        "title": conversation.title,
        "title_is_custom": conversation.title_is_custom,
        "profile": conversation.profile,
        "model": conversation.model,
        "provider_conversation_id": conversation.provider_conversation_id,
        "created_at": conversation.created_at,
        "updated_at": conversation.updated_at,
        "pinned": conversation.pinned,
        "selected_leaf": uids.get(leaf) if leaf is not None else None,
        "messages": [message_record(m, uids) for m in messages],
    }


def message_record(message: Message, uids: dict[int, str]) -> dict[str, Any]:
    """One message; `uids` maps the conversation's row ids to message uids (for `parent`)."""
    return {
        "uid": message.uid,
        "parent": uids.get(message.parent_id) if message.parent_id is not None else None,
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
        "first_token_s": message.first_token_s,
        "tokens_per_s": message.tokens_per_s,
        "created_at": message.created_at,
        "updated_at": message.updated_at,
    }


def export_json(store: HistoryStore, conversation_ids: list[int] | None = None) -> dict[str, Any]:
    """A JSON-ready dict: {"format", "version", "exported_at", "conversations": [...]}."""
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": time.time(),
        "conversations": [
            conversation_record(store, c) for c in _conversations(store, conversation_ids)
        ],
    }


def _when(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(seconds))


def _fence(text: str, info: str = "") -> str:
    """A fenced block longer than any backtick run inside `text`, so it cannot be closed early."""
    longest = run = 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text}\n{fence}"


def _message_markdown(message: Message) -> str:
    parts = [f"### {message.role.capitalize()} · {_when(message.created_at)}"]
    if message.state != MessageState.COMPLETE:
        parts.append(f"*({message.state})*")
    if message.reasoning:
        quoted = "\n".join(f"> {line}" if line else ">" for line in message.reasoning.splitlines())
        parts.append(f"<details>\n<summary>Reasoning</summary>\n\n{quoted}\n\n</details>")
    if message.content:
        parts.append(message.content)
    if message.tool_calls:
        parts.append(
            "**Tool calls**\n\n" + _fence(json.dumps(message.tool_calls, indent=2), "json")
        )
    if message.error:
        parts.append(f"> **Error:** {' '.join(message.error.split())}")
    return "\n\n".join(parts)


def conversation_markdown(store: HistoryStore, conversation: Conversation) -> str:
    head = [f"# {conversation.title or 'Untitled conversation'}", ""]
    head.append(f"- Created: {_when(conversation.created_at)}")
    head.append(f"- Updated: {_when(conversation.updated_at)}")
    if conversation.profile or conversation.model:
        head.append(f"- Profile: {conversation.profile or '-'}; model: {conversation.model or '-'}")
    body = [_message_markdown(m) for m in store.current_path(conversation.id)]
    return "\n\n".join(["\n".join(head), *body]) + "\n"


def export_markdown(store: HistoryStore, conversation_ids: list[int] | None = None) -> str:
    """One Markdown document; conversations separated by a horizontal rule."""
    docs = [conversation_markdown(store, c) for c in _conversations(store, conversation_ids)]
    return "\n---\n\n".join(docs)
