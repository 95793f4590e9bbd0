"""A frame looks only at the parts on screen: parts_meeting bisects a message's parts and
finds exactly what a walk over all of them finds; layout walks only what changed."""

from __future__ import annotations

import random
from typing import Any

from desktopchat.ui.markdown import MarkdownRenderer
from desktopchat.ui.message_render import MessageRender
from desktopchat.ui.render_body import Part, parts_meeting
from desktopchat.ui.theme import theme_named
from desktopchat.ui.transcript_rows import MessageItem


def placed_parts(heights: list[float], unplaced: int) -> list[Part]:
    parts, y = [], 12.0
    for height in heights:
        part = Part("body", None)
        part.y, part.height, part.placed = y, height, True
        parts.append(part)
        y += height + 6
    return parts + [Part("body", None) for _ in range(unplaced)]  # new: not placed yet


def test_bisection_finds_what_a_walk_finds(qapp: Any) -> None:
    rnd = random.Random(7)
    for _ in range(300):
        heights = [rnd.choice([0.0, 5.0, 20.0, 400.0]) for _ in range(rnd.randrange(30))]
        parts = placed_parts(heights, rnd.randrange(3))
        top = rnd.uniform(-100, 3000)
        bottom = top + rnd.uniform(0, 800)
        walked = [p for p in parts if p.placed and p.near((top, bottom))]
        assert list(parts_meeting(parts, top, bottom)) == walked


def test_a_streaming_frame_lays_out_only_the_parts_that_changed(qapp: Any) -> None:
    table = "| a | b |\n|---|---|\n" + "".join(f"| {n} | x |\n" for n in range(400))
    item = MessageItem(id=1, role="assistant", content=table, state="streaming")
    render = MessageRender(item, MarkdownRenderer(theme_named("light")), is_last=True)
    render.layout(700)
    render.finish()
    sealed = [p for p in render.body.sealed if p.doc is not None]
    assert len(sealed) > 20
    for part in sealed:
        part.height = -1.0  # a marker: laying the part out again would measure it
    item.content += "| 400 | y |\n"
    render.sync(item)
    render.layout(700)
    # The frame walked past the sealed parts: laid out at this width, their heights stand.
    assert all(p.height == -1.0 for p in sealed)
    assert all(p.laid_out(render.width) for p in render.parts if p.doc is not None)


def test_new_parts_sealed_before_the_open_tail_keep_the_parts_in_order(qapp: Any) -> None:
    # A slice that chunks more text seals parts in front of the placed open tail; until the
    # message places its parts again they sit where the tail begins, so a window on the
    # tail still finds them (and the tail) by bisection.
    item = MessageItem(id=1, role="assistant", content="word " * 200 + "\n\n",
                       state="streaming")
    render = MessageRender(item, MarkdownRenderer(theme_named("light")), is_last=True)
    render.layout(700)
    tail = render.body.open_part
    assert tail.placed
    sealed = len(render.body.sealed)
    render.body.sync(item.content + ("more words here. " * 40 + "\n\n") * 6)
    new = render.body.sealed[sealed:]
    assert new and all(p.placed and p.y == tail.y for p in new)
    parts = render.body.parts()
    keys = [p.y + p.height for p in parts]
    assert keys == sorted(keys)
    found = parts_meeting(parts, tail.y, tail.y + 10)
    assert all(p in found for p in new)
