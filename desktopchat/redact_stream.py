"""Scrubbing text that is shown as it streams in (DESIGN.md §5): what is printed can't be
taken back, so nothing is printed that a later piece could still make part of a key.

No form of a secret holds raw whitespace (the key, its base64 and hex, and every escape
redact_views decodes are whitespace-free, and whitespace is never an invisible character
it drops), so no span `scrub_secrets` masks crosses a raw whitespace character. Text up
to the last whitespace received is therefore final: it is scrubbed once and passed on,
and only the unfinished run of non-whitespace characters after it is held back, until
the next whitespace or the end of the stream. In prose that lags by at most one word;
scrubbing each settled segment once keeps the cost linear in the text.

A secret that itself holds whitespace breaks that premise (GrowingScrub then rescans
the whole text too): everything is held until the end of the stream and scrubbed whole.
"""

from __future__ import annotations

from collections.abc import Iterable

from desktopchat.redact import MIN_SECRET_LENGTH, scrub_secrets


class StreamScrub:
    """Feed the pieces of one text with `feed`, then call `finish` once; what they return,
    joined, is `scrub_secrets(whole text, secrets)`, and each return value extends what
    was returned before."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        self._secrets = [s for s in secrets if s and len(s) >= MIN_SECRET_LENGTH]
        # Whitespace in a secret: a span to mask may cross it, so no cut is ever final.
        self._hold_all = any(any(c.isspace() for c in s) for s in self._secrets)
        self._held: list[str] = []  # pieces received and not yet passed on

    def feed(self, piece: str) -> str:
        """The scrubbed text that `piece` settles ("" when it only extends the held run)."""
        if not self._secrets:
            return piece  # nothing to scrub: no reason to hold anything back
        if self._hold_all:
            self._held.append(piece)
            return ""
        last = _last_whitespace(piece)
        if last == -1:
            self._held.append(piece)
            return ""
        self._held.append(piece[: last + 1])
        settled = "".join(self._held)
        self._held = [piece[last + 1 :]] if last + 1 < len(piece) else []
        return scrub_secrets(settled, self._secrets)

    def finish(self) -> str:
        """The end of the stream (complete or cut short): the held rest, scrubbed."""
        rest = "".join(self._held)
        self._held = []
        return scrub_secrets(rest, self._secrets) if rest else ""


def _last_whitespace(piece: str) -> int:
    """Index of the last whitespace character of `piece` (-1: none); str.isspace, the
    characters the premise above is about."""
    for at in range(len(piece) - 1, -1, -1):
        if piece[at].isspace():
            return at
    return -1


__all__ = ["StreamScrub"]
