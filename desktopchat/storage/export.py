"""Export conversations as Markdown (to read) or versioned JSON (to restore with import_json).

JSON format version 2 holds the whole tree: every message has its own `uid` and its `parent`
(the parent's uid, or null), and the conversation names its `selected_leaf` and its `folder`
(added later in version 2; older files and readers simply have none). Markdown writes the
branch shown (the current path), as the reader saw it.

`write_export` is the one way an export reaches a file (the window's menu and the sidebar's
both use it): written next to the target, then renamed over it, so a failure never leaves half
a file. Any time already stored, however odd, is exported without raising: Markdown says
"unknown date", and JSON, which must import back, puts a nearby known time in its place.
"""

from __future__ import annotations

import enum
import json
import os
import time
from pathlib import Path

from desktopchat.attachments import Attachment, Kind, human_size

from . import attachment_records
from .attachment_records import MarkdownFiles
from .models import Conversation, Message, MessageState
from .store import HistoryStore
from .timestamps import known_time, utc_text


class ExportFormat(enum.StrEnum):
    MARKDOWN = "markdown"
    JSON = "json"

    @property
    def suffix(self) -> str:
        return ".md" if self is ExportFormat.MARKDOWN else ".json"

FORMAT_NAME = "desktopchat-history"
FORMAT_VERSION = 2
ALL = -1  # SQLite's LIMIT -1: no limit
MAX_MEASURE = 1e9  # seconds to first token, tokens per second: anything above is not a figure


def _conversations(store: HistoryStore, ids: list[int] | None) -> list[Conversation]:
    if ids is None:
        ids = store.all_conversation_ids()
    return [store.get_conversation(cid) for cid in ids]


def _time(value: object, fallback: float) -> float:
    seconds = known_time(value)
    return fallback if seconds is None else seconds


def _measure(value: object) -> float | None:
    """A stored timing figure, or None when it is not a finite number (JSON has no Infinity)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if 0 <= value <= MAX_MEASURE else None


def conversation_record(store: HistoryStore, conversation: Conversation) -> dict[str, object]:
    """Everything needed to restore one conversation; local row ids are not part of it."""
    created = _time(conversation.created_at, _time(conversation.updated_at, time.time()))
    messages = store.messages(conversation.id, limit=ALL)
    files = store.attachments([m.id for m in messages])
    uids = {m.id: m.uid for m in messages}
    leaf = store.current_leaf_id(conversation.id)
    return {
        "uid": conversation.uid,
        "title": conversation.title,
        "title_is_custom": conversation.title_is_custom,
        "profile": conversation.profile,
        "model": conversation.model,
        "provider_conversation_id": conversation.provider_conversation_id,
        "created_at": created,
        "updated_at": _time(conversation.updated_at, created),
        "pinned": conversation.pinned,
        # The sidebar folder's name (null: none); an import files the chat in the folder of
        # that name, made when missing. A name, not an id: ids mean nothing in another file.
        "folder": store.folders.name_of(conversation.folder_id),
        "selected_leaf": uids.get(leaf) if leaf is not None else None,
        "messages": [message_record(m, uids, created, files.get(m.id, ())) for m in messages],
    }


def message_record(
    message: Message,
    uids: dict[int, str],
    fallback_time: float,
    attachments: list[Attachment] | tuple[Attachment, ...] = (),
) -> dict[str, object]:
    """One message; `uids` maps the conversation's row ids to message uids (for `parent`).
    Attachments are embedded (base64) only in messages that have any."""
    created = _time(message.created_at, fallback_time)
    record: dict[str, object] = {
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
        "first_token_s": _measure(message.first_token_s),
        "tokens_per_s": _measure(message.tokens_per_s),
        "created_at": created,
        "updated_at": _time(message.updated_at, created),
    }
    if attachments:
        record["attachments"] = attachment_records.records(attachments)
    return record


def export_json(store: HistoryStore,
                conversation_ids: list[int] | None = None) -> dict[str, object]:
    """A JSON-ready dict: {"format", "version", "exported_at", "conversations": [...]}."""
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": time.time(),
        "conversations": [
            conversation_record(store, c) for c in _conversations(store, conversation_ids)
        ],
    }


def _fence(text: str, info: str = "") -> str:
    """A fenced block longer than any backtick run inside `text`, so it cannot be closed early."""
    longest = run = 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text}\n{fence}"


def _attachment_lines(attachments: list[Attachment], files: MarkdownFiles | None) -> str:
    """Under a message: each file linked beside the .md (images shown), or named."""
    lines = []
    for a in attachments:
        label = f"{a.name} ({human_size(a.size)})"
        if files is None:
            lines.append(f"- 📎 {label}")
            continue
        target = "<" + files.add(a) + ">"
        link = f"![{label}]({target})" if a.kind is Kind.IMAGE else f"[{label}]({target})"
        lines.append(f"- 📎 {link}")
    return "\n".join(lines)


def _message_markdown(
    message: Message, attachments: list[Attachment] | None = None,
    files: MarkdownFiles | None = None,
) -> str:
    parts = [f"### {message.role.capitalize()} · {utc_text(message.created_at)}"]
    if message.state != MessageState.COMPLETE:
        parts.append(f"*({message.state})*")
    if message.reasoning:
        quoted = "\n".join(f"> {line}" if line else ">" for line in message.reasoning.splitlines())
        parts.append(f"<details>\n<summary>Reasoning</summary>\n\n{quoted}\n\n</details>")
    if message.content:
        parts.append(message.content)
    if attachments:
        parts.append(_attachment_lines(attachments, files))
    if message.tool_calls:
        parts.append(
            "**Tool calls**\n\n" + _fence(json.dumps(message.tool_calls, indent=2), "json")
        )
    if message.error:
        parts.append(f"> **Error:** {' '.join(message.error.split())}")
    return "\n\n".join(parts)


def conversation_markdown(
    store: HistoryStore, conversation: Conversation, files: MarkdownFiles | None = None
) -> str:
    """The branch shown; attachments are linked into `files` (or only named without it)."""
    head = [f"# {conversation.title or 'Untitled conversation'}", ""]
    head.append(f"- Created: {utc_text(conversation.created_at)}")
    head.append(f"- Updated: {utc_text(conversation.updated_at)}")
    if conversation.profile or conversation.model:
        head.append(f"- Profile: {conversation.profile or '-'}; model: {conversation.model or '-'}")
    folder = store.folders.name_of(conversation.folder_id)
    if folder:
        head.append(f"- Folder: {folder}")
    path = store.current_path(conversation.id)
    attached = store.attachments([m.id for m in path])
    body = [_message_markdown(m, attached.get(m.id), files) for m in path]
    return "\n\n".join(["\n".join(head), *body]) + "\n"


def export_markdown(
    store: HistoryStore,
    conversation_ids: list[int] | None = None,
    files: MarkdownFiles | None = None,
) -> str:
    """One Markdown document; conversations separated by a horizontal rule."""
    docs = [conversation_markdown(store, c, files)
            for c in _conversations(store, conversation_ids)]
    return "\n---\n\n".join(docs)


def render_export(store: HistoryStore, ids: list[int] | None, fmt: ExportFormat) -> str:
    """The text of an export: `ids` None means every conversation."""
    if fmt is ExportFormat.MARKDOWN:
        return export_markdown(store, ids)
    return json.dumps(export_json(store, ids), ensure_ascii=False, indent=2) + "\n"


def files_folder_name(path: Path) -> str:
    return f"{path.stem} files"


def _write_files(folder: Path, files: dict[str, bytes]) -> None:
    if not files:
        return
    folder.mkdir(exist_ok=True)
    for name, data in files.items():
        target = folder / name
        part = target.with_name(name + ".part")
        part.write_bytes(data)
        os.replace(part, target)


def write_export(
    store: HistoryStore, ids: list[int] | None, fmt: ExportFormat, path: Path
) -> None:
    """Write an export atomically: the file is complete, or it is not there (or as it was).

    A Markdown export with attachments writes them into a folder beside it, named after the
    file (`chat.md` -> `chat files/`), and links them by relative path."""
    if fmt is ExportFormat.MARKDOWN:
        files = MarkdownFiles(files_folder_name(path))
        text = export_markdown(store, ids, files)
        _write_files(path.with_name(files.folder), files.files)
    else:
        text = render_export(store, ids, fmt)
    part = path.with_name(path.name + ".part")
    try:
        with part.open("w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(part, path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
