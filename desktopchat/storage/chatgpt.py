"""Read ChatGPT's conversations.json into our import records (every branch of each chat).

Each ChatGPT conversation is a tree: `mapping` holds nodes {id, message, parent, children};
`current_node` is the leaf the user last saw. Every node with a message we can show becomes a
message whose parent is its nearest shown ancestor, so regenerated and edited turns stay as
versions; `current_node` (or its nearest shown ancestor) is the selected leaf.
"""

from __future__ import annotations

import time

from desktopchat.errors import ImportFormatError

from .import_checks import MessageRecord, Record, optional_timestamp
from .models import MessageState
from .rows import title_from

UID_PREFIX = "chatgpt:"


def _text(content: object) -> tuple[str, str]:
    """(text, reasoning) of a ChatGPT message content object."""
    if not isinstance(content, dict):
        return "", ""
    kind = content.get("content_type")
    if kind == "thoughts":
        thoughts = content.get("thoughts")
        items = thoughts if isinstance(thoughts, list) else []
        texts = [str(t.get("content", "")) for t in items if isinstance(t, dict)]
        return "", "\n\n".join(t for t in texts if t.strip())
    if kind == "code" or (kind not in (None, "text", "multimodal_text") and "text" in content):
        text = content.get("text")
        return (text if isinstance(text, str) else ""), ""
    parts = content.get("parts")
    if not isinstance(parts, list):
        return "", ""
    # Non-string parts are attachments (image asset pointers and such): nothing to keep.
    return "\n\n".join(p for p in parts if isinstance(p, str) and p.strip()), ""


def _nodes(mapping: dict[str, object], current: str,
           where: str) -> list[tuple[str, dict[str, object]]]:
    """Every node, parents before children; ImportFormatError for broken or looping links."""
    if current not in mapping:
        raise ImportFormatError(f"{where}: node {current!r} is referenced but not in 'mapping'.")
    children: dict[str | None, list[str]] = {}
    nodes: dict[str, dict[str, object]] = {}
    for node_id, node in mapping.items():
        if not isinstance(node, dict):
            raise ImportFormatError(f"{where}: node {node_id!r} is not an object.")
        nodes[node_id] = node
        parent = node.get("parent")
        if parent is not None and (not isinstance(parent, str) or parent not in mapping):
            raise ImportFormatError(f"{where}: node {parent!r} is referenced but not in 'mapping'.")
        children.setdefault(parent, []).append(node_id)
    ordered: list[tuple[str, dict[str, object]]] = []
    todo = list(reversed(children.get(None, [])))
    while todo:
        node_id = todo.pop()
        ordered.append((node_id, nodes[node_id]))
        todo.extend(reversed(children.get(node_id, [])))
    if len(ordered) != len(mapping):
        raise ImportFormatError(f"{where}: the 'parent' links form a loop.")
    return ordered


def _message(
    raw: object, pending_reasoning: list[str], fallback_time: float, where: str
) -> MessageRecord | None:
    if not isinstance(raw, dict):
        return None
    author = raw.get("author")
    role = author.get("role") if isinstance(author, dict) else None
    raw_metadata = raw.get("metadata")
    metadata: dict[str, object] = raw_metadata if isinstance(raw_metadata, dict) else {}
    if role not in ("user", "assistant", "tool") or metadata.get(
        "is_visually_hidden_from_conversation"
    ):
        return None
    text, reasoning = _text(raw.get("content"))
    if reasoning:
        pending_reasoning.append(reasoning)
        return None
    tool_calls: list[dict[str, object]] = []
    recipient = raw.get("recipient")
    if role == "assistant" and isinstance(recipient, str) and recipient != "all" and text:
        # The assistant addressing a tool (browser, python): our shape for that is a tool call.
        call_id = raw.get("id") if isinstance(raw.get("id"), str) else ""
        tool_calls.append(
            {"id": call_id, "type": "function", "function": {"name": recipient, "arguments": text}}
        )
        text = ""
    if not text.strip() and not tool_calls:
        return None
    # ChatGPT leaves some times out (null): the conversation's time stands in. A number that
    # is not a time (Infinity, milliseconds) is refused.
    created = optional_timestamp(raw, "create_time", where, fallback_time)
    finish = metadata.get("finish_details")
    message: MessageRecord = {
        "uid": "",  # chatgpt_record links the message into the tree
        "parent": None,
        "role": role,
        "content": text,
        "reasoning": "",
        "tool_calls": tool_calls,
        "state": MessageState.COMPLETE,
        "finish_reason": finish.get("type") if isinstance(finish, dict) else None,
        "usage": None,
        "error": None,
        "created_at": created,
        "updated_at": optional_timestamp(raw, "update_time", where, created),
    }
    if role == "assistant" and pending_reasoning:
        message["reasoning"] = "\n\n".join(pending_reasoning)
        pending_reasoning.clear()
    if not isinstance(message["finish_reason"], str):
        message["finish_reason"] = None
    return message


def chatgpt_record(raw: object, where: str) -> Record:
    """One ChatGPT conversation as our import record; ImportFormatError if it is malformed."""
    if not isinstance(raw, dict):
        raise ImportFormatError(f"{where} is not an object.")
    ident = raw.get("conversation_id") or raw.get("id")
    if not isinstance(ident, str) or not ident:
        raise ImportFormatError(f"{where} has no 'conversation_id' or 'id'.")
    mapping = raw.get("mapping")
    if not isinstance(mapping, dict):
        raise ImportFormatError(f"{where}: 'mapping' is missing or not an object.")
    current = raw.get("current_node")
    if not isinstance(current, str):
        raise ImportFormatError(f"{where}: 'current_node' is missing.")
    created = optional_timestamp(raw, "create_time", where, time.time())
    messages = []
    # For each node: the uid of its nearest shown ancestor-or-self, and reasoning still waiting
    # for the assistant message it belongs to (on that branch).
    shown: dict[str, str | None] = {}
    waiting: dict[str, list[str]] = {}
    for node_id, node in _nodes(mapping, current, where):
        parent = node.get("parent")
        above = shown.get(parent) if isinstance(parent, str) else None
        pending = list(waiting.get(parent, [])) if isinstance(parent, str) else []
        at = f"{where}, node {node_id[:40]!r}"
        message = _message(node.get("message"), pending, created, at)
        if message is None:
            shown[node_id], waiting[node_id] = above, pending
            continue
        message["uid"], message["parent"] = UID_PREFIX + node_id, above
        messages.append(message)
        shown[node_id], waiting[node_id] = message["uid"], pending
    raw_title = raw.get("title")
    title: str = raw_title if isinstance(raw_title, str) else ""
    first_user = next((m["content"] for m in messages if m["role"] == "user"), "")
    return {
        "uid": UID_PREFIX + ident,
        "title": title.strip() or title_from(first_user),
        "title_is_custom": bool(title.strip()),
        "profile": "ChatGPT import",
        "model": model if isinstance(model := raw.get("default_model_slug"), str) else "",
        "provider_conversation_id": None,
        "created_at": created,
        "updated_at": optional_timestamp(raw, "update_time", where, created),
        "pinned": False,
        "selected_leaf": shown.get(current),
        "messages": messages,
    }
