"""The find bar's matches in the painted transcript: every match in the rows on screen is
marked, the current one in its own colour, and going to a match scrolls it into view.

Owned by ChatView (the painter asks `marks_for` per visible row). Matches are looked up in
the parts' documents only for rows being painted, and cached per document revision, so a
paint costs what is on screen. Going to the n-th match of a message's section (counted in
the stored text by FindSession) finds the body chunk whose source holds it, renders that
chunk if it waits for the render pump, and takes the n-th match in its document; a
collapsed reasoning section is opened first.
"""

from __future__ import annotations

import time

from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QAbstractScrollArea

from desktopchat.ui.find_session import Match
from desktopchat.ui.find_text import BODY, REASONING
from desktopchat.ui.render_body import Part
from desktopchat.ui.transcript_find import RENDER_BUDGET_S, Found
from desktopchat.ui.transcript_layout import TranscriptGeometry
from desktopchat.ui.transcript_rows import MessageItem, TranscriptRows

SEARCHED = frozenset({"reasoning", "body", "tools"})
MAX_PER_DOC = 500  # marks per document: a one-letter query must not cost a long paint
CACHE_DOCS = 400


class TranscriptFind:
    def __init__(self, area: QAbstractScrollArea, rows: TranscriptRows,
                 geometry: TranscriptGeometry) -> None:
        self._area = area
        self._rows = rows
        self._geometry = geometry
        self.query = ""
        self.current: tuple[Part, int] | None = None  # the current match's part and start
        self._cache: dict[int, tuple[QTextDocument, int, list[tuple[int, int]]]] = {}

    def set_query(self, query: str) -> None:
        if query != self.query:
            self.query = query
            self.current = None
            self._cache.clear()
            self._area.viewport().update()

    def occurrences(self, doc: QTextDocument) -> list[tuple[int, int]]:
        """Where the query is in `doc` (case-insensitive, as QTextDocument.find does)."""
        entry = self._cache.get(id(doc))
        if entry is not None and entry[0] is doc and entry[1] == doc.revision():
            return entry[2]
        found: list[tuple[int, int]] = []
        cursor = doc.find(self.query)
        while not cursor.isNull() and len(found) < MAX_PER_DOC:
            found.append((cursor.selectionStart(), cursor.selectionEnd()))
            cursor = doc.find(self.query, cursor)
        if len(self._cache) >= CACHE_DOCS:
            self._cache.clear()
        self._cache[id(doc)] = (doc, doc.revision(), found)
        return found

    def marks_for(self, item: MessageItem) -> list[tuple[Part, QTextCursor, bool]]:
        """For painting: each match in the row's searched parts, and whether it is current."""
        if not self.query or item.render is None:
            return []
        marks = []
        for part in item.render.parts:
            if part.kind not in SEARCHED or part.doc is None:
                continue
            for start, end in self.occurrences(part.doc):
                cursor = QTextCursor(part.doc)
                cursor.setPosition(start)
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                current = self.current is not None and self.current[0] is part and \
                    self.current[1] == start
                marks.append((part, cursor, current))
        return marks

    def show(self, match: Match) -> bool:
        """Scroll the match a third of the way down the view and make it current."""
        index = self._rows.index_of(match.message_id)
        if index < 0:
            return False
        item = self._rows.items[index]
        geometry = self._geometry
        if match.section == REASONING and not (
                item.streaming if item.reasoning_open is None else item.reasoning_open):
            item.reasoning_open = True  # a collapsed section opens on a hit
            geometry.dirty_ids.add(item.id)
            item.exact_width = -1
        geometry.follow = False
        found: Found | None = None
        for _ in range(3):  # rows above may change height as they are laid out
            geometry.ensure(index, geometry.card_width(item))
            geometry.update_scrollbar()
            found = self._locate(item, match)
            y = self._rows.top(index) + (int(found.y) if found is not None else 0)
            wanted = max(0, y - self._area.viewport().height() // 3)
            if wanted == self._area.verticalScrollBar().value():
                break
            geometry.set_scroll(wanted)
            geometry.layout_visible()
        self.current = (found.part, found.start) if found and found.end > found.start else None
        self._area.viewport().update()
        return True

    def _locate(self, item: MessageItem, match: Match) -> Found | None:
        render = item.render
        if render is None:
            return None
        parts = [p for p in render.parts if p.kind == match.section]
        if not parts:
            return None
        part, local = parts[0], match.occurrence
        if match.section == BODY:
            # Which chunk holds the n-th match: counted in the chunks' sources.
            before = 0
            for candidate in parts:
                count = candidate.source.casefold().count(match.needle)
                if local - before < count:
                    part, local = candidate, local - before
                    break
                before += count
        if part.doc is None:
            render.work(time.perf_counter() + RENDER_BUDGET_S, (part.y, part.y + part.height))
        if part.doc is None:
            return None
        found = self.occurrences(part.doc)
        if not found:
            return Found(part, 0, 0, part.y)  # written with marks the text does not show
        start, end = found[min(local, len(found) - 1)]
        block = part.doc.findBlock(start)
        box = part.doc.documentLayout().blockBoundingRect(block)
        line = block.layout().lineForTextPosition(start - block.position())
        y = part.y + box.top() + (line.y() if line.isValid() else 0.0)
        return Found(part, start, end, y)
