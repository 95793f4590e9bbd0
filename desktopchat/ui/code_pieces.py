"""The pieces of one code block that the chunker split over several parts.

A long fenced block is cut every FENCE_SPLIT_LINES lines (chunking), so no single render
or layout is large; each piece is its own part with its own document (DESIGN.md §6). To
the user it is still one block: the pieces must scroll, wrap and say "Copied" together,
and Copy must give the whole block. The pieces are known by the fence's opener, the
offset in the message's text where the block starts: a part records the opener of the
block it continues from the part above (`fence_above`, always its first block) and of the
block that goes on in the part below (`fence_below`, always its last block). `link` makes
each piece's CodeState the block's one shared state, kept by opener, so whichever piece
is rendered first (pieces render in any order, near the screen first) brings the state
the others join; a block the user scrolled while it streamed keeps that state when the
tail is sealed inside it (`fence_open`), even if the new tail renders before the sealed
piece. Nothing here renders or lays out: the pieces stay separate documents.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from desktopchat.ui.code_blocks import CodeState, view_of

if TYPE_CHECKING:
    from desktopchat.ui.render_body import Part

NO_FENCE = -1


def opener_of(part: Part, index: int) -> int:
    """The opener of block `index` of `part` when the block is split, else NO_FENCE."""
    if index == 0 and part.fence_above >= 0:
        return part.fence_above
    if index == len(part.codes) - 1 and part.fence_below >= 0:
        return part.fence_below
    return NO_FENCE


def link(shared: dict[int, CodeState], part: Part) -> None:
    """Make the split blocks of `part` (its first and last, once rendered) share their
    block's state. The state already kept for the opener wins; else this piece's own
    state (the user may have scrolled it before the block was known to go on)."""
    if not part.codes:
        # Sealed while it streamed, not rendered since: the tail's document it was showing
        # ended inside this block, which the user may have scrolled; that state goes on.
        carried = part.fence_open
        if carried is not None and carried[0] == part.fence_below >= 0:
            shared.setdefault(carried[0], view_of(part).state(carried[1]))
        return
    view = view_of(part)
    for index in {0, len(part.codes) - 1}:
        opener = opener_of(part, index)
        if opener >= 0:
            state = shared.setdefault(opener, view.state(index))
            if view.states.get(index) is not state:
                view.states[index] = state
                view.invalidate()


def pieces(parts: Iterable[Part], state: CodeState) -> list[tuple[Part, int]]:
    """Every rendered (part, block number) showing the block whose state is `state`."""
    found = []
    for part in parts:
        if not part.codes or part.code_view is None:
            continue
        found += [(part, index) for index, kept in sorted(part.code_view.states.items())
                  if kept is state and index < len(part.codes)]
    return found
