"""Attachments in export files: JSON records (base64) and files beside a Markdown export.

JSON: a message with files gets `"attachments": [{"name", "kind", "mime", "sha256",
"data"}]` (data in base64); messages without files have no such key, so files written
before attachments existed, and readers that do not know the key, keep working. Import
checks every field and that the data matches its SHA-256.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable

from desktopchat.attachments import KINDS, Attachment, Kind
from desktopchat.errors import ImportFormatError

# Bigger than any file the composer accepts (images before scaling are capped lower).
MAX_IMPORTED_BYTES = 64 * 1024 * 1024
_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*]')


def records(attachments: Iterable[Attachment]) -> list[dict[str, object]]:
    return [
        {
            "name": a.name,
            "kind": str(a.kind),
            "mime": a.mime,
            "sha256": a.sha256,
            "data": base64.b64encode(a.data).decode("ascii"),
        }
        for a in attachments
    ]


def checked(raw: object, where: str) -> tuple[Attachment, ...]:
    """The attachments of an imported message (none when the key is absent)."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ImportFormatError(f"{where}: 'attachments' must be a list.")
    found = []
    for j, item in enumerate(raw):
        here = f"{where}, attachment #{j + 1}"
        if not isinstance(item, dict):
            raise ImportFormatError(f"{here} is not an object.")
        name, kind, mime, data = (item.get(k) for k in ("name", "kind", "mime", "data"))
        if not isinstance(name, str) or not name.strip() or not isinstance(mime, str):
            raise ImportFormatError(f"{here}: 'name' and 'mime' must be text.")
        if kind not in KINDS:
            raise ImportFormatError(f"{here}: unknown kind {kind!r} (expected one of {KINDS}).")
        if not isinstance(data, str) or len(data) > MAX_IMPORTED_BYTES * 4 // 3 + 4:
            raise ImportFormatError(f"{here}: 'data' must be base64 text of at most 64 MB.")
        try:
            content = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ImportFormatError(f"{here}: 'data' is not valid base64.") from exc
        sha = item.get("sha256")
        if sha is not None and sha != hashlib.sha256(content).hexdigest():
            raise ImportFormatError(f"{here}: the data does not match its sha256.")
        found.append(Attachment(name, Kind(kind), mime, content))
    return tuple(found)


class MarkdownFiles:
    """Collects the files of a Markdown export under one folder name, each name unique."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.files: dict[str, bytes] = {}

    def add(self, attachment: Attachment) -> str:
        """The relative path the Markdown links to (a PDF is written as its extracted text)."""
        name = _UNSAFE.sub("_", attachment.name).strip(" .") or "attachment"
        if attachment.kind is Kind.PDF:
            name += ".txt"
        stem, dot, suffix = name.rpartition(".")
        candidate, n = name, 1
        while candidate in self.files and self.files[candidate] != attachment.data:
            n += 1
            candidate = f"{stem} ({n}).{suffix}" if dot else f"{name} ({n})"
        self.files[candidate] = attachment.data
        return f"{self.folder}/{candidate}"
