"""The one way import files are read: JSON in pieces, and every failure an ImportFormatError.

Two problems with `json.load` on a file someone hands us:

- Some inputs end in exceptions that are not `JSONDecodeError` (deep nesting: RecursionError; an
  integer of more than 4,300 digits: ValueError) or in values nothing downstream can store
  (`NaN`, `Infinity`, `1e400` read as inf). Here each is refused with a message saying where.
- It holds the whole text and every object at once: several times the file's size. Both import
  formats are one big list of conversations, so `JsonStream` decodes that list one element at a
  time: memory follows the largest conversation, not the file.

Lone surrogate escapes (`"\\ud800"`) are valid JSON but cannot be stored as UTF-8; the import
checks (import_checks.py) refuse them with the field they are in.
"""

from __future__ import annotations

import codecs
import io
import json
import re
from collections.abc import Iterator
from typing import Final, NoReturn

from desktopchat.errors import ImportFormatError

CHUNK: Final = 1 << 20
MAX_DIGITS: Final = 100  # no field of either format needs a longer number
_SPACE = re.compile(r"[ \t\r\n]*")


class _Refused(ValueError):
    """A number the decoder hooks will not turn into a value (raised inside json's scanner)."""


def _parse_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_DIGITS:
        raise _Refused(f"a number with {digits} digits")
    return int(text)


def _parse_float(text: str) -> float:
    if len(text) > MAX_DIGITS + 10:
        raise _Refused(f"a number written with {len(text)} characters")
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _Refused(f"the number {text} is too large")
    return value


def _parse_constant(name: str) -> NoReturn:
    raise _Refused(f"{name} is not a number JSON allows")


_DECODER = json.JSONDecoder(
    parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant
)


def _maybe_cut_off(exc: json.JSONDecodeError, length: int) -> bool:
    """Could this error go away with more text? Else report it now, without reading on."""
    # A literal or escape cut short fails a few characters before the end; a long string
    # cut short fails where it starts.
    return exc.pos >= length - 16 or exc.msg.startswith("Unterminated string")


class JsonStream:
    """A JSON document read from a binary file in chunks; values are taken one at a time.

    `value()` decodes the next complete value; `items()` walks an array element by element
    and `object_keys()` an object key by key (the caller takes each key's value).
    `bytes_read` is how far into the file reading has got, for progress.
    """

    def __init__(self, fh: io.BufferedIOBase, source: str, *, chunk: int = CHUNK) -> None:
        self._fh = fh
        self.source = source
        self._text = codecs.getincrementaldecoder("utf-8-sig")("strict")
        self._buf = ""
        self._pos = 0
        self._eof = False
        # Where the buffer starts: newlines in the text already dropped, and the characters
        # after the last of them (so positions read the same whatever the chunking).
        self._lines_before = 0
        self._column_before = 0
        self._want = chunk
        self.bytes_read = 0

    # -- reading ------------------------------------------------------------------------------

    def _fill(self) -> bool:
        """Append the next chunk to the buffer; False at the end of the file."""
        if self._eof:
            return False
        # read1: what is there now (up to the amount), so a pipe or a slow disk streams too.
        data = self._fh.read1(self._want)
        start = self.bytes_read
        self.bytes_read += len(data)
        try:
            text = self._text.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            raise ImportFormatError(
                f"{self.source} is not a UTF-8 text file (byte {start + exc.start + 1})."
            ) from exc
        if not data:
            self._eof = True
        if self._pos:
            newlines = self._buf.count("\n", 0, self._pos)
            if newlines:
                self._lines_before += newlines
                self._column_before = self._pos - self._buf.rfind("\n", 0, self._pos) - 1
            else:
                self._column_before += self._pos
            self._buf = self._buf[self._pos :]
            self._pos = 0
        self._buf += text
        return True

    def _grow(self) -> bool:
        """Read more for a value that did not fit; doubling keeps re-parsing linear overall."""
        self._want = max(self._want, len(self._buf) - self._pos)
        return self._fill()

    def peek(self) -> str:
        """The next character that is not whitespace ('' at the end of the file)."""
        while True:
            self._pos = _SPACE.match(self._buf, self._pos).end()  # type: ignore[union-attr]
            if self._pos < len(self._buf) or not self._fill():
                return self._buf[self._pos : self._pos + 1]

    def where(self, pos: int | None = None) -> str:
        pos = self._pos if pos is None else pos
        line = self._lines_before + self._buf.count("\n", 0, pos) + 1
        newline = self._buf.rfind("\n", 0, pos)
        column = pos - newline if newline >= 0 else self._column_before + pos + 1
        return f"line {line}, column {column}"

    def _invalid(self, reason: str, pos: int | None = None) -> ImportFormatError:
        if not self._buf and self._eof:
            return ImportFormatError(f"{self.source} is not valid JSON (the file is empty).")
        return ImportFormatError(f"{self.source} is not valid JSON ({self.where(pos)}: {reason}).")

    def value(self) -> object:
        """Decode the next complete JSON value."""
        if not self.peek():
            raise self._invalid("expected a value, found the end of the file")
        while True:
            start = self._pos
            try:
                value, end = _DECODER.raw_decode(self._buf, start)
            except json.JSONDecodeError as exc:
                if _maybe_cut_off(exc, len(self._buf)) and self._grow():
                    continue  # only cut off by the chunk's end: read on
                raise self._invalid(exc.msg, exc.pos) from None
            except RecursionError:
                raise ImportFormatError(
                    f"{self.source} is nested too deeply to import (the value at"
                    f" {self.where(start)})."
                ) from None
            except _Refused as exc:
                raise ImportFormatError(
                    f"{self.source} holds {exc}, which cannot be imported (in the value at"
                    f" {self.where(start)})."
                ) from None
            if end == len(self._buf) and self._grow():
                continue  # a number at the buffer's end may go on in the next chunk
            self._pos = end
            return value

    def expect(self, char: str) -> None:
        found = self.peek()
        if found != char:
            shown = repr(found) if found else "the end of the file"
            raise self._invalid(f"expected {char!r}, found {shown}")
        self._pos += 1

    def items(self) -> Iterator[object]:
        """The elements of the array that starts here, one decoded value at a time."""
        self.expect("[")
        if self.peek() == "]":
            self._pos += 1
            return
        while True:
            yield self.value()
            if self.peek() == ",":
                self._pos += 1
                continue
            self.expect("]")
            return

    def object_keys(self) -> Iterator[str]:
        """The keys of the object that starts here; after each, the caller reads its value."""
        self.expect("{")
        if self.peek() == "}":
            self._pos += 1
            return
        while True:
            if self.peek() != '"':
                raise self._invalid("expected a key in double quotes")
            key = self.value()
            if not isinstance(key, str):  # never: a value that opens with a quote is text
                raise self._invalid("expected a key in double quotes")
            self.expect(":")
            yield key
            if self.peek() == ",":
                self._pos += 1
                continue
            self.expect("}")
            return

    def end(self) -> None:
        """Nothing but whitespace may follow the document."""
        if self.peek():
            raise self._invalid("extra data after the JSON document")
