"""`desktopchat export` and `desktopchat import`: the storage exporters and importers, on files.

An export file is written atomically (storage.export.write_export): complete, or not there.
`-o -` (or no -o) writes to stdout. An import checks the whole file before it counts, in
one transaction: a bad file imports nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desktopchat.errors import DesktopChatError

from .parser import UsageError

if TYPE_CHECKING:
    from desktopchat.storage.models import ImportResult

    from .context import Context


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def export(context: Context, args: argparse.Namespace) -> int:
    from desktopchat.storage.export import ExportFormat, render_export, write_export

    if args.all == bool(args.ids):
        raise UsageError("desktopchat export: name conversation IDs or --all (not both)")
    fmt = ExportFormat.MARKDOWN if args.format == "md" else ExportFormat.JSON
    store = context.store()
    ids = None if args.all else list(dict.fromkeys(args.ids))
    for conversation_id in ids or []:
        store.get_conversation(conversation_id)  # a clear message for an unknown ID
    if args.output in (None, "-"):
        sys.stdout.write(render_export(store, ids, fmt))
        return 0
    target = Path(args.output).expanduser()
    try:
        write_export(store, ids, fmt, target)
    except OSError as exc:
        raise DesktopChatError(f"Could not write {target}: {exc.strerror or exc}.") from exc
    count = len(ids) if ids is not None else store.count_conversations()
    context.terminal.note(f"Exported {_plural(count, 'conversation')} to {target}.")
    return 0


def import_summary(result: ImportResult) -> list[str]:
    """What was added and what was skipped (already present), with the first titles."""
    lines = [
        f"Added {_plural(result.conversations_added, 'conversation')} "
        f"({_plural(result.messages_added, 'message')}); "
        f"skipped {result.conversations_skipped} already present."
    ]
    for label, titles in (("added", result.added_titles), ("skipped", result.skipped_titles)):
        lines += [f"  {label}: {' '.join(title.split()) or '(untitled)'}" for title in titles]
    return lines


def import_(context: Context, args: argparse.Namespace) -> int:
    from desktopchat.storage.importers import import_file

    result = import_file(context.store(), Path(args.file).expanduser())
    for line in import_summary(result):
        context.terminal.line(line)
    return 0
