"""Splits a growing markdown reply into chunks that are each cheap to render.

The chat view renders a sealed chunk once and re-renders only the open tail while
streaming (DESIGN.md §6), so what bounds the cost of a frame, and of opening a long
message in slices, is the size of one chunk. A chunk is sealed:
- at a blank line outside a code fence once it holds `min_chars`, when the next line
  does not start with whitespace (so list continuations stay with their item);
- at any line end once it holds `max_chars` (a huge paragraph, list or quote);
- inside a code fence after `fence_lines` lines or `max_chars`; the fence is re-opened
  in the next chunk;
- inside a table after `table_rows` rows; the next chunk repeats the header;
- inside a line longer than `line_chars` (a minified file, a run of links): the line is
  cut after whitespace or punctuation where possible, so no single line is ever
  rendered, highlighted or laid out whole;
- except a data-URL image (data_url): a token of at most MAX_TOKEN_CHARS stays whole in
  one chunk (while it streams in, the line is not cut until its ")" arrives), and a larger
  one becomes a chunk of its own that shows a short stand-in instead of its text, so its
  payload is never sliced, parsed or laid out.
Every cut depends only on the text before it, never on how it arrived, so a reply
rendered while streaming and the same reply opened later split the same way.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from desktopchat.ui.data_url import (
    LARGE_SCHEME,
    LOOKAHEAD,
    MAX_TOKEN_CHARS,
    WAIT_SCHEME,
    Token,
    alt_text,
    token_crossing,
)

CHUNK_MIN_CHARS = 2500  # a chunk is sealed at the first block boundary after this many chars
CHUNK_MAX_CHARS = 3500  # ... and at the first line end after this many, boundary or not
FENCE_SPLIT_LINES = 60  # a long code block is split so each piece highlights quickly
TABLE_SPLIT_ROWS = 10  # a long table is split; each piece repeats the header
LINE_SPLIT_CHARS = 800  # a longer line is cut into pieces of at most this many chars
CUTS_PER_CHECK = 32  # cuts of one long line between two looks at the deadline

_FENCE_RE = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$")
_TABLE_RULE_RE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_SOFT_CUT = " \t;,>)]}"  # a cut just after one of these keeps words and entities whole


@dataclass(frozen=True, slots=True)
class Chunk:
    start: int
    end: int
    prefix: str = ""  # a re-opened code fence or a repeated table header
    code_offset: int = 0  # chars of its code block already in earlier chunks (for caps)
    shown: str | None = None  # what to render instead of the text (an over-cap image)


class Chunker:
    """Finds sealed chunks in a growing markdown text; feed it the whole text each time.

    Scans only what it has not seen, so the cost follows the new text.
    """

    def __init__(self, min_chars: int = CHUNK_MIN_CHARS, *, max_chars: int = CHUNK_MAX_CHARS,
                 fence_lines: int = FENCE_SPLIT_LINES, table_rows: int = TABLE_SPLIT_ROWS,
                 line_chars: int = LINE_SPLIT_CHARS, image_chars: int = MAX_TOKEN_CHARS) -> None:
        self.min_chars = min_chars
        self.max_chars = max(max_chars, min_chars)
        self.fence_lines = fence_lines
        self.table_rows = table_rows
        self.line_chars = line_chars
        self.image_chars = image_chars  # a data image up to this long stays whole
        self.chunks: list[Chunk] = []
        self._scan = 0  # start of the first line not yet complete
        self._chunk_start = 0
        self._prefix = ""
        self._fence: tuple[str, int, str] | None = None  # char, length, opener line
        self._fence_start = 0  # where the open fence's opener line starts
        self._code_offset = 0  # code_offset of the open chunk
        self._fence_lines = 0
        self._pending_boundary: int | None = None
        self._previous_line = ""  # a table header candidate
        self._table_header = ""  # header + rule lines while inside a table
        self._table_rows = 0
        self._caught_up = True
        self._large: Token | None = None  # an over-cap data image being skipped
        self._large_scanned = 0  # how far its ")" has been looked for
        self._text_seen = ""

    @property
    def open_start(self) -> int:
        return self._chunk_start

    @property
    def open_prefix(self) -> str:
        return self._prefix

    @property
    def open_shown(self) -> str | None:
        """A stand-in for the open chunk's text (an over-cap image still arriving)."""
        if self._large is None:
            return None
        return f"![{alt_text(self._text_seen, self._large)}]({WAIT_SCHEME}:)"

    @property
    def open_code_offset(self) -> int:
        return self._code_offset

    @property
    def open_fence(self) -> int:
        """Where the code fence the scanned text ends inside opens (-1: in none)."""
        return self._fence_start if self._fence is not None else -1

    @property
    def caught_up(self) -> bool:
        """The last feed scanned all of its text (a deadline did not stop it)."""
        return self._caught_up

    def feed(self, text: str, *, deadline: float | None = None) -> list[Chunk]:
        """Scan new text; returns chunks sealed by this call.

        With a deadline, stops after it (checked every few hundred lines) and goes on at
        the next call: `scanned` tells how far it got.
        """
        sealed: list[Chunk] = []
        self._caught_up = False
        self._text_seen = text
        lines = 0
        while True:
            lines += 1
            if deadline is not None and lines % 64 == 0 and time.perf_counter() > deadline:
                self.chunks.extend(sealed)
                return sealed
            newline = text.find("\n", self._scan)
            line_end = len(text) if newline < 0 else newline
            if not self._cut_long_line(text, line_end, complete=newline >= 0, sealed=sealed,
                                       deadline=deadline):
                self.chunks.extend(sealed)  # a 2 MB line is cut in slices too
                return sealed
            if newline < 0:
                break
            self._line(text[self._scan : newline], newline + 1, sealed)
            self._scan = newline + 1
        self._caught_up = True
        self.chunks.extend(sealed)
        return sealed

    # -- sealing ----------------------------------------------------------------------------

    def _seal(self, end: int, sealed: list[Chunk], next_prefix: str = "",
              shown: str | None = None) -> None:
        sealed.append(Chunk(self._chunk_start, end, self._prefix, self._code_offset, shown))
        self._chunk_start = end
        self._prefix = next_prefix
        self._code_offset = end - self._fence_start if self._fence is not None else 0

    def _continuation_prefix(self) -> str:
        if self._fence is not None:
            return self._fence[2] + "\n"
        return self._table_header

    def _cut_long_line(self, text: str, line_end: int, *, complete: bool,
                       sealed: list[Chunk], deadline: float | None = None) -> bool:
        """Cut the current line into pieces of at most line_chars (from the chunk start).

        False when `deadline` stopped it (checked every CUTS_PER_CHECK cuts): the next
        call goes on from the last cut, so a 2 MB line is not cut in one go."""
        cuts = 0
        while True:
            if (deadline is not None and cuts >= CUTS_PER_CHECK
                    and time.perf_counter() > deadline):
                return False
            if self._large is not None and not self._skip_large(text, line_end, sealed):
                return True
            start = max(self._scan, self._chunk_start)
            length = line_end - start
            # A partial line is cut only once it is certainly too long, so the cut lands
            # where it would land if the whole line had arrived at once.
            if length <= self.line_chars or (not complete and length <= self.line_chars):
                return True
            window = text[start + self.line_chars // 2 : start + self.line_chars]
            best = max(window.rfind(c) for c in _SOFT_CUT)
            cut = start + self.line_chars if best < 0 else start + self.line_chars // 2 + best + 1
            if not complete and line_end < cut + LOOKAHEAD:
                return True  # whether the cut falls inside an image is known a little later
            token = None if self._fence is not None else token_crossing(text, start, cut,
                                                                           line_end)
            if token is not None:
                whole = token.end if token.end > 0 else line_end
                if whole - token.start > self.image_chars:
                    self._large, self._large_scanned = token, token.payload
                    if token.start > self._chunk_start:
                        self._pending_boundary = None
                        self._seal(token.start, sealed)
                    continue
                if token.end < 0:
                    if not complete:
                        return True  # an image still arriving: cut once its ")" is here
                else:
                    cut = token.end  # the image stays whole in this piece
            while cut < line_end and text[cut] in " \t":
                cut += 1  # the next piece starts with a word, never with an indent
            if cut >= line_end:
                return True
            self._pending_boundary = None
            self._seal(cut, sealed, next_prefix=self._continuation_prefix())
            cuts += 1

    def _skip_large(self, text: str, line_end: int, sealed: list[Chunk]) -> bool:
        """Look for the end of an over-cap image; seal it as one chunk with a stand-in.
        False while it has not ended (the rest of the text is its payload)."""
        token = self._large
        assert token is not None
        close = text.find(")", self._large_scanned, line_end)
        if close < 0 and line_end == len(text):
            self._large_scanned = line_end
            return False
        end = close + 1 if close >= 0 else line_end
        size = (end - 1 - token.payload) * 3 // 4
        self._large = None
        self._pending_boundary = None
        self._seal(end, sealed, shown=f"![{alt_text(text, token)}]({LARGE_SCHEME}:{size})")
        return True

    def _line(self, line: str, end: int, sealed: list[Chunk]) -> None:
        blank = not line.strip()
        size = end - self._chunk_start
        if self._fence is not None:
            char, length, _opener = self._fence
            if closes_fence(line, char, length):
                self._fence = None
                return
            self._fence_lines += 1
            if (self._fence_lines >= self.fence_lines and size >= self.min_chars) or (
                size >= self.max_chars
            ):
                self._seal(end, sealed, next_prefix=self._continuation_prefix())
                self._fence_lines = 0
            return
        if self._table_header:
            if blank or "|" not in line:
                self._table_header = ""
            else:
                self._table_rows += 1
                if self._table_rows >= self.table_rows or size >= self.max_chars:
                    self._seal(end, sealed, next_prefix=self._table_header)
                    self._table_rows = 0
                self._previous_line = line
                return
        if self._pending_boundary is not None and not blank:
            if not line[:1].isspace() and self._pending_boundary - self._chunk_start >= (
                self.min_chars
            ):
                self._seal(self._pending_boundary, sealed)
            self._pending_boundary = None
        if blank:
            self._pending_boundary = end
            self._previous_line = ""
            return
        match = _FENCE_RE.match(line)
        if match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
            self._fence = (match.group(1)[0], len(match.group(1)), line)
            self._fence_start = end - len(line) - 1
            self._fence_lines = 0
        elif "|" in self._previous_line and _TABLE_RULE_RE.match(line) and "-" in line:
            self._table_header = self._previous_line + "\n" + line + "\n"
            self._table_rows = 0
        elif end - self._chunk_start >= self.max_chars:
            self._seal(end, sealed)
        self._previous_line = line


def closes_fence(line: str, char: str, length: int) -> bool:
    """The line closes a fence of `length` `char`s: only that char, at least that many.
    Its first character is looked at first: a 2 MB line of code is not read whole (a set
    of its characters took 19 ms on the UI thread as the block closed)."""
    stripped = line.strip()
    return (stripped[:1] == char and len(stripped) >= length
            and stripped.count(char) == len(stripped))


def fence_code(text: str, opener: int) -> str:
    """The code of the fenced block whose opener line starts at `opener`, as markdown-it
    reads it (the opener's indent taken off each line): for a block split over chunks."""
    line_end = text.find("\n", opener)
    match = _FENCE_RE.match(text[opener : len(text) if line_end < 0 else line_end])
    if match is None or line_end < 0:
        return ""
    char, length = match.group(1)[0], len(match.group(1))
    indent = len(match.group(0)) - len(match.group(0).lstrip(" "))
    lines = []
    pos = line_end + 1
    while pos < len(text):
        newline = text.find("\n", pos)
        line = text[pos : len(text) if newline < 0 else newline]
        if closes_fence(line, char, length):
            break
        cut = len(line) - len(line.lstrip(" "))
        lines.append(line[min(cut, indent) :])
        if newline < 0:
            break
        pos = newline + 1
    return "\n".join(lines)


def chunk_texts(text: str, min_chars: int = CHUNK_MIN_CHARS) -> list[str]:
    """The whole text split as the streaming path would split it (for finished messages)."""
    chunker = Chunker(min_chars)
    chunker.feed(text)
    pieces = [c.prefix + text[c.start : c.end] for c in chunker.chunks]
    tail = chunker.open_prefix + text[chunker.open_start :]
    if tail.strip() or not pieces:
        pieces.append(tail)
    return pieces
