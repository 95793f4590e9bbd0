"""Bytes -> SSE events, per the WHATWG rules (DESIGN.md §3). Nothing chat-specific here.

- `LineSplitter` cuts text into lines at LF, CR or CRLF, also when a CRLF is split
  between two network pieces (a CR at the end of one piece, the LF at the start of the
  next: one line end, not two).
- `SSEParser` applies the field rules: `:` comments; `data:` with or without a space;
  multi-line data; `event:`; blank line dispatches; `id`/`retry` ignored (we never
  reconnect). Bytes are decoded with an incremental UTF-8 decoder, so a character
  split across pieces survives whatever charset the server claims (SSE is UTF-8); a
  leading BOM is dropped; events with empty data are not dispatched.
- At end of body an event that lacks its closing blank line is still returned, marked
  `at_eof`, unless it is a bare `[DONE]` (the corpus's `undispatched_tail` rule).
- One line, and one event's data, may hold at most SSE_LINE_LIMIT characters
  (core/limits.py): past it `SSETooLarge` is raised, so a server cannot make us hold a
  line without end.

tests/unit/test_stream_fast_paths.py proves this parser equals httpx-sse's public
`SSEDecoder` on arbitrary input cut at arbitrary places.
"""

from __future__ import annotations

import codecs
from typing import NamedTuple

from desktopchat.core.limits import SSE_LINE_LIMIT


class SSETooLarge(Exception):
    """One SSE line or one event's data went past the limit."""


class RawEvent(NamedTuple):
    event: str
    data: str
    at_eof: bool = False  # dispatched only because the body ended


_new_raw = tuple.__new__  # RawEvent(...) goes through a Python-level __new__; this does not


class LineSplitter:
    """Text pieces in, complete lines out (WHATWG line ends: LF, CR, CRLF)."""

    __slots__ = ("_after_cr", "_limit", "_tail", "_tail_length")

    def __init__(self, limit: int = SSE_LINE_LIMIT) -> None:
        self._tail: list[str] = []  # an unfinished line, kept in pieces (no quadratic +=)
        self._tail_length = 0
        self._after_cr = False  # the last piece ended with CR: a leading LF ends nothing
        self._limit = limit

    @property
    def pending(self) -> str:
        """The start of the unfinished line (the first piece of it)."""
        return self._tail[0] if self._tail else ""

    def split(self, text: str) -> list[str]:
        if self._after_cr:
            self._after_cr = False
            if text[:1] == "\n":
                text = text[1:]
        if "\r" in text:
            self._after_cr = text[-1] == "\r"
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        if "\n" not in text:
            if text:
                self._tail.append(text)
                self._tail_length += len(text)
                if self._tail_length > self._limit:
                    raise SSETooLarge(f"a line longer than {self._limit >> 20} MiB")
            return []
        lines = text.split("\n")
        if self._tail:
            self._tail.append(lines[0])
            lines[0] = "".join(self._tail)
            self._tail = []
        last = lines.pop()
        if last:
            self._tail.append(last)
        self._tail_length = len(last)
        if self._tail_length > self._limit or len(lines[0]) > self._limit:
            raise SSETooLarge(f"a line longer than {self._limit >> 20} MiB")
        return lines

    def flush(self) -> list[str]:
        """The unfinished line, at end of body."""
        tail = "".join(self._tail)
        self._tail = []
        self._tail_length = 0
        return [tail] if tail else []


class SSEParser:
    """Feed body pieces, get complete SSE events; `close()` returns a trailing event.

    The field rules are applied inline (not one call per line): on a fast local server
    the per-line call was the biggest single cost of decoding. `saw_data` turns True
    whenever anything but a comment arrives; the stream uses it to tell a live stream
    from one that only sends keep-alive comments.
    """

    __slots__ = (
        "_counted",
        "_data",
        "_event",
        "_limit",
        "_lines",
        "_pending_length",
        "_started",
        "_utf8",
        "saw_data",
    )

    def __init__(self, limit: int = SSE_LINE_LIMIT) -> None:
        self._utf8 = codecs.getincrementaldecoder("utf-8")("replace")
        self._lines = LineSplitter(limit)
        self._limit = limit
        self._started = False
        self._event = ""
        self._data: list[str] = []
        self._counted = 0  # entries of _data already summed into _pending_length
        self._pending_length = 0
        self.saw_data = False

    def feed(self, data: bytes) -> list[RawEvent]:
        text = self._utf8.decode(data)
        if not text:
            return []
        if not self._started:
            self._started = True
            if text[0] == "\ufeff":
                text = text[1:]
                if not text:
                    return []
        before = len(self._data)
        out = self._dispatch(self._lines.split(text))
        if out or len(self._data) > before or self._lines.pending[:1] not in ("", ":"):
            self.saw_data = True
        if self._data:
            self._check_pending()
        return out

    def close(self) -> list[RawEvent]:
        tail = self._utf8.decode(b"", final=True)
        lines = self._lines.split(tail) if tail else []
        lines += self._lines.flush()
        out = self._dispatch(lines)
        data = "\n".join(self._data)  # an event still open when the body ended
        self._data = []
        if data and data.strip() != "[DONE]":
            out.append(RawEvent(self._event or "message", data, at_eof=True))
        return out

    def _check_pending(self) -> None:
        """Bound an event's data that keeps growing line by line without a blank line."""
        data = self._data
        self._pending_length += sum(map(len, data[self._counted :]))
        self._counted = len(data)
        if self._pending_length > self._limit:
            raise SSETooLarge(f"an event's data longer than {self._limit >> 20} MiB")

    def _dispatch(self, lines: list[str]) -> list[RawEvent]:
        out: list[RawEvent] = []
        event = self._event
        data = self._data
        for line in lines:
            if not line:  # blank line: dispatch (unless the data buffer is empty) and reset
                if data:
                    joined = data[0] if len(data) == 1 else "\n".join(data)
                    if joined:
                        out.append(_new_raw(RawEvent, (event or "message", joined, False)))
                    data = []
                event = ""
            elif line[:6] == "data: ":  # the usual shape, without partition()
                data.append(line[6:])
            elif line[0] != ":":  # ":" starts a comment
                name, _, value = line.partition(":")
                if value[:1] == " ":
                    value = value[1:]
                if name == "data":
                    data.append(value)
                elif name == "event":
                    event = value
        if data is not self._data:
            self._counted = 0
            self._pending_length = 0
        self._event = event
        self._data = data
        return out
