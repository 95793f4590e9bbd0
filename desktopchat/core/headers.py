"""What may be sent as an HTTP header: one rule for settings validation and the wire.

httpx encodes header names and values as ASCII and h11 refuses control characters, so a
value with `é` or a line break would fail only when the request is sent. Settings refuse
such values up front (`header_problem`), and the wire checks again before sending
(`unsendable_header`), so every path reports it in words instead of a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from desktopchat.core.limits import CONVERSATION_ID_LIMIT

# Headers desktopchat sets itself, or that carry a credential (which belongs in the
# keyring, not in a settings file). Extra headers from a profile may not use these names.
RESERVED_HEADERS = frozenset(
    {
        "accept",
        "accept-encoding",
        "authorization",
        "content-length",
        "content-type",
        "host",
        "proxy-authorization",
        "transfer-encoding",
    }
)

HTTP_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# Visible ASCII, space and tab (RFC 9110 field-value without obs-text, which httpx refuses).
_SENDABLE_VALUE = re.compile(r"[\t\x20-\x7e]*")


def is_reserved(name: str) -> bool:
    return name.strip().lower() in RESERVED_HEADERS


def header_problem(name: object, value: object) -> str | None:
    """Why this (name, value) cannot be an extra header, or None. Never quotes the value."""
    if not isinstance(name, str) or not HTTP_TOKEN.fullmatch(name):
        return f"{name!r} is not a valid header name (letters, digits and -, no spaces)."
    if not isinstance(value, str):
        return f"The value of {name} must be text."
    if "\r" in value or "\n" in value:
        return f"The value of {name} must be on one line."
    if not _SENDABLE_VALUE.fullmatch(value):
        return (
            f"The value of {name} can only hold plain ASCII characters (no accents, "
            "symbols such as “ ” or …, or control characters): HTTP cannot send them."
        )
    return None


def unsendable_header(headers: Mapping[str, str]) -> str | None:
    """The name of the first header httpx could not send, or None."""
    for name, value in headers.items():
        if not HTTP_TOKEN.fullmatch(name) or not _SENDABLE_VALUE.fullmatch(value):
            return name
    return None


_CONVERSATION_ID = re.compile(r"[\x21-\x7e]+")


def acceptable_conversation_id(value: str | None) -> str | None:
    """A provider's conversation id if it is 1..CONVERSATION_ID_LIMIT visible ASCII
    characters (no spaces, no controls), else None: it is sent back as a header."""
    if value is None:
        return None
    value = value.strip()
    if len(value) > CONVERSATION_ID_LIMIT or not _CONVERSATION_ID.fullmatch(value):
        return None
    return value
