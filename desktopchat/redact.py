"""The one place secrets are scrubbed from text (DESIGN.md §5).

Three strengths, for three kinds of text:

- `scrub_secrets(text, secrets)`: every known secret, and every run of at least
  FRAGMENT_LENGTH consecutive characters of one, becomes MASK. For text a server wrote
  that we store as the user's data (reply content, reasoning, tool arguments): nothing
  else in it is touched, so a reply that talks about `Bearer` tokens or user@host URLs
  keeps its words.
- `redact(text, secrets)`: the above, plus the user-info of any URL
  (`https://alice:pw@host/` -> `https://[redacted]@host/`). For error messages.
- `SecretRedactor`: a logging filter doing the above plus token shapes (`Bearer ...`,
  `api_key=...`, `sk-...`), for every log line, including tracebacks.

Redact before truncating: a cut-off key is still a leak (500 characters of an error
body once kept 17 of a key's 24 random characters). `redact_truncated` does both in
the right order without scanning more than it keeps.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktopchat.redact_log import SecretRedactor as SecretRedactor

MASK = "[redacted]"
# A run of this many characters of a secret counts as a leak of it. Shorter secrets are
# removed only whole (a 4-character "key" is more likely a placeholder than a secret).
FRAGMENT_LENGTH = 8
MIN_SECRET_LENGTH = 4

_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^\s/?#@\[\]]+@")
_TOKEN_SHAPES = (
    re.compile(r"(?i)(bearer\s+)[^\s'\"]+"),
    re.compile(r"(?i)((?:api[_-]?key|authorization|password)['\"]?\s*[:=]\s*['\"]?)[^\s'\",}]+"),
    re.compile(r"\bsk-[A-Za-z0-9_\-]{8,}"),
)


def _usable(secrets: Iterable[str | None]) -> list[str]:
    return sorted({s for s in secrets if s and len(s) >= MIN_SECRET_LENGTH}, key=len, reverse=True)


# Fragments are found from anchors: the ANCHOR-character pieces of a secret at offsets
# that are multiples of STRIDE. Any run of FRAGMENT_LENGTH or more characters of the
# secret holds one of them whole (STRIDE + ANCHOR - 1 == FRAGMENT_LENGTH), so searching
# for the anchors and growing each hit while it still matches the secret finds every
# run, with a quarter of the searches one per 8-character piece would need.
ANCHOR = 5
STRIDE = FRAGMENT_LENGTH - ANCHOR + 1


def _anchors(secret: str) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for offset in range(0, len(secret) - ANCHOR + 1, STRIDE):
        found.setdefault(secret[offset : offset + ANCHOR], []).append(offset)
    return found


def _runs(text: str, secret: str) -> list[tuple[int, int]]:
    """[start, end) of every run of >= FRAGMENT_LENGTH characters of `secret` in `text`."""
    spans: list[tuple[int, int]] = []
    find = text.find
    size = len(text)
    for anchor, offsets in _anchors(secret).items():
        at = find(anchor)
        while at != -1:
            for offset in offsets:
                start, key_at = at, offset
                while start > 0 and key_at > 0 and text[start - 1] == secret[key_at - 1]:
                    start -= 1
                    key_at -= 1
                end, key_at = at + ANCHOR, offset + ANCHOR
                while end < size and key_at < len(secret) and text[end] == secret[key_at]:
                    end += 1
                    key_at += 1
                if end - start >= FRAGMENT_LENGTH:
                    spans.append((start, end))
            at = find(anchor, at + 1)
    return spans


def _covered(text: str, secrets: list[str]) -> list[tuple[int, int]]:
    """Merged [start, end) spans of `text` that are a secret or a run of one."""
    spans: list[tuple[int, int]] = []
    for secret in secrets:
        if len(secret) < FRAGMENT_LENGTH:
            at = text.find(secret)
            while at != -1:
                spans.append((at, at + len(secret)))
                at = text.find(secret, at + 1)
        else:
            spans += _runs(text, secret)
    if not spans:
        return []
    spans.sort()
    merged = [spans[0]]
    for start, end in spans[1:]:
        last_start, last_end = merged[-1]
        if start <= last_end:  # overlapping or touching runs: one longer run of the key
            if end > last_end:
                merged[-1] = (last_start, end)
        else:
            merged.append((start, end))
    return merged


def scrub_secrets(text: str, secrets: Iterable[str | None]) -> str:
    """`text` with every secret and every FRAGMENT_LENGTH+ run of one replaced by MASK."""
    usable = _usable(secrets)
    if not text or not usable:
        return text
    for secret in usable:  # whole keys first, in one C-speed pass each
        if secret in text:
            text = text.replace(secret, MASK)
    spans = _covered(text, usable)
    if not spans:
        return text
    out: list[str] = []
    position = 0
    for start, end in spans:
        out.append(text[position:start])
        out.append(MASK)
        position = end
    out.append(text[position:])
    return "".join(out)


def scrub_userinfo(text: str) -> str:
    """URLs with their `user[:password]@` part replaced by MASK."""
    if "@" not in text:
        return text
    return _USERINFO.sub(lambda m: m.group(1) + MASK + "@", text)


def encoded_forms(secret: str) -> list[str]:
    """The base64 text (standard and URL-safe) that any base64 of a text holding `secret`
    contains, one per byte alignment: a server can echo an `Authorization` header
    base64-encoded (`Basic`, or a debug dump). The groups a neighbouring byte shares are
    left out, so each form is exactly what appears whatever surrounds the key."""
    raw = secret.encode("utf-8", "replace")
    forms: list[str] = []
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + raw)
        start = 4 if shift else 0  # the group holding the filler bytes
        core = encoded[start : len(encoded) - 4]  # the last group may hold what follows
        if len(core) >= FRAGMENT_LENGTH:
            forms.append(core.decode("ascii"))
            forms.append(core.translate(_URLSAFE).decode("ascii"))
    return forms


_URLSAFE = bytes.maketrans(b"+/", b"-_")


def redact(text: str, *secrets: str | None) -> str:
    """Error-message strength: known secrets (also base64-encoded), their fragments and URL
    user-info."""
    usable = _usable(secrets)
    if usable and len(text) >= FRAGMENT_LENGTH:
        usable += [form for secret in usable for form in encoded_forms(secret)]
    return scrub_userinfo(scrub_secrets(text, usable))


def redact_truncated(text: str, limit: int, *secrets: str | None, ellipsis: str = "…") -> str:
    """`redact(text)` cut to about `limit` characters, redacted before the cut.

    Only a prefix is scanned: limit plus the longest secret, so any key (or fragment)
    that starts inside the kept part lies wholly inside the scanned part.
    """
    longest = max((len(s) for s in secrets if s), default=0)
    scan = limit + longest + 256  # 256: a URL's user-info straddling the cut
    cleaned = redact(text[:scan], *secrets)
    if len(cleaned) <= limit and len(text) <= scan:
        return cleaned
    return cleaned[: max(0, limit - len(ellipsis))].rstrip() + ellipsis


def scrub_token_shapes(text: str) -> str:
    """Things shaped like credentials (`Bearer x`, `api_key=x`, `sk-...`), for logs only."""
    for pattern in _TOKEN_SHAPES:
        text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + MASK, text)
    return text


def __getattr__(name: str) -> type[SecretRedactor]:
    # SecretRedactor lives in redact_log.py: only the window logs, and importing logging
    # and traceback here cost `desktopchat ask` ~3 ms before its request left.
    if name == "SecretRedactor":
        from desktopchat.redact_log import SecretRedactor

        return SecretRedactor
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
