"""A message body as a stack of chunk documents, rendered and laid out in slices.

The body is split by chunking.Chunker into chunks that each render in a few ms. A chunk
becomes a Part whose document is built only when there is time: `BodyParts.sync`
renders what fits in SYNC_BUDGET_S (always the first MIN_SYNC_PARTS, so an ordinary
reply is complete at once), and the rest waits, with an estimated height, for `work`,
which the view's render pump calls in slices of a few ms (DESIGN.md §6). Work is done
only near what is on screen (KEEP_MARGIN px around it), visible parts first; while
streaming, that is the open tail, re-rendered in the same slices, never the whole reply.
A part starts in a slice only if its cost, predicted from the parts before it, fits.
Documents far from the screen are dropped once a message holds more than KEEP_CHARS of
rendered text (their height is kept), so memory follows what is shown, not the reply.
"""

from __future__ import annotations

import bisect
import math
import time
from collections.abc import Mapping, Sequence

from PySide6.QtCore import QUrl
from PySide6.QtGui import QFont, QImage, QTextDocument

from desktopchat.ui import code_blocks, code_pieces
from desktopchat.ui.chunking import Chunker, fence_code
from desktopchat.ui.code_blocks import CodeView
from desktopchat.ui.data_url import MARKER, payload_chars
from desktopchat.ui.markdown import HIGHLIGHT_MAX_CHARS, MarkdownRenderer, plain_html
from desktopchat.ui.safe_document import SafeDocument
from desktopchat.ui.theme import Theme
from desktopchat.ui.turn_budget import CostRate

SYNC_BUDGET_S = 0.004  # rendering done inside sync() before the rest is left to the pump
MIN_SYNC_PARTS = 1  # ... but these many parts are always rendered at once
SMALL_TEXT_CHARS = 8000  # a larger new message renders nothing in sync(), only in slices
SCAN_BUDGET_S = 0.004  # chunking a huge text at once is itself sliced
KEEP_MARGIN = 2400.0  # px above and below the screen that are rendered ahead
KEEP_CHARS = 150_000  # rendered source kept per message before far documents are dropped

Span = tuple[float, float] | None  # a y range inside the message, or None (off-screen)
LINE_HEIGHT = 20.0  # px, for estimates only
CHAR_WIDTH = 7.5  # px, for estimates only


def new_document(theme: Theme, html_text: str | None = None, *, css: str = "",
                 images: Mapping[str, QImage] | None = None) -> SafeDocument:
    doc = SafeDocument()
    doc.setUndoRedoEnabled(False)
    doc.setDocumentMargin(0)
    font = QFont()
    font.setPointSize(theme.font_size)
    doc.setDefaultFont(font)
    if css:
        doc.setDefaultStyleSheet(css)
    for name, image in (images or {}).items():
        # Our own formula images; added before the HTML, so no load is ever attempted.
        doc.addResource(QTextDocument.ResourceType.ImageResource.value, QUrl(name), image)
    if html_text is not None:
        doc.setHtml(html_text)
    return doc


class Part:
    """One document of a message. Body parts may wait for their document (`doc is None`)
    or for a layout at the current width; until then their height is an estimate."""

    __slots__ = ("code_view", "codes", "doc", "estimated", "fence_above", "fence_below",
                 "fence_open", "height", "highlight", "images_waiting", "kind", "known",
                 "placed", "source", "stale", "width", "y")

    def __init__(self, kind: str, doc: QTextDocument | None, codes: list[str] | None = None,
                 *, source: str = "", highlight: bool = True) -> None:
        self.kind = kind
        self.doc = doc
        self.codes = codes or []
        self.source = source  # markdown (or plain text) the document is built from
        self.highlight = highlight
        self.stale = doc is None  # the document is missing or shows older text
        self.width = -1.0  # width the document is laid out at
        self.known = (0.0, 0.0)  # the last exact (width, height), kept when dropped
        self.height = 0.0
        self.estimated = -1.0  # width `height` was estimated at from the source
        self.y = 0.0
        # Placed by MessageRender (parts in y order); until then parts_meeting counts it
        # past any window, so a message's parts bisect while new ones wait at the end.
        self.placed = False
        self.code_view: CodeView | None = None  # its blocks' scroll, wrap, Copied
        # Where a code block split over parts opens (code_pieces): the one continued from
        # the part above (this part's first block), the one going on below (its last).
        self.fence_above = code_pieces.NO_FENCE
        self.fence_below = code_pieces.NO_FENCE
        # The open tail's document ended inside a code block: (its opener, its number).
        self.fence_open: tuple[int, int] | None = None
        self.images_waiting: frozenset[str] = frozenset()  # data images still decoding

    @property
    def ready(self) -> bool:
        return self.doc is not None

    def needs_work(self, width: float) -> bool:
        return self.stale or self.width != width

    def near(self, window: Span) -> bool:
        return window is not None and self.y <= window[1] and self.y + self.height >= window[0]

    def drop(self) -> None:
        """Forget the document (far off-screen), keeping the height it had."""
        self.doc = None
        self.codes = []
        self.stale = True
        self.width = -1.0
        self.estimated = -1.0

    def set_source(self, source: str) -> None:
        self.source = source
        self.stale = True
        self.estimated = -1.0

    def laid_out(self, width: float) -> bool:
        """Its height at `width` is known already (exact, or estimated since it changed)."""
        return self.width == width if self.doc is not None else self.estimated == width

    def layout(self, width: float, *, allowed: bool = True) -> float:
        """Exact height at `width` when allowed (or already known), else an estimate."""
        if self.doc is not None and (allowed or self.width == width):
            if width != self.width:
                self.doc.setTextWidth(width)
                self.width = width
            self.height = self.doc.size().height()
            self.known = (width, self.height)
        elif self.known[0] > 0:
            self.height = self.known[1] * self.known[0] / width  # text re-wraps ~ inversely
            self.estimated = width
        elif self.estimated != width:
            self.height = estimate_height(self.source, width)
            self.estimated = width
        return self.height


def parts_meeting(parts: Sequence[Part], top: float, bottom: float) -> Sequence[Part]:
    """The parts whose y range meets [top, bottom], found by bisection (parts are in y
    order, unplaced ones at the end): a frame costs what is on screen, not a reply of
    10,000 parts (a 100,000-row table) walked several times."""
    first = bisect.bisect_left(parts, top,
                               key=lambda p: p.y + p.height if p.placed else math.inf)
    last = bisect.bisect_right(parts, bottom, lo=first,
                               key=lambda p: p.y if p.placed else math.inf)
    return parts[first:last]


def estimate_height(source: str, width: float) -> float:
    per_line = max(10, int(width / CHAR_WIDTH))
    chars = len(source) - (payload_chars(source) if MARKER in source else 0)  # an image's
    return (source.count("\n") + 1 + chars // per_line) * LINE_HEIGHT  # payload is no text


class BodyParts:
    """The body of one message: sealed chunk parts plus the open (still growing) tail."""

    def __init__(self, renderer: MarkdownRenderer, css: str, *, markdown: bool) -> None:
        self.renderer = renderer
        self.theme = renderer.theme
        self.css = css
        self.markdown = markdown
        self.render_cost = CostRate()  # a part rendered and laid out, per source char
        self.layout_cost = CostRate()  # a part laid out again (a new width)
        self._reset()

    def _reset(self) -> None:
        self.chunker = Chunker()
        self.sealed: list[Part] = []
        self.open_part = Part("body", None)
        self._text = ""
        self.code_states: dict[int, code_blocks.CodeState] = {}  # split blocks', by opener

    @property
    def caught_up(self) -> bool:
        return self.chunker.caught_up

    def parts(self) -> list[Part]:
        tail = [self.open_part] if self.open_part.source.strip() else []
        return self.sealed + tail

    def sync(self, text: str, *, deadline: float | None = None) -> None:
        """Take the message's text as it is now; render what fits before `deadline`."""
        if not text.startswith(self._text):
            self._reset()  # replaced, not extended (an edit): start over
        first = not self._text and not self.sealed
        self._text = text
        self.scan(time.perf_counter() + SCAN_BUDGET_S)
        if not first or len(text) > SMALL_TEXT_CHARS:
            # A large message opens at its end, and a streaming tail changes every frame:
            # the pump renders what is on screen, in its own turn of the event loop.
            return
        # A new small message renders at once, in order, so it is complete when shown.
        self.render_until(time.perf_counter() + SYNC_BUDGET_S if deadline is None else deadline,
                          min_parts=MIN_SYNC_PARTS)

    def scan(self, deadline: float) -> bool:
        """Chunk more of the text; True when something changed."""
        before = len(self.sealed), self.open_part.source
        for chunk in self.chunker.feed(self._text, deadline=deadline):
            source = chunk.shown if chunk.shown is not None else (
                chunk.prefix + self._text[chunk.start : chunk.end])
            part = Part("body", None, source=source,
                        highlight=chunk.code_offset < HIGHLIGHT_MAX_CHARS)
            # The open tail's blocks are now this sealed chunk's: their state goes along.
            part.code_view, self.open_part.code_view = self.open_part.code_view, None
            part.fence_open, self.open_part.fence_open = self.open_part.fence_open, None
            self._join(part, chunk.start, chunk.code_offset)
            self._place_at_tail(part)
            self.sealed.append(part)
        if self.caught_up:
            source = self.chunker.open_shown or (
                self.chunker.open_prefix + self._text[self.chunker.open_start :])
            if source != self.open_part.source:
                self.open_part.set_source(source)
                self.open_part.highlight = self.chunker.open_code_offset < HIGHLIGHT_MAX_CHARS
                self._join(self.open_part, self.chunker.open_start,
                           self.chunker.open_code_offset)
        return before != (len(self.sealed), self.open_part.source)

    def _place_at_tail(self, part: Part) -> None:
        """A new sealed part goes where the open tail begins, with no height until the
        message places its parts again: the parts stay in y order for parts_meeting."""
        tail = self.open_part
        if tail.placed:
            part.y = tail.y
        elif self.sealed and self.sealed[-1].placed:
            part.y = self.sealed[-1].y + self.sealed[-1].height
        else:
            return  # nothing placed yet: it waits with the rest
        part.height = 0.0
        part.placed = True

    def _join(self, part: Part, start: int, code_offset: int) -> None:
        """`part` (starting at `start`) follows the last sealed part: when it starts inside
        a code block, both are pieces of that block and share its state."""
        opener = start - code_offset if code_offset > 0 else code_pieces.NO_FENCE
        part.fence_above = opener
        if self.sealed and self.sealed[-1] is not part:
            above = self.sealed[-1]
            above.fence_below = opener
            code_pieces.link(self.code_states, above)
        code_pieces.link(self.code_states, part)

    def render(self, part: Part) -> None:
        if self.markdown:
            rendered = self.renderer.render(part.source, highlight=part.highlight)
            html_text, codes = rendered.html, rendered.codes
            images, pending = rendered.images, rendered.pending
            part.images_waiting = rendered.images_waiting
        else:
            html_text, codes, images, pending = plain_html(part.source), [], {}, False
        part.doc = new_document(self.theme, html_text, css=self.css, images=images)
        part.codes = codes
        opened = self.chunker.open_fence if part is self.open_part and self.caught_up else -1
        part.fence_open = (opened, len(codes) - 1) if opened >= 0 and codes else None
        code_pieces.link(self.code_states, part)  # a split block's pieces: one state
        code_blocks.restore(part)  # a block the user wrapped stays wrapped
        part.stale = pending  # formulas still shown as source: render again in a slice
        part.width = -1.0

    def render_until(self, deadline: float, *, min_parts: int = 1,
                     tail_first: bool = False) -> None:
        done = 0
        parts = self.parts()
        for part in reversed(parts) if tail_first else parts:
            if part.stale:
                if done >= min_parts and time.perf_counter() > deadline:
                    return
                self.render(part)
                done += 1

    def _waiting(self, width: float, window: Span) -> list[Part]:
        parts = self.parts()
        tail = [self.open_part] if parts and parts[-1] is self.open_part else []
        near = ([] if window is None else
                [p for p in parts_meeting(parts, window[0], window[1]) if p.needs_work(width)])
        if tail and tail[0].stale and tail[0] not in near and tail[0].doc is not None:
            near.append(tail[0])  # a streaming tail already shown keeps up even off-screen
        return near

    def wants_work(self, width: float, window: Span) -> bool:
        if not self.caught_up:
            return True
        if window is None:
            # Off-screen: only a streaming tail already shown keeps up (as _waiting says),
            # asked of every loaded row per pump slice, so without building lists.
            tail = self.open_part
            return tail.stale and tail.doc is not None and bool(tail.source.strip())
        return bool(self._waiting(width, window))

    def work(self, deadline: float, width: float, window: Span) -> bool:
        """Chunk, render and lay out near `window` until `deadline`; True if anything did."""
        changed = False
        if not self.caught_up:
            changed = self.scan(min(deadline, time.perf_counter() + SCAN_BUDGET_S))
        waiting = self._waiting(width, window)
        if window is not None:
            middle = (window[0] + window[1]) / 2
            waiting.sort(key=lambda p: abs(p.y + p.height / 2 - middle))
        for index, part in enumerate(waiting):
            # A part starts only if its predicted cost fits (one 12 ms part of highlighted
            # code began 2 ms before the deadline and overran it by 10): at least one goes.
            cost = self.render_cost if part.stale else self.layout_cost
            started = time.perf_counter()
            if (index or changed) and started + cost.predict(len(part.source)) > deadline:
                break
            if part.stale:
                self.render(part)
            part.layout(width)
            cost.learn(len(part.source), time.perf_counter() - started)
            changed = True
        if changed:
            self._drop_far(window)
        return changed

    def _drop_far(self, window: Span) -> None:
        rendered = [p for p in self.sealed if p.doc is not None]
        kept = sum(len(p.source) for p in rendered)
        if kept <= KEEP_CHARS:
            return
        centre = 0.0 if window is None else (window[0] + window[1]) / 2
        for part in sorted(rendered, key=lambda p: -abs(p.y - centre)):
            if kept <= KEEP_CHARS or part.near(window):
                break
            kept -= len(part.source)
            part.drop()

    def code_text(self, part: Part, index: int) -> str:
        """The code of block `index` of `part`, whole even when the chunker split it."""
        opener = code_pieces.opener_of(part, index)
        return part.codes[index] if opener < 0 else fence_code(self._text, opener)

    def image_ready(self, key: str) -> bool:
        waiting = [p for p in self.parts() if key in p.images_waiting]
        for part in waiting:
            part.images_waiting = frozenset()
            part.stale = True  # the pump renders it again, with the image, when near
        return bool(waiting)

    def finish(self) -> None:
        """Render every part now, waiting for its formulas and lexers (tests, benchmarks)."""
        while not self.caught_up:
            self.scan(time.perf_counter() + 60)
        for part in self.parts():
            for _ in range(1000):  # each render draws at least one formula that is in
                if part.stale:
                    self.render(part)
                elif self.markdown and self.renderer.wait_for(part.images_waiting):
                    part.stale = True  # its formulas or lexers are in: render it again
                else:
                    break
