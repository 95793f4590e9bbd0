"""Fenced code blocks inside a rendered part: where they are, and their per-block state.

markdown.py writes each fenced block as a one-cell table (cellpadding CODE_PADDING) whose
first line is a header (language, Wrap, Copy) and whose other lines are the code, in
`<pre>` blocks that QTextDocument never wraps. A long line therefore makes the table wider
than the card. Instead of cutting it at the card's edge, the view paints the code lines
through a window the width of the card, shifted by the block's horizontal offset
(code_block_paint), scrolled by Shift+wheel or the block's own scrollbar
(code_block_input); or the block wraps, by its toggle, which makes its lines breakable.

State (offset, wrap, "Copied") lives on the Part, keyed by the block's number in that
part (the n of dc:copy-code/n), so it survives the part's document being rebuilt while
a reply streams or after it was dropped off-screen: `restore` re-applies it. A long block
split over several parts (chunking) is one block to the user: its pieces share one
CodeState (code_pieces links them), so they scroll, wrap and say "Copied" together, and
the state remembers the widest line any piece has shown, which sets how far they scroll.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import (
    QTextBlock,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextFragment,
    QTextTable,
)

from desktopchat.ui.i18n import translate

if TYPE_CHECKING:
    from desktopchat.ui.render_body import Part

CODE_PADDING = 8  # the code table's cellpadding: also how the view tells it from other tables
BORDER = 1
BAR_HEIGHT = 4.0  # the horizontal scrollbar, drawn in the block's bottom padding
COPY_ACTION = "copy-code"
WRAP_ACTION = "wrap-code"


def copy_label() -> str:
    return translate("CodeBlock", "Copy")


def copied_label() -> str:
    return translate("CodeBlock", "Copied")


def wrap_label(wrapped: bool) -> str:
    return translate("CodeBlock", "Unwrap") if wrapped else translate("CodeBlock", "Wrap")


@dataclass
class CodeState:
    offset: float = 0.0  # px the code lines are scrolled to the left
    wrap: bool = False
    copied: bool = False  # "Copied" shown instead of "Copy" (for a moment)
    widest: float = 0.0  # natural width of the widest line measured in any piece of the block


@dataclass(frozen=True)
class CodeBlock:
    """Geometry of one code block in its part's document, at the part's current width."""

    index: int
    outer: QRectF  # the visible box: border included, cut at the part's width
    window: QRectF  # where the code lines show
    content_width: float  # natural width of the widest line

    @property
    def max_offset(self) -> float:
        return max(0.0, self.content_width - self.window.width())

    @property
    def overflows(self) -> bool:
        return self.max_offset > 0.5

    def bar(self) -> QRectF:
        """The scrollbar's track, under the lines."""
        return QRectF(self.window.left(), self.outer.bottom() - BORDER - BAR_HEIGHT - 1.5,
                      self.window.width(), BAR_HEIGHT)

    def thumb(self, offset: float, track: QRectF | None = None) -> QRectF:
        """The thumb at `offset`, on the block's own bar or on `track` (the block's one bar,
        wherever it is drawn)."""
        track = self.bar() if track is None else track
        share = track.width() / max(self.content_width, 1.0)
        width = max(24.0, track.width() * share)
        left = track.left() + (track.width() - width) * (offset / max(self.max_offset, 1.0))
        return QRectF(left, track.top(), width, track.height())


@dataclass
class CodeView:
    """The code blocks of one part: state by block number, geometry cached per layout."""

    states: dict[int, CodeState] = field(default_factory=dict)
    _key: tuple[int, float, int] = (0, -1.0, -1)
    _blocks: list[CodeBlock] = field(default_factory=list)

    def state(self, index: int) -> CodeState:
        return self.states.setdefault(index, CodeState())

    def blocks(self, doc: QTextDocument, width: float) -> list[CodeBlock]:
        """The blocks at `width`, each as wide as its whole block's widest line (a piece of
        short lines in a split block scrolls with the others)."""
        key = (id(doc), width, doc.revision())
        if key != self._key:
            self._blocks = measure(doc, width)
            self._key = key
        found = []
        for block in self._blocks:
            state = self.state(block.index)
            state.widest = max(state.widest, block.content_width)
            if state.widest > block.content_width:
                block = replace(block, content_width=state.widest)
            state.offset = min(state.offset, block.max_offset)  # a wider layout scrolls less
            found.append(block)
        return found

    def invalidate(self) -> None:
        self._key = (0, -1.0, -1)


def view_of(part: Part) -> CodeView:
    if part.code_view is None:
        part.code_view = CodeView()
    view: CodeView = part.code_view
    return view


def code_tables(doc: QTextDocument) -> list[QTextTable]:
    """The document's code tables in order: the n-th is code block n of the part."""
    found: list[QTextTable] = []
    frames = list(doc.rootFrame().childFrames())
    while frames:
        frame = frames.pop(0)
        if isinstance(frame, QTextTable):
            fmt = frame.format()
            if fmt.cellPadding() == CODE_PADDING and frame.columns() == 1 and frame.rows() == 1:
                found.append(frame)
        frames[:0] = list(frame.childFrames())
    return found


def _cell_blocks(doc: QTextDocument, table: QTextTable) -> list[QTextBlock]:
    cell = table.cellAt(0, 0)
    blocks = []
    block = doc.findBlock(cell.firstPosition())
    while block.isValid() and block.position() <= cell.lastPosition():
        blocks.append(block)
        block = block.next()
    return blocks


def measure(doc: QTextDocument, width: float) -> list[CodeBlock]:
    layout = doc.documentLayout()
    result = []
    for index, table in enumerate(code_tables(doc)):
        blocks = _cell_blocks(doc, table)
        if not blocks:
            continue
        header = layout.blockBoundingRect(blocks[0])
        lines = blocks[1:] or blocks[:1]
        top = layout.blockBoundingRect(lines[0]).top()
        bottom = layout.blockBoundingRect(lines[-1]).bottom()
        inset = CODE_PADDING + BORDER
        right = min(header.right() + inset, width)
        outer = QRectF(header.left() - inset, header.top() - inset,
                       right - (header.left() - inset), bottom - header.top() + 2 * inset)
        window = QRectF(header.left(), top, max(0.0, right - inset - header.left()),
                        bottom - top)
        natural = 0.0
        for block in lines:
            text_layout = block.layout()
            for n in range(text_layout.lineCount()):
                line = text_layout.lineAt(n)
                natural = max(natural, line.x() + line.naturalTextWidth())
        result.append(CodeBlock(index, outer, window, natural + 1.0))
    return result


def block_at(part: Part, point: QPointF) -> CodeBlock | None:
    """The code block whose visible box holds `point` (in the part's coordinates)."""
    if part.doc is None or not part.codes or part.width < 0:
        return None
    for block in view_of(part).blocks(part.doc, part.width):
        if block.outer.contains(point):
            return block
    return None


def to_document(part: Part, point: QPointF) -> QPointF:
    """A point on screen (part coordinates) as a point in the document: inside a scrolled
    block's lines it is further right, by the block's offset."""
    if part.code_view is None:
        return point
    block = block_at(part, point)
    if block is None or not block.window.contains(point):
        return point
    return QPointF(point.x() + part.code_view.state(block.index).offset, point.y())


def scroll_to(part: Part, block: CodeBlock, offset: float) -> bool:
    """Scroll `block` of `part` to `offset` (clamped); True when it moved."""
    state = view_of(part).state(block.index)
    clamped = max(0.0, min(block.max_offset, offset))
    if abs(clamped - state.offset) < 0.01:
        return False
    state.offset = clamped
    return True


def set_wrap(part: Part, index: int, wrap: bool) -> None:
    state = view_of(part).state(index)
    state.wrap = wrap
    state.offset = 0.0
    state.widest = 0.0  # wrapped lines are as wide as the window: measured again
    if part.doc is not None:
        _apply_wrap(part.doc, index, wrap)
        part.width = -1.0  # the height changes: lay the part out again
    view_of(part).invalidate()


def set_copied(part: Part, index: int, copied: bool) -> None:
    view_of(part).state(index).copied = copied
    if part.doc is not None:
        _relabel(part.doc, index, COPY_ACTION, copied_label() if copied else copy_label())


def restore(part: Part) -> None:
    """Re-apply wrap and "Copied" to a part's freshly built document."""
    if part.code_view is None or part.doc is None:
        return
    for index, state in part.code_view.states.items():
        if state.wrap:
            _apply_wrap(part.doc, index, True)
        if state.copied:
            _relabel(part.doc, index, COPY_ACTION, copied_label())
    part.code_view.invalidate()


def _apply_wrap(doc: QTextDocument, index: int, wrap: bool) -> None:
    tables = code_tables(doc)
    if index >= len(tables):
        return
    blocks = _cell_blocks(doc, tables[index])
    cursor = QTextCursor(doc)
    fmt = QTextBlockFormat()
    fmt.setNonBreakableLines(not wrap)
    for block in blocks[1:]:
        cursor.setPosition(block.position())
        cursor.mergeBlockFormat(fmt)
    _relabel(doc, index, WRAP_ACTION, wrap_label(wrap))


def fragments(block: QTextBlock) -> list[QTextFragment]:
    found = []
    piece = block.begin()
    while not piece.atEnd():
        if piece.fragment().isValid():
            found.append(piece.fragment())
        piece += 1
    return found


def _relabel(doc: QTextDocument, index: int, action: str, text: str) -> None:
    """Change the text of the header link dc:<action>/<index>, keeping its format."""
    tables = code_tables(doc)
    if index >= len(tables):
        return
    header = _cell_blocks(doc, tables[index])[0]
    href = f"dc:{action}/{index}"
    for fragment in fragments(header):
        if fragment.charFormat().anchorHref() == href:
            if fragment.text() != text:
                cursor = QTextCursor(doc)
                cursor.setPosition(fragment.position())
                cursor.setPosition(fragment.position() + fragment.length(),
                                   QTextCursor.MoveMode.KeepAnchor)
                cursor.insertText(text, fragment.charFormat())
            return


def label_texts(part: Part, index: int) -> str:
    """The header line of code block `index` as shown (for tests and accessibility)."""
    if part.doc is None:
        return ""
    tables = code_tables(part.doc)
    if index >= len(tables):
        return ""
    return _cell_blocks(part.doc, tables[index])[0].text().replace("\xa0", " ")
