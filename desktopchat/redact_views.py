"""Decoded views of a text, for redact.py: where a server wrote the key escaped.

A server that echoes a key may write it in any text encoding a character can take:
JSON `\\u0073` escapes (any mix of escaped and plain characters), percent-encoding
(`%73`, `%u0073`), HTML character references (`&#115;`, `&#x73;`), `\\x73`, a backslash
before punctuation (`sk\\-…`), or with invisible characters (zero-width, bidi controls)
between its characters. Rather than list the forms a key can take, the text is decoded
once into a view where each escape is the one character it stands for and invisible
characters are gone; the secret search runs on the view, and what it finds maps back to
the span of the original text that spelled it. Escapes of escapes (`%5Cu0073`) are
decoded again, up to LEVELS deep.
"""

from __future__ import annotations

import re
from bisect import bisect_right

LEVELS = 3  # a key escaped three times over is still found
# Any escape, or a run of invisible characters (format characters a key never holds).
ESCAPE = re.compile(
    r"\\u\{([0-9a-fA-F]{1,6})\}|\\u([0-9a-fA-F]{4})|%u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})"
    r"|%([0-9a-fA-F]{2})|&#[xX]([0-9a-fA-F]{1,6});?|&#([0-9]{1,7});?"
    r"|\\([!-/:-@\[-`{-~])"
    r"|[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    r"\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]+"
)
_HEX_GROUPS = (1, 2, 3, 4, 5, 6)  # groups holding hex digits; 7 decimal; 8 a plain character


def _character(match: re.Match[str]) -> str:
    """The character an escape stands for ("" for invisible characters)."""
    index = match.lastindex
    if index is None:
        return ""
    value = match.group(index)
    if index == 8:
        return value
    code = int(value, 16 if index in _HEX_GROUPS else 10)
    return chr(code) if code <= 0x10FFFF else "\ufffd"


class DecodedView:
    """`text` with every escape decoded, and the way back from view to text positions.

    The view is made of segments: a run of plain characters (one text character each)
    or one decoded escape (one view character spelled by `length` text characters).
    """

    __slots__ = ("_lengths", "_text_starts", "_view_starts", "text")

    def __init__(self, text: str, matches: list[re.Match[str]]) -> None:
        pieces: list[str] = []
        view_starts: list[int] = []
        text_starts: list[int] = []
        lengths: list[int] = []  # 0: plain segment; else the escape's length in the text
        position = view = 0
        for match in matches:
            start, end = match.span()
            if start > position:
                view_starts.append(view)
                text_starts.append(position)
                lengths.append(0)
                pieces.append(text[position:start])
                view += start - position
            character = _character(match)
            if character:
                view_starts.append(view)
                text_starts.append(start)
                lengths.append(end - start)
                pieces.append(character)
                view += 1
            position = end
        if position < len(text):
            view_starts.append(view)
            text_starts.append(position)
            lengths.append(0)
            pieces.append(text[position:])
        self.text = "".join(pieces)
        self._view_starts = view_starts
        self._text_starts = text_starts
        self._lengths = lengths

    def span_in_text(self, start: int, end: int) -> tuple[int, int]:
        """The text span that spells view characters [start, end) (end > start)."""
        return self._text_start(start), self._text_end(end - 1)

    def _segment(self, at: int) -> int:
        return bisect_right(self._view_starts, at) - 1

    def _text_start(self, at: int) -> int:
        k = self._segment(at)
        if self._lengths[k]:
            return self._text_starts[k]
        return self._text_starts[k] + at - self._view_starts[k]

    def _text_end(self, at: int) -> int:
        k = self._segment(at)
        if self._lengths[k]:
            return self._text_starts[k] + self._lengths[k]
        return self._text_starts[k] + at - self._view_starts[k] + 1


def views(text: str) -> list[DecodedView]:
    """The decoded views of `text`, each of the one before ([] when nothing is escaped)."""
    found: list[DecodedView] = []
    current = text
    for _ in range(LEVELS):
        matches = list(ESCAPE.finditer(current))
        if not matches:
            break
        view = DecodedView(current, matches)
        found.append(view)
        current = view.text
    return found


def span_in_text(chain: list[DecodedView], start: int, end: int) -> tuple[int, int]:
    """A span of the last view in `chain`, back in the original text."""
    for view in reversed(chain):
        start, end = view.span_in_text(start, end)
    return start, end
