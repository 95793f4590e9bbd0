"""Data-URL images in model output, `![alt](data:image/png;base64,...)`: finding them fast.

The only images a reply may show are the ones it carries itself (DESIGN.md §6): nothing is
fetched. Their payload can be megabytes on one line, which markdown-it would scan in
Python and the chunker would cut into pieces, so both go around it:
- the chunker keeps a token of at most MAX_TOKEN_CHARS whole in one chunk (it waits for
  the closing parenthesis while one streams in), and replaces a larger one by a short
  stand-in (`![alt](dcimg-large:<bytes>)`) without ever slicing it;
- the renderer swaps each token for `![alt](dcimg:<key>)` before parsing (`extract`),
  so markdown-it sees a few characters, and the payload goes to a worker to decode.
Only str.find is used on a payload (C speed); a payload is never matched by a regex.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

MAX_IMAGE_BYTES = 4 * 1024 * 1024  # a larger image is not shown (a placeholder says so)
MAX_TOKEN_CHARS = MAX_IMAGE_BYTES * 4 // 3 + 1024  # base64 of that, with its markup
IMAGE_TYPES = ("png", "jpeg", "jpg", "gif", "webp")
MARKER = "](data:"
ALT_MAX = 1000  # chars searched back from the marker for the token's "!["
HEAD_MAX = 64  # "](data:image/png;base64," and the like fit in this
LOOKAHEAD = len(MARKER) + HEAD_MAX  # text past a cut needed to tell if it is in a token
DATA_SCHEME = "dcimg"  # `![alt](dcimg:<key>)`: a data image the renderer swapped out
LARGE_SCHEME = "dcimg-large"  # `![alt](dcimg-large:<bytes>)`: one over MAX_IMAGE_BYTES
WAIT_SCHEME = "dcimg-wait"  # `![alt](dcimg-wait:)`: one still streaming in


@dataclass(frozen=True)
class Token:
    start: int  # the "!["
    marker: int  # the "](data:"
    payload: int  # first base64 character
    end: int  # just after the ")"; -1 while it has not arrived
    mime: str  # "image/png" ...


def token_at_marker(text: str, marker: int, lo: int, hi: int) -> Token | None:
    """The data-image token whose "](data:" is at `marker`, searched within [lo, hi)."""
    start = text.rfind("![", max(lo, marker - ALT_MAX), marker)
    if start < 0 or "\n" in text[start:marker]:
        return None
    head_end = text.find(",", marker, min(hi, marker + HEAD_MAX))
    if head_end < 0:
        return None
    head = text[marker + len(MARKER) : head_end]  # "image/png;base64"
    kind, _, encoding = head.partition(";")
    if not kind.startswith("image/") or kind[6:].lower() not in IMAGE_TYPES:
        return None
    if encoding.lower() != "base64":
        return None
    close = text.find(")", head_end, hi)
    return Token(start, marker, head_end + 1, close + 1 if close >= 0 else -1, kind.lower())


def token_crossing(text: str, lo: int, cut: int, hi: int) -> Token | None:
    """The data-image token that starts before `cut` (at or after `lo`) and does not end
    before it; `hi` is the end of the line."""
    marker = text.rfind(MARKER, lo, min(hi, cut + len(MARKER)))
    while marker >= 0:
        token = token_at_marker(text, marker, lo, hi)
        if token is not None:
            return token if token.end < 0 or token.end > cut else None
        marker = text.rfind(MARKER, lo, marker)
    return None


def alt_text(text: str, token: Token) -> str:
    return text[token.start + 2 : token.marker]


@dataclass(frozen=True)
class DataImage:
    key: str  # a digest of the payload: one image shown twice is decoded once
    mime: str
    payload: str  # base64 text


def extract(text: str) -> tuple[str, dict[str, DataImage]]:
    """`text` with each data-image token replaced by a short stand-in, and the images."""
    if MARKER not in text:
        return text, {}
    pieces: list[str] = []
    images: dict[str, DataImage] = {}
    done = 0
    marker = text.find(MARKER)
    while marker >= 0:
        line_end = text.find("\n", marker)
        hi = len(text) if line_end < 0 else line_end
        token = token_at_marker(text, marker, done, hi)
        if token is None:
            marker = text.find(MARKER, marker + 1)
            continue
        alt = alt_text(text, token)
        if token.end < 0:
            pieces.append(text[done : token.start] + f"![{alt}]({WAIT_SCHEME}:)")
            done = hi
        else:
            payload = text[token.payload : token.end - 1].strip()
            if len(payload) * 3 // 4 > MAX_IMAGE_BYTES:
                stand_in = f"![{alt}]({LARGE_SCHEME}:{len(payload) * 3 // 4})"
            else:
                key = hashlib.sha1(payload.encode("ascii", "replace")).hexdigest()
                images[key] = DataImage(key, token.mime, payload)
                stand_in = f"![{alt}]({DATA_SCHEME}:{key})"
            pieces.append(text[done : token.start] + stand_in)
            done = token.end
        marker = text.find(MARKER, done)
    pieces.append(text[done:])
    return "".join(pieces), images


def payload_chars(text: str) -> int:
    """How many characters of `text` are data-image payload (not text a reader sees)."""
    total = 0
    marker = text.find(MARKER)
    while marker >= 0:
        line_end = text.find("\n", marker)
        token = token_at_marker(text, marker, 0, len(text) if line_end < 0 else line_end)
        if token is not None:
            total += (token.end if token.end > 0 else len(text)) - token.payload
        marker = text.find(MARKER, marker + 1)
    return total
