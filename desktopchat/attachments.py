"""Attachments as plain data: what a user message carries besides its text (DESIGN §3, §4).

Shared by storage (content-addressed blobs), core (content parts on the wire) and the
file reader; it imports nothing of ours. Every size limit lives here, in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Final


class Kind(StrEnum):
    """How an attachment goes out: an image part, or text inlined under its file name."""

    IMAGE = "image"  # bytes of a png/jpeg/webp/gif (downscaled before it is stored)
    TEXT = "text"  # UTF-8 text of a text or code file
    PDF = "pdf"  # UTF-8 text extracted from a PDF (the name keeps its .pdf)


KINDS: Final = tuple(Kind)
IMAGE_MIMES: Final = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
}
# The longest side an image is sent with; larger ones are scaled down before storing.
MAX_IMAGE_SIDE: Final = 2048
# An image file larger than this is refused before it is decoded.
MAX_IMAGE_FILE_BYTES: Final = 30 * 1024 * 1024
# Text inlined into a message: per file and for all files of one message.
MAX_TEXT_BYTES_PER_FILE: Final = 200_000
MAX_TEXT_BYTES_TOTAL: Final = 1_000_000
# A PDF larger than this is not opened (its text would be far past the caps anyway).
MAX_PDF_FILE_BYTES: Final = 50 * 1024 * 1024
# Roughly how many bytes of text make one token (English prose and code: 3.5..4.5).
BYTES_PER_TOKEN: Final = 4


@dataclass(frozen=True)
class Attachment:
    name: str  # the file name shown and sent (no folders)
    kind: Kind
    mime: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    @cached_property
    def sha256(self) -> str:
        import hashlib  # here: ~2 ms that `ask` would pay before its request leaves

        return hashlib.sha256(self.data).hexdigest()

    @property
    def text(self) -> str:
        """The inlined text of a text or PDF attachment ("" for an image)."""
        return "" if self.kind is Kind.IMAGE else self.data.decode("utf-8", errors="replace")


def human_size(size: int) -> str:
    """1.2 MB, 34 KB, 512 B: for chips and the line under a message."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    if size >= 1_000:
        return f"{size / 1_000:.0f} KB"
    return f"{size} B"


def about_tokens(size: int) -> int:
    return max(1, size // BYTES_PER_TOKEN)
