"""What a tool call gave back, made safe to show and to send on to the model.

Tool output is untrusted, like model output: text is kept as text, images only as bytes
of a known image type and bounded size, links are never fetched, and what goes back to
the model is capped with a visible note where it was cut.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass

TEXT_MAX_CHARS = 64_000  # what is sent back to the model for one call
IMAGE_MAX_BYTES = 5 * 1024 * 1024
IMAGES_MAX = 8
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


@dataclass(frozen=True)
class ToolImage:
    mime_type: str
    data: bytes


@dataclass(frozen=True)
class ToolOutcome:
    """The result of one call: text, images, whether the tool reported an error, and notes
    about anything left out (shown to the user and sent to the model)."""

    text: str
    images: tuple[ToolImage, ...] = ()
    is_error: bool = False
    notes: tuple[str, ...] = ()

    def for_model(self) -> str:
        """The content of the `tool` message that answers the call."""
        parts = [self.text] if self.text else []
        parts += [f"[image: {image.mime_type}, {len(image.data):,} bytes]" for image in self.images]
        parts += [f"[{note}]" for note in self.notes]
        content = "\n".join(parts) or "(no output)"
        return f"Error: {content}" if self.is_error else content


def refusal(tool_name: str) -> ToolOutcome:
    """What the model is told when the user denies a call."""
    return ToolOutcome(f"The user denied running the tool {tool_name!r}.", is_error=True)


def outcome_from_content(items: Iterable[object], *, is_error: bool) -> ToolOutcome:
    """Build an outcome from MCP content items (TextContent, ImageContent, resources...),
    read by their public fields so any SDK version's classes work."""
    texts: list[str] = []
    images: list[ToolImage] = []
    notes: list[str] = []
    for item in items:
        kind = getattr(item, "type", "")
        if kind == "text":
            texts.append(str(getattr(item, "text", "")))
        elif kind == "image":
            image, problem = _image(item)
            if image and len(images) < IMAGES_MAX:
                images.append(image)
            elif image:
                notes.append(f"more than {IMAGES_MAX} images; the rest were left out")
            elif problem:
                notes.append(problem)
        elif kind == "resource":
            resource = getattr(item, "resource", None)
            text = getattr(resource, "text", None)
            uri = getattr(resource, "uri", "")
            texts.append(str(text) if isinstance(text, str) else f"[resource {uri}]")
        elif kind == "resource_link":
            texts.append(f"[link to {getattr(item, 'uri', '')}; not opened]")
        else:
            notes.append(f"a {str(kind)[:40] or 'kind of'} result was left out")
    return capped(ToolOutcome("\n".join(texts), tuple(images), is_error, tuple(notes)))


def capped(outcome: ToolOutcome, limit: int = TEXT_MAX_CHARS) -> ToolOutcome:
    """The outcome with its text cut to `limit` characters, saying so when it was."""
    if len(outcome.text) <= limit:
        return outcome
    note = f"result cut at {limit:,} of {len(outcome.text):,} characters"
    notes = (*outcome.notes, note)
    return ToolOutcome(outcome.text[:limit], outcome.images, outcome.is_error, notes)


def _image(item: object) -> tuple[ToolImage | None, str | None]:
    mime = str(getattr(item, "mime_type", getattr(item, "mimeType", ""))).lower()
    if mime not in IMAGE_TYPES:
        return None, f"an image of type {mime[:40]!r} was left out"
    data = getattr(item, "data", "")
    if not isinstance(data, str) or len(data) > IMAGE_MAX_BYTES * 4 // 3 + 4:
        return None, f"an image over {IMAGE_MAX_BYTES // (1024 * 1024)} MB was left out"
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return None, "an image that was not valid base64 was left out"
    return ToolImage(mime, raw), None
