"""Find a search hit's words inside a rendered message: where it is, to scroll and highlight.

The words come from the search snippet's marks, i.e. as they are written in the message, so
a plain (case-insensitive) find in the rendered text lands on them; Markdown markup is gone
from the rendered text, which is what the user reads anyway.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtGui import QTextCursor

from desktopchat.ui.message_render import MessageRender
from desktopchat.ui.render_body import Part

RENDER_BUDGET_S = 0.25  # at most this long to render the slice holding the match


@dataclass(frozen=True)
class Found:
    part: Part
    start: int  # document positions of the match in part.doc
    end: int
    y: float  # top of the match's line, from the top of the card


def find_terms(render: MessageRender, terms: list[str]) -> Found | None:
    """The first place where one of `terms` appears (answer before reasoning), or None."""
    wanted = [t.strip() for t in terms if t.strip()]
    for part in sorted(render.parts, key=lambda p: p.kind == "reasoning"):
        if part.doc is None:
            # A long message renders in slices near the screen: render the slice whose
            # source holds the words (its neighbours come along), then look in it.
            if not any(t.casefold() in part.source.casefold() for t in wanted):
                continue
            render.work(time.perf_counter() + RENDER_BUDGET_S, (part.y, part.y + part.height))
            if part.doc is None:
                continue
        best: QTextCursor | None = None
        for term in wanted:
            cursor = part.doc.find(term)
            if not cursor.isNull() and (best is None or cursor.position() < best.position()):
                best = cursor
        if best is None:
            continue
        block = best.block()
        box = part.doc.documentLayout().blockBoundingRect(block)
        line = block.layout().lineForTextPosition(best.selectionStart() - block.position())
        y = part.y + box.top() + (line.y() if line.isValid() else 0.0)
        return Found(part, best.selectionStart(), best.selectionEnd(), y)
    return None
