"""The ways a server can write a key back, and a search for any of them in a text.

Written independently of desktopchat/redact.py (the code under test): each form is made
here, and `leaks` looks for any 8 consecutive key characters in each form (8 is the
fragment length the app promises to remove), plus base64 and hex decoding of the words.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import re
from collections.abc import Callable

WINDOW = 8
ZERO_WIDTH = "\u200b"


def json_escaped(text: str, every: int = 1) -> str:
    """JSON `\\uXXXX` escapes for every `every`-th character, the rest plain."""
    return "".join(f"\\u{ord(c):04x}" if i % every == 0 else c for i, c in enumerate(text))


def percent(text: str) -> str:
    return "".join(f"%{ord(c):02X}" for c in text)


def html_refs(text: str) -> str:
    return "".join(f"&#{ord(c)};" if i % 2 else f"&#x{ord(c):x};" for i, c in enumerate(text))


def invisible(text: str) -> str:
    return ZERO_WIDTH.join(text)


FORMS: dict[str, Callable[[str], str]] = {
    "plain": lambda t: t,
    "json": json_escaped,
    "json-mixed": lambda t: json_escaped(t, 3),
    "percent": percent,
    "percent-lower": lambda t: percent(t).lower(),
    "html": html_refs,
    "invisible": invisible,
    "hex": lambda t: t.encode().hex(),
}


def windows(key: str) -> list[str]:
    return [key[i : i + WINDOW] for i in range(len(key) - WINDOW + 1)]


def _decoded_words(text: str) -> str:
    """Each base64- or hex-looking word of `text`, decoded at every alignment."""
    out = []
    for word in re.findall(r"[A-Za-z0-9+/_\-=]{12,}", text):
        for shift in range(4):
            piece = word[shift:].rstrip("=")
            piece = piece[: len(piece) - len(piece) % 4]
            for decode in (base64.b64decode, base64.urlsafe_b64decode):
                with contextlib.suppress(ValueError, binascii.Error):
                    out.append(decode(piece).decode("latin-1"))
    return " ".join(out)


def leaks(text: str, key: str) -> list[str]:
    """The forms in which 8 or more consecutive key characters appear in `text`."""
    found = []
    for name, form in FORMS.items():
        if name == "json-mixed":  # the mix depends on where the window starts in the key
            spelled = [json_escaped(key, 3)[_offset(key, i) : _offset(key, i + WINDOW)]
                       for i in range(len(key) - WINDOW + 1)]
        else:
            spelled = [form(w) for w in windows(key)]
        if any(s in text for s in spelled):
            found.append(name)
    decoded = _decoded_words(text)
    if any(w in decoded for w in windows(key)):
        found.append("base64")
    return found


def _offset(key: str, index: int) -> int:
    """Where key character `index` starts in json_escaped(key, 3)."""
    return len(json_escaped(key[:index], 3))
