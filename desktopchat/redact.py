"""The one place secrets are scrubbed from text (DESIGN.md §5).

Three strengths, for three kinds of text:

- `scrub_secrets(text, secrets)`: every known secret, and every run of at least
  FRAGMENT_LENGTH consecutive characters of one, becomes MASK, however a server wrote
  it: plain, escaped (JSON `\\u0073`, `%73`, `&#115;`, any mix with plain characters,
  invisible characters between; redact_views.py) or encoded (base64, hex). `GrowingScrub`
  does the same for a text that only grows (a streaming reply saved every half second)
  at the cost of what was added. For text a server wrote
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

from desktopchat.redact_views import ESCAPE, span_in_text, views

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


def _spans(text: str, forms: list[str]) -> list[tuple[int, int]]:
    """[start, end) of `text` that are a form of a secret or a run of one (unmerged)."""
    spans: list[tuple[int, int]] = []
    for form in forms:
        if len(form) < FRAGMENT_LENGTH:
            at = text.find(form)
            while at != -1:
                spans.append((at, at + len(form)))
                at = text.find(form, at + 1)
        else:
            spans += _runs(text, form)
    return spans


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
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


def _covered(text: str, forms: list[str]) -> list[tuple[int, int]]:
    """Merged spans of `text` that spell a form of a secret (or a run of one), plainly or
    escaped (redact_views: JSON, percent, HTML escapes, invisible characters between)."""
    spans = _spans(text, forms)
    chain = views(text)
    for depth in range(1, len(chain) + 1):
        within = chain[:depth]
        spans += [span_in_text(within, start, end)
                  for start, end in _spans(within[-1].text, forms)]
    return _merged(spans)


def _forms(usable: list[str]) -> list[str]:
    """The secrets and the encodings a server may echo them in (base64, hex)."""
    return list(dict.fromkeys(usable + [f for secret in usable for f in encoded_forms(secret)]))


def scrub_secrets(text: str, secrets: Iterable[str | None]) -> str:
    """`text` with every secret and every FRAGMENT_LENGTH+ run of one replaced by MASK,
    however it is written: plain, escaped (JSON, percent, HTML) or encoded (base64, hex)."""
    usable = _usable(secrets)
    if not text or not usable:
        return text
    return _masked(text, _covered(text, _forms(usable)))


class GrowingScrub:
    """`scrub_secrets` of a text that only grows, rescanning only its end.

    No form of a secret holds whitespace, so no span to mask crosses a space or a line
    end: the text before the last one (`margin` characters before the end) is scrubbed
    for good. Without whitespace, a cut there is still final when no escape or
    invisible character lies after it (then nothing new can reach back past it).
    """

    def __init__(self, secrets: Iterable[str | None], *, margin: int = 4096) -> None:
        self._usable = _usable(secrets)
        self._forms = _forms(self._usable)
        self._incremental = not any(any(c.isspace() for c in s) for s in self._usable)
        self._margin = max((len(f) for f in self._forms), default=0) * 2 + margin
        self._far = self._margin * 2
        self._reset()

    def _reset(self) -> None:
        self._settled = 0  # characters of the text scrubbed for good
        self._settled_out = ""  # their scrubbed form
        self._seen = ""  # the text's last characters before _settled, to see it grew

    def scrub(self, text: str) -> str:
        if not text or not self._usable:
            return text
        if not self._incremental:
            return _masked(text, _covered(text, self._forms))
        settled = self._settled
        if len(text) < settled or text[max(0, settled - 64) : settled] != self._seen:
            self._reset()  # not the text seen before: start again
            settled = 0
        tail = text[settled:]
        spans = _covered(tail, self._forms)
        out = self._settled_out + _masked(tail, spans)
        cut = self._cut(tail, spans)
        if cut:
            self._settled_out += _masked(tail[:cut], [s for s in spans if s[1] <= cut])
            self._settled = settled + cut
            self._seen = text[max(0, self._settled - 64) : self._settled]
        return out

    def _cut(self, tail: str, spans: list[tuple[int, int]]) -> int:
        """How much of `tail` is scrubbed for good (0: none)."""
        end = len(tail) - self._margin
        if end <= 0:
            return 0
        lowest = max(0, end - 65536)
        space = max(tail.rfind(" ", lowest, end), tail.rfind("\n", lowest, end),
                    tail.rfind("\t", lowest, end))
        if space != -1:
            return space + 1
        if ESCAPE.search(tail, end) is not None:
            # Escapes near the end: a key spelled with them may reach further back, so far
            # more is kept to scan again. Only a key spread over more than `_far` characters
            # of escapes and invisible characters, fewer than 8 of its characters on each
            # side of the cut, could pass; rescanning everything each time could stall.
            end = len(tail) - self._far
            if end <= 0:
                return 0
        for start, stop in spans:  # a span across the cut: cut before it
            if start < end < stop:
                return start
        return end


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
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
    left out, so each form is exactly what appears whatever surrounds the key. Also its
    bytes in hex, lower and upper case (a header in a hex dump)."""
    raw = secret.encode("utf-8", "replace")
    forms: list[str] = [raw.hex(), raw.hex().upper()]
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
    """Error-message strength: known secrets in any form, their fragments and URL
    user-info."""
    return scrub_userinfo(scrub_secrets(text, secrets))


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
