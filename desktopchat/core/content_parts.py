"""A user message with attachments -> what goes on the wire (DESIGN §3 Images).

Text and PDF attachments are inlined after the typed text, each in a fenced block headed by
its file name (a fence longer than any backtick run inside, so the file cannot close it).
Images become OpenAI content parts: the text first, then one `image_url` part per image
with a data URL. A message without images stays a plain string, byte for byte as before.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence

from desktopchat.attachments import Attachment, Kind
from desktopchat.errors import ApiError, BadRequestError, ProviderError

_BACKTICKS = re.compile(r"`{3,}")


def inlined_text(text: str, attachments: Sequence[Attachment]) -> str:
    """The typed text followed by every text/PDF attachment, fenced under its name."""
    blocks = [text] if text else []
    for attachment in attachments:
        if attachment.kind is Kind.IMAGE:
            continue
        body = attachment.text
        longest = max((len(m) for m in _BACKTICKS.findall(body)), default=2)
        fence = "`" * max(3, longest + 1)
        blocks.append(f"{attachment.name}\n{fence}\n{body.rstrip(chr(10))}\n{fence}")
    return "\n\n".join(blocks)


def data_url(attachment: Attachment) -> str:
    return f"data:{attachment.mime};base64," + base64.b64encode(attachment.data).decode("ascii")


def content_parts(text: str, attachments: Sequence[Attachment]) -> list[dict[str, object]]:
    """The `content` list of a message with images: one text part, then the images."""
    parts: list[dict[str, object]] = []
    full_text = inlined_text(text, attachments)
    if full_text:
        parts.append({"type": "text", "text": full_text})
    for attachment in attachments:
        if attachment.kind is Kind.IMAGE:
            parts.append({"type": "image_url", "image_url": {"url": data_url(attachment)}})
    return parts


def has_images(attachments: Sequence[Attachment]) -> bool:
    return any(a.kind is Kind.IMAGE for a in attachments)


IMAGES_REFUSED = (
    "The request carried images: this model or endpoint may not read them. Edit the "
    "message to remove them, choose a model that reads images, or turn off “Accepts "
    "images” for this profile in Settings."
)


def explained_failure(exc: ApiError, sent_images: bool) -> str:
    """The error to show; a refusal (HTTP 4xx, or an error in the stream) of a request with
    images says that the images are the likely cause and what to do."""
    if sent_images and isinstance(exc, BadRequestError | ProviderError):
        return f"{exc.message}\n{IMAGES_REFUSED}"
    return exc.message
