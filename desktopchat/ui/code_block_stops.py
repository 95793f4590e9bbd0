"""The Tab stops of a message's code blocks: every block it has, not only those rendered.

A large reply renders the parts near the screen first and drops far ones (render_body), so
the blocks known from rendered parts are a few of the message's. Walking the stops renders,
on the way, each waiting part whose source holds a code block (a parse, no layout, tells),
so Tab reaches the next block wherever it is; parts with no code are never rendered for it.
A block split over parts is one stop, at its first piece.
"""

from __future__ import annotations

from collections.abc import Iterator

from desktopchat.ui.code_blocks import CodeState, view_of
from desktopchat.ui.message_code import fenced_blocks
from desktopchat.ui.render_body import Part
from desktopchat.ui.transcript_rows import MessageItem

Stop = tuple[Part, int]  # a code block as its first rendered piece: part, block number


def walk(item: MessageItem) -> Iterator[Stop]:
    """The message's code blocks in order, rendering waiting parts that hold one."""
    render = item.render
    if render is None:
        return
    seen: set[int] = set()
    markdown = render.body.markdown  # a user's text is shown as typed: it has no blocks
    for part in list(render.parts):
        if (markdown and part.doc is None and part.kind == "body"
                and fenced_blocks(part.source)):
            render.render_now(part)
            item.exact_width = -1  # its height is exact now: the row is laid out again
        for index in range(len(part.codes)):
            state = view_of(part).state(index)
            if id(state) not in seen:
                seen.add(id(state))
                yield part, index


def state_of(stop: Stop) -> CodeState:
    return view_of(stop[0]).state(stop[1])


def next_stop(item: MessageItem, current: CodeState | None, *, back: bool) -> Stop | None:
    """The block after `current` (the first with None), or before it with `back` (None
    from the first block: back to the message itself, or when there is none). A `current`
    the message no longer has (its text was rendered afresh) counts as None."""
    first: Stop | None = None
    before: Stop | None = None
    passed = current is None
    for stop in walk(item):
        if passed:
            return stop
        if state_of(stop) is current:
            if back:
                return before
            passed = True
        first = first or stop
        before = stop
    return None if back or passed else first


def number_of(item: MessageItem, current: CodeState) -> int:
    """The block's place among the message's blocks, from 1 (0 when it is not one)."""
    for number, stop in enumerate(walk(item), 1):
        if state_of(stop) is current:
            return number
    return 0


def count_of(item: MessageItem) -> int:
    """How many code blocks the message shows (its text parsed, nothing rendered)."""
    if item.render is None or not item.render.body.markdown:
        return 0
    return len(fenced_blocks(item.content))
