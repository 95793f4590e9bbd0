"""Files -> attachments: classify, read, extract PDF text, enforce the caps (no Qt).

Images are read as bytes here; scaling them down needs an image library, which the window
has (ui/image_scaling.py). Reading a PDF can take a while: callers run this off the UI
thread. Every refusal is an AttachmentError whose message says what to do instead.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from desktopchat.attachments import (
    IMAGE_MIMES,
    MAX_IMAGE_FILE_BYTES,
    MAX_PDF_FILE_BYTES,
    MAX_TEXT_BYTES_PER_FILE,
    MAX_TEXT_BYTES_TOTAL,
    Attachment,
    Kind,
    about_tokens,
    human_size,
)
from desktopchat.errors import AttachmentError
from desktopchat.regular_files import read_regular

# Control characters other than tab, newline, carriage return and form feed: a file with
# these in its first bytes is binary, whatever its name says.
_BINARY_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
_SNIFF = 8192


def read_attachment(path: Path) -> Attachment:
    """The attachment for the file at `path`, or AttachmentError saying why not."""
    name = path.name
    try:
        size = path.stat().st_size
        suffix = path.suffix.lower()
        if suffix in IMAGE_MIMES:
            if size > MAX_IMAGE_FILE_BYTES:
                raise AttachmentError(
                    f"{name} is {human_size(size)}; images up to "
                    f"{human_size(MAX_IMAGE_FILE_BYTES)} can be attached.")
            return Attachment(name, Kind.IMAGE, IMAGE_MIMES[suffix],
                              read_regular(path, MAX_IMAGE_FILE_BYTES))
        if suffix == ".pdf":
            if size > MAX_PDF_FILE_BYTES:
                raise AttachmentError(
                    f"{name} is {human_size(size)}; PDFs up to "
                    f"{human_size(MAX_PDF_FILE_BYTES)} can be attached.")
            return attachment_from_pdf(name, read_regular(path, MAX_PDF_FILE_BYTES))
        if size > 4 * MAX_TEXT_BYTES_PER_FILE:
            raise too_large(name, size)
        return attachment_from_text(name, read_regular(path, 4 * MAX_TEXT_BYTES_PER_FILE))
    except OSError as exc:
        raise AttachmentError(f"Could not read {name}: {exc.strerror or exc}.") from exc


def attachment_from_text(name: str, data: bytes) -> Attachment:
    """A text or code file; binary content (or not UTF-8/UTF-16 text) is refused."""
    text = _decode(data)
    if text is None:
        raise AttachmentError(
            f"{name} is not a text file, an image (PNG, JPEG, WebP, GIF) or a PDF, "
            "so it cannot be sent to a chat model.")
    return _inlined_text(name, Kind.TEXT, text)


def attachment_from_pdf(name: str, data: bytes) -> Attachment:
    """The text layer of a PDF, page by page; a scan without text is refused."""
    from pypdf import PdfReader  # imported on use: only PDFs pay for it
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise AttachmentError(f"{name} is encrypted; save an unlocked copy and attach that.")
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise AttachmentError(f"{name} could not be read as a PDF ({exc}).") from exc
    text = "\n\n".join(p for p in pages if p)
    if not text.strip():
        raise AttachmentError(
            f"{name} has no text layer (it is probably a scan). Run it through OCR, or "
            "attach the pages as images to a model that accepts images.")
    return _inlined_text(name, Kind.PDF, text)


def _inlined_text(name: str, kind: Kind, text: str) -> Attachment:
    """Text that goes into the message as written, within the per-file cap."""
    encoded = text.encode("utf-8")
    if len(encoded) > MAX_TEXT_BYTES_PER_FILE:
        raise too_large(name, len(encoded))
    return Attachment(name, kind, "text/plain", encoded)


def too_large(name: str, size: int, context_tokens: int | None = None) -> AttachmentError:
    return AttachmentError(
        f"{name} is {human_size(size)} of text (about {about_tokens(size):,} tokens); "
        f"files up to {human_size(MAX_TEXT_BYTES_PER_FILE)} (about "
        f"{about_tokens(MAX_TEXT_BYTES_PER_FILE):,} tokens) can be inlined. "
        + context_note(size, context_tokens)
        + "Attach the part you need.")


def context_note(size: int, context_tokens: int | None) -> str:
    if context_tokens:
        share = about_tokens(size) / context_tokens
        return (f"The model reads about {context_tokens:,} tokens at once, so this would "
                f"fill {share:.0%} of it. ")
    return "Most chat models read 8,000 to 128,000 tokens at once. "


def check_total(attachments: Sequence[Attachment], adding: Attachment) -> None:
    """Refuse `adding` when the text of one message would pass the total cap."""
    if adding.kind is Kind.IMAGE:
        return
    total = sum(a.size for a in attachments if a.kind is not Kind.IMAGE) + adding.size
    if total > MAX_TEXT_BYTES_TOTAL:
        raise AttachmentError(
            f"Adding {adding.name} makes {human_size(total)} of text in one message (about "
            f"{about_tokens(total):,} tokens); up to {human_size(MAX_TEXT_BYTES_TOTAL)} "
            "can be attached. " + context_note(total, None))


def _decode(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if any(b in _BINARY_BYTES for b in data[:_SNIFF]):
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
