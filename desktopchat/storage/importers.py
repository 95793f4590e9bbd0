"""Import our versioned JSON export, or ChatGPT's conversations.json: all of it or nothing.

The file is read by `JsonStream` one conversation at a time, so memory follows the largest
conversation rather than the file. Each conversation is checked (export_records.py or
chatgpt.py, with import_checks.py) and written in its own short transaction
(import_writes.py), so the window's own saves are never kept waiting for long. If anything
fails half-way (a malformed conversation, a full disk, Cancel raised from `progress`), the
conversations this import added are deleted again before the error goes on: a failed or
cancelled import leaves the history as it was. Conversations are matched by their stable uid,
so importing the same file twice adds nothing the second time.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from desktopchat.errors import ImportFormatError
from desktopchat.regular_files import open_regular

from .chatgpt import chatgpt_record
from .export_records import ExportReader, check_conversation, check_header
from .import_checks import Record
from .import_writes import Check, write_conversations
from .jsonstream import JsonStream
from .models import ImportResult
from .opening import connect
from .store import HistoryStore

# progress(done, total): bytes of the file read so far and its size (for a dict: conversations).
Progress = Callable[[int, int], None]


class ImportKind(enum.StrEnum):
    DESKTOPCHAT = "desktopchat"  # our export: a JSON object
    CHATGPT = "chatgpt"  # ChatGPT's conversations.json: a JSON array


def _from_file(
    store: HistoryStore, path: Path, kind: ImportKind | None, progress: Progress | None
) -> ImportResult:
    source = str(path)
    try:
        fh = open_regular(path)  # a `with` below; here only open errors (a FIFO never blocks)
        size = os.fstat(fh.fileno()).st_size
    except OSError as exc:
        raise ImportFormatError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    with fh:
        stream = JsonStream(fh, source)
        first = stream.peek()
        if first not in ("[", "{"):
            stream.value()  # not JSON at all: say where the syntax breaks
        if kind is None and first not in ("[", "{"):
            raise ImportFormatError(
                f"{Path(path).name} is neither a desktopchat export nor ChatGPT's"
                " conversations.json."
            )
        if kind is None:
            kind = ImportKind.CHATGPT if first == "[" else ImportKind.DESKTOPCHAT

        def report(_number: int) -> None:
            if progress is not None:
                progress(min(stream.bytes_read, size), size)

        if kind == ImportKind.CHATGPT:
            if first != "[":
                stream.value()  # a syntax error, if there is one, says more than the kind
                raise ImportFormatError(
                    f"{source} is not a ChatGPT conversations.json"
                    " (expected a list of conversations)."
                )
            raws: Iterator[object] = _then_end(stream.items(), stream)
            result = write_conversations(store, raws, _chatgpt_check(source), report)
        else:
            export = ExportReader(stream)
            result = write_conversations(store, export.conversations(), export.check, report)
    if progress is not None:
        progress(size, size)
    return result


def _then_end(items: Iterator[object], stream: JsonStream) -> Iterator[object]:
    yield from items
    stream.end()


def _chatgpt_check(source: str) -> Check:
    return lambda raw, where: chatgpt_record(raw, f"{source}: {where}")


def import_json(
    store: HistoryStore,
    data: Mapping[str, object] | Path | str,
    *,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a desktopchat JSON export (a dict, or a path to the file)."""
    if isinstance(data, (str, Path)):
        return _from_file(store, Path(data), ImportKind.DESKTOPCHAT, progress)
    source = "The import data"
    if not isinstance(data, Mapping):
        raise ImportFormatError(f"{source} is not a desktopchat export (expected a JSON object).")
    version = check_header(data, source)
    conversations = data.get("conversations")
    if not isinstance(conversations, list):
        raise ImportFormatError(f"{source}: 'conversations' must be a list.")
    total = len(conversations)

    def report(number: int) -> None:
        if progress is not None:
            progress(number, total)

    def check(raw: object, where: str) -> Record:
        return check_conversation(raw, where, version)

    return write_conversations(store, conversations, check, report)


def import_chatgpt(
    store: HistoryStore, path: Path | str, *, progress: Progress | None = None
) -> ImportResult:
    """Import ChatGPT's conversations.json: the main path (current_node back to the root)."""
    return _from_file(store, Path(path), ImportKind.CHATGPT, progress)


def import_file(
    store: HistoryStore, path: Path | str, *, progress: Progress | None = None
) -> ImportResult:
    """Import either kind of file: a JSON object is our export, an array ChatGPT's."""
    return _from_file(store, Path(path), None, progress)


def detect_format(path: Path | str) -> ImportKind:
    """Which importer a file is for, from its first character (a BOM and spaces skipped)."""
    try:
        with open_regular(path) as fh:
            first = JsonStream(fh, str(path), chunk=4096).peek()
    except OSError as exc:
        raise ImportFormatError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    if first in ("[", "{"):
        return ImportKind.CHATGPT if first == "[" else ImportKind.DESKTOPCHAT
    raise ImportFormatError(
        f"{Path(path).name} is neither a desktopchat export nor ChatGPT's conversations.json."
    )


def import_into(
    database: Path, path: Path | str, *, busy_timeout: float = 5.0, progress: Progress | None = None
) -> ImportResult:
    """`import_file` on a connection of its own, for a worker thread beside the window's store.

    Only a connection: the window's store already checked, migrated and recovered the file.
    """
    store = HistoryStore(connect(database, busy_timeout), database, busy_timeout)
    try:
        return import_file(store, path, progress=progress)
    finally:
        store.close()
