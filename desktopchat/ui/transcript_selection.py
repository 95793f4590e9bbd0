"""A text selection over the whole transcript: from a point in one part of one message to a
point in any later part of any later message.

An end point names its message by id and its part by identity (not by index), so it keeps
its place while a reply streams below it (new parts are added after it) and while older
pages are prepended (rows move down, ids do not change). Its order is worked out when it
is needed: row index, part index, position in the part's document. A point whose part is
gone (the message was re-rendered: another theme, an edit) falls back to the start or the
end of its message, so the selection shrinks or grows by whole messages, never jumps.

Only the message's own text is selectable (body, reasoning, tool calls, error text); the
chrome around it (header, the reasoning toggle, the file list, the footer actions) is
skipped, so copying two messages gives their two texts and nothing of the buttons.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QTextCursor

from desktopchat.ui.render_body import Part
from desktopchat.ui.transcript_rows import MessageItem, TranscriptRows

SELECTABLE = frozenset({"body", "reasoning", "tools", "error"})
_ABOVE_BODY = frozenset({"header", "toggle", "reasoning"})  # parts drawn above the body
INSIDE, START, END = 0, -1, 1
_LAST = 1 << 30  # part index of "after every part"
_MARKUP = "*_`~"  # Markdown emphasis and code marks a mapped span may start or end with

Key = tuple[int, int, int]  # (row index, part index, document position): document order


@dataclass
class Point:
    item_id: int
    part: Part | None = None
    position: int = 0
    edge: int = INSIDE  # START / END: the very start / end of the message, no part


def doc_end(part: Part) -> int:
    return 0 if part.doc is None else max(0, part.doc.characterCount() - 1)


def _text(part: Part, start: int, end: int) -> str:
    if part.doc is None or end <= start:
        return ""
    cursor = QTextCursor(part.doc)
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    return _clean(cursor.selectedText())


def _clean(text: str) -> str:
    # Paragraph and line separators become new lines; embedded images (U+FFFC) go.
    return text.replace("\u2029", "\n").replace("\u2028", "\n").replace("\ufffc", "")


class TranscriptSelection:
    def __init__(self, rows: TranscriptRows, anchor: Point, focus: Point | None = None) -> None:
        self.rows = rows
        self.anchor = anchor
        self.focus = focus if focus is not None else Point(anchor.item_id, anchor.part,
                                                           anchor.position, anchor.edge)

    # -- order ------------------------------------------------------------------------------

    def key(self, point: Point) -> Key | None:
        row = self.rows.index_of(point.item_id)
        if row < 0:
            return None
        if point.edge == START:
            return row, -1, 0
        if point.edge == END or point.part is None:
            return row, _LAST, 0
        render = self.rows.items[row].render
        parts = render.parts if render is not None else []
        for index, part in enumerate(parts):
            if part is point.part:
                return row, index, min(point.position, doc_end(part))
        return (row, -1, 0) if point.part.kind in _ABOVE_BODY else (row, _LAST, 0)

    def bounds(self) -> tuple[Key, Key] | None:
        """The selection's start and end in document order; None when empty or gone."""
        a, b = self.key(self.anchor), self.key(self.focus)
        if a is None or b is None or a == b:
            return None
        return (a, b) if a < b else (b, a)

    @property
    def empty(self) -> bool:
        return self.bounds() is None

    @staticmethod
    def range_in(bounds: tuple[Key, Key], row: int, index: int,
                 part: Part) -> tuple[int, int] | None:
        """The selected positions of one part (its document's), or None."""
        start, end = bounds
        here = (row, index)
        if part.kind not in SELECTABLE or here < start[:2] or here > end[:2]:
            return None
        last = doc_end(part)
        lo = min(start[2], last) if here == start[:2] else 0
        hi = min(end[2], last) if here == end[:2] else last
        return (lo, hi) if hi > lo else None

    # -- painting ---------------------------------------------------------------------------

    def cursors_for(self, item_id: int) -> list[tuple[Part, QTextCursor]]:
        bounds = self.bounds()
        row = self.rows.index_of(item_id)
        if bounds is None or not bounds[0][0] <= row <= bounds[1][0]:
            return []
        render = self.rows.items[row].render
        if render is None:
            return []
        found = []
        for index, part in enumerate(render.parts):
            span = self.range_in(bounds, row, index, part) if part.doc is not None else None
            if span is not None and part.doc is not None:
                cursor = QTextCursor(part.doc)
                cursor.setPosition(span[0])
                cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
                found.append((part, cursor))
        return found

    # -- text -------------------------------------------------------------------------------

    def _pieces(self, bounds: tuple[Key, Key], row: int) -> list[tuple[Part, str, bool]]:
        """The selected text of each selectable part of a row, and whether it is all of the
        part's text (what is left out is blank)."""
        render = self.rows.items[row].render
        pieces = []
        for index, part in enumerate(render.parts if render is not None else []):
            if part.doc is None:
                # Dropped far off-screen (or not rendered yet): whole if fully inside.
                whole = bounds[0][:2] < (row, index) < bounds[1][:2]
                if whole and part.kind in SELECTABLE and part.source:
                    pieces.append((part, part.source, True))
                continue
            span = self.range_in(bounds, row, index, part)
            if span is None:
                continue
            text = _text(part, *span)
            if text.strip():
                whole = not (_text(part, 0, span[0]).strip()
                             or _text(part, span[1], doc_end(part)).strip())
                pieces.append((part, text, whole))
        return pieces

    def _whole(self, bounds: tuple[Key, Key], row: int) -> bool:
        """Every selectable part of the row is selected (or the row was never rendered)."""
        item = self.rows.items[row]
        if item.render is None:
            return True
        selected = {id(part) for part, _, whole in self._pieces(bounds, row) if whole}
        return all(id(part) in selected for part in item.render.parts
                   if part.kind in SELECTABLE and (part.doc is None or _text(
                       part, 0, doc_end(part)).strip()))

    def plain_text(self) -> str:
        """What Copy gives: the selected text as shown, messages apart by a blank line."""
        bounds = self.bounds()
        if bounds is None:
            return ""
        messages = []
        for row in range(bounds[0][0], bounds[1][0] + 1):
            item = self.rows.items[row]
            if item.render is None:
                text = item.content  # never shown (Select all over unseen pages): its text
            else:
                text = "\n".join(piece for _, piece, _ in self._pieces(bounds, row))
            if text.strip():
                messages.append(text.strip())
        return "\n\n".join(messages)

    def markdown(self) -> str:
        """What Copy as Markdown gives: a fully selected message's Markdown source; of a
        partly selected one, the source of the selected text where it can be found there,
        else the text as shown."""
        bounds = self.bounds()
        if bounds is None:
            return ""
        messages = []
        for row in range(bounds[0][0], bounds[1][0] + 1):
            item = self.rows.items[row]
            if self._whole(bounds, row) and item.content.strip():
                messages.append(item.content.strip("\n"))
                continue
            pieces = []
            for part, text, whole in self._pieces(bounds, row):
                if part.kind == "body":
                    pieces.append(part.source if whole and part.source else
                                  source_span(item, part, text))
                else:
                    pieces.append(text)
            if "".join(pieces).strip():
                messages.append("\n".join(pieces).strip("\n"))
        return "\n\n".join(messages)


def source_span(item: MessageItem, part: Part, shown: str) -> str:
    """The Markdown source behind `shown` (text selected in a rendered body part): from
    where its first words are written to where its last words end, with the emphasis or
    code marks around them; `shown` itself when the words are not found in order."""
    source = part.source or item.content
    lines = [line.strip() for line in shown.splitlines() if line.strip()]
    if not lines:
        return shown
    # The first and last 24 characters, or where marks cut those, the first and last word.
    start = _find(source, (lines[0][:24], lines[0].split()[0]), 0, first=True)
    end = _find(source, (lines[-1][-24:], lines[-1].split()[-1]), max(0, start), first=False)
    if start < 0 or end < 0:
        return shown
    while start > 0 and source[start - 1] in _MARKUP:
        start -= 1
    while end < len(source) and source[end] in _MARKUP:
        end += 1
    return source[start:end]


def _find(source: str, probes: tuple[str, str], begin: int, *, first: bool) -> int:
    """Where the first probe found starts (`first`) or ends, searching from `begin`."""
    for probe in probes:
        found = source.find(probe, begin)
        if found >= 0:
            return found if first else found + len(probe)
    return -1
