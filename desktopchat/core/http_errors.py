"""HTTP error answers -> typed errors, and Retry-After; no HTTP client needed (the command
line's own sender uses them too, without importing httpx).

Error bodies come in many shapes — OpenAI's `{"error": {...}}`, FastAPI's `{"detail": ...}`,
Mistral's `{"object": "error", ...}`, a JSON list, an HTML page from a proxy, plain
text — and each becomes one readable message.
"""

from __future__ import annotations

import email.utils
import json
import math
import re
import time
from collections.abc import Mapping

from desktopchat.core.chunks import error_info
from desktopchat.core.limits import ERROR_MESSAGE_LIMIT, PROVIDER_MESSAGE_LIMIT
from desktopchat.errors import (
    AuthError,
    BadRequestError,
    HttpStatusError,
    RateLimitError,
    ServerError,
    StatusFields,
)
from desktopchat.redact import redact
from desktopchat.safe_json import loads_mended

__all__ = ["describe_body", "http_error", "parse_retry_after"]


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (delta seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if math.isnan(seconds):
        return None
    return max(0.0, seconds) if not math.isinf(seconds) else None


_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def _text_of(fragment: str) -> str:
    import html  # only for an error page

    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", fragment))).strip()


def describe_body(
    body: bytes, content_type: str, api_key: str | None = None
) -> tuple[str | None, str | int | None, str | None]:
    """(message, code, type) the body tells us; message None when it says nothing.

    The key (and any fragment of it) is scrubbed from the whole body first, before any
    part of it is cut to length.
    """
    text = redact(body.decode("utf-8", "replace"), api_key).strip()
    if not text:
        return None, None, None
    if text[0] in "{[":
        try:
            data = loads_mended(text)
        except (ValueError, RecursionError):
            data = None
        if isinstance(data, list) and data:
            data = data[0]
        if isinstance(data, dict):
            detail = data.get("detail")
            if "error" not in data and "message" not in data and detail is not None:
                data = {"message": detail if isinstance(detail, str) else json.dumps(detail)}
            info = error_info(data, fallback="")
            if info.message:  # redacted with the whole body above: cutting is safe now
                said = info.message
                if len(said) > PROVIDER_MESSAGE_LIMIT:
                    said = said[: PROVIDER_MESSAGE_LIMIT - 1] + "…"
                return said, info.code, info.error_type
    if "html" in content_type or text[:1] == "<":
        found = _TITLE.search(text) or _H1.search(text)
        title = _text_of(found.group(1)) if found else _text_of(text)
        title = title if len(title) <= 200 else title[:199] + "…"
        return (
            (f"the server (or a proxy in front of it) sent a web page: {title}" if title else None),
            None,
            None,
        )
    if len(text) > ERROR_MESSAGE_LIMIT:  # already redacted above: cutting is safe now
        text = text[: ERROR_MESSAGE_LIMIT - 1] + "…"
    return text, None, None


def _status_words(status: int) -> str:
    try:
        from http import HTTPStatus

        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def http_error(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    api_key: str | None = None,
    partial: object = None,
) -> HttpStatusError:
    """The typed error for an HTTP error answer, with a readable message."""
    message, code, etype = describe_body(body, headers.get("content-type", ""), api_key)
    kind: type[HttpStatusError]
    if status in (401, 403):
        kind, lead = AuthError, "The server refused the API key"
    elif status == 429:
        kind, lead = RateLimitError, "Rate limit or quota exceeded"
    elif status >= 500:
        kind, lead = ServerError, "The server failed"
    else:
        kind, lead = BadRequestError, "The server rejected the request"
    if status < 400:
        lead = "The server redirected the request instead of answering"
        location = headers.get("location")
        message = f"use {location} as the URL" if location else message
    text = f"{lead} (HTTP {_status_words(status)})"
    if message:
        text += f": {message}"
    text = redact(text, api_key)
    common: StatusFields = {
        "code": code,
        "error_type": etype,
        "status": status,
        "partial": partial,
    }
    if kind is RateLimitError:
        return RateLimitError(
            text, retry_after=parse_retry_after(headers.get("retry-after")), **common
        )
    return kind(text, **common)
