"""`desktopchat history list|show|search`: the GUI's history, read-only, as text or JSON."""

from __future__ import annotations

import argparse
import json
import time
from typing import TYPE_CHECKING

from .parser import UsageError
from .shapes import conversation_json, hit_json, message_json, snippet_parts

if TYPE_CHECKING:
    from .context import Context
    from .terminal import Terminal

def _when(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(seconds))


def _limit(value: int) -> int:
    if value < 1:
        raise UsageError(f"desktopchat history: --limit must be 1 or more, not {value}")
    return value


def _print_json(terminal: Terminal, value: object) -> None:
    terminal.line(json.dumps(value, ensure_ascii=False, indent=2))


def run(context: Context, args: argparse.Namespace) -> int:
    action = args.history_command
    if action == "list":
        return list_conversations(context, args)
    if action == "show":
        return show(context, args)
    return search(context, args)


def list_conversations(context: Context, args: argparse.Namespace) -> int:
    store = context.store()
    found = store.list_conversations(limit=_limit(args.limit))
    terminal = context.terminal
    if args.json:
        folders = store.folders.names_of([c.id for c in found])
        _print_json(terminal, [conversation_json(c, folders.get(c.id)) for c in found])
        return 0
    for conversation in found:
        title = " ".join(conversation.title.split()) or "(untitled)"
        pin = "*" if conversation.pinned else " "
        terminal.line(
            f"{conversation.id:>6} {pin} {_when(conversation.updated_at)}  {terminal.bold(title)}"
        )
    return 0


def show(context: Context, args: argparse.Namespace) -> int:
    store = context.store()
    conversation = store.get_conversation(args.id)
    terminal = context.terminal
    if args.markdown:
        from desktopchat.storage.export import conversation_markdown

        terminal.out.write(conversation_markdown(store, conversation))
        return 0
    messages = store.current_path(conversation.id)  # the branch shown, as in the window
    if args.json:
        shape = conversation_json(conversation, store.folders.name_of(conversation.folder_id))
        shape["messages"] = [message_json(m) for m in messages]
        _print_json(terminal, shape)
        return 0
    terminal.line(terminal.bold(conversation.title or "(untitled)"))
    terminal.line(
        terminal.dim(
            f"#{conversation.id} · {conversation.profile or '-'} · {conversation.model or '-'} · "
            f"updated {_when(conversation.updated_at)}"
        )
    )
    for message in messages:
        state = "" if message.state == "complete" else f" ({message.state})"
        terminal.line("")
        terminal.line(terminal.bold(f"[{message.role}]") + terminal.dim(state))
        if message.content:
            terminal.line(message.content.rstrip("\n"))
        if message.error:
            terminal.line(terminal.dim(f"error: {' '.join(message.error.split())}"))
    return 0


def search(context: Context, args: argparse.Namespace) -> int:
    hits = context.store().search(args.query, limit=_limit(args.limit))
    terminal = context.terminal
    if args.json:
        _print_json(terminal, [hit_json(h) for h in hits])
        return 0
    for hit in hits:
        text, spans = snippet_parts(hit.snippet)
        shown, end = [], 0
        for start, stop in spans:
            shown += [text[end:start], terminal.bold(text[start:stop])]
            end = stop
        shown.append(text[end:])
        where = f"message {hit.message_id}" if hit.message_id is not None else "title"
        terminal.line(
            f"{hit.conversation_id:>6}  {terminal.bold(hit.conversation_title)}"
            f"  {terminal.dim(where)}"
        )
        terminal.line("        " + " ".join("".join(shown).split()))
    return 0
