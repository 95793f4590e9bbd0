"""A long code block split over parts (the render budget of issue #10) is still one block:
its pieces scroll together by one offset, with one scrollbar at the block's visible bottom,
and Wrap and Copy in any piece act on the whole block (issue #15, code blocks)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QGuiApplication, QImage

from desktopchat.ui import code_blocks
from desktopchat.ui.chat_view import ChatView
from desktopchat.ui.code_block_bars import BAR_BELOW, CLEARANCE, shown_blocks
from desktopchat.ui.code_blocks import BAR_HEIGHT
from desktopchat.ui.render_body import Part
from tests.gui.test_code_blocks import link_point, make_view, shift_wheel, to_viewport

CODE = "".join(f"row_{i} = [" + ", ".join(f"v{i}_{j}" for j in range(24)) + "]\n"
               for i in range(120))
REPLY = f"The data:\n\n```python\n{CODE}```\n\nThat was all.\n"


def split_view(qtbot: Any) -> tuple[ChatView, list[Part]]:
    """The reply with its first two pieces on screen, the seam between them mid-view."""
    view = make_view(qtbot, REPLY)
    view.rendered_html(2)  # every piece rendered
    pieces = [p for p in view.item(2).render.parts if p.codes]
    assert len(pieces) >= 3  # the chunker split the block
    show(view, pieces[1].y - view.viewport().height() / 2)
    return view, pieces


def show(view: ChatView, y: float) -> None:
    """Scroll the transcript so `y` (in the reply's row) is at the top of the view."""
    view.row_geometry.follow = False
    view.row_geometry.set_scroll(view.rows.top(view.rows.index_of(2)) + int(y))
    view.row_geometry.layout_visible()
    view.viewport().repaint()


def block_of(part: Part) -> code_blocks.CodeBlock:
    assert part.doc is not None
    return code_blocks.view_of(part).blocks(part.doc, part.width)[0]


def offset_of(part: Part) -> float:
    return code_blocks.view_of(part).state(block_of(part).index).offset


def lines_pixels(view: ChatView, part: Part) -> QImage:
    """What the viewport shows of the part's code lines."""
    view.viewport().repaint()
    window = block_of(part).window
    top_left = to_viewport(view, part, window.topLeft()).toPoint()
    visible = view.viewport().rect().intersected(
        QRect(top_left.x(), top_left.y(), int(window.width()), int(window.height())))
    assert visible.height() > 40, "the piece is not on screen"
    return view.viewport().grab().toImage().copy(visible)


def test_shift_wheel_on_the_second_piece_scrolls_the_first_too(qtbot: Any) -> None:
    view, pieces = split_view(qtbot)
    first, second = pieces[0], pieces[1]
    assert block_of(first).overflows and block_of(second).overflows
    before = lines_pixels(view, first)
    shift_wheel(view, to_viewport(view, second, block_of(second).window.center()))
    assert offset_of(second) > 0
    assert offset_of(first) == offset_of(second)  # one offset for the whole block
    assert offset_of(pieces[-1]) == offset_of(second)  # off-screen pieces too
    assert lines_pixels(view, first) != before  # and the first piece is painted moved
    for _ in range(80):
        shift_wheel(view, to_viewport(view, second, block_of(second).window.center()))
    widest = max(block_of(p).content_width for p in pieces)
    assert offset_of(first) == widest - block_of(first).window.width()  # to the end, once


def test_a_split_block_has_one_scrollbar_at_its_visible_bottom(qtbot: Any) -> None:
    view, pieces = split_view(qtbot)
    shown = [s for s in shown_blocks(view, view.rows, view.row_geometry)
             if s.first.part in pieces]
    assert len(shown) == 1  # the pieces on screen are one block
    block = shown[0]
    assert [p.part for p in block.pieces] == pieces[:2]
    assert block.track is not None
    # The block runs on below the view: its bar is along the view's bottom edge...
    view.jump_button.hide()
    block = next(s for s in shown_blocks(view, view.rows, view.row_geometry)
                 if s.first.part in pieces)
    assert block.track is not None
    assert block.track.top() == view.viewport().height() - BAR_BELOW
    # ...or, with "Jump to latest" showing there, just above the button.
    view.jump_button.show()
    block = next(s for s in shown_blocks(view, view.rows, view.row_geometry)
                 if s.first.part in pieces)
    assert block.track is not None
    assert block.track.top() == view.jump_button.y() - CLEARANCE - BAR_HEIGHT - 1

    # Scrolled to the block's end, the bar is under its last line, as for a short block.
    last = pieces[-1]
    show(view, last.y + last.height - view.viewport().height() / 2)
    block = next(s for s in shown_blocks(view, view.rows, view.row_geometry)
                 if s.first.part in pieces)
    assert block.track is not None
    expected = to_viewport(view, last, block_of(last).bar().topLeft())
    assert block.track.topLeft() == expected


def test_dragging_the_one_bar_scrolls_every_piece(qtbot: Any) -> None:
    view, pieces = split_view(qtbot)
    block = next(s for s in shown_blocks(view, view.rows, view.row_geometry)
                 if s.first.part in pieces)
    assert block.track is not None
    start = block.thumb().center().toPoint()
    end = start + QPoint(int(block.track.width()), 0)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(view.viewport(), end)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=end)
    assert offset_of(pieces[0]) > 0
    assert all(offset_of(p) == offset_of(pieces[0]) for p in pieces)
    assert view.selected_text() == ""


def test_wrap_in_any_piece_wraps_the_whole_block(qtbot: Any) -> None:
    view, pieces = split_view(qtbot)
    shift_wheel(view, to_viewport(view, pieces[1], block_of(pieces[1]).window.center()))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=link_point(view, pieces[1], "dc:wrap-code/0"))
    view.flush()
    view.rendered_html(2)
    pieces = [p for p in view.item(2).render.parts if p.codes]
    for part in pieces:
        assert "Unwrap" in code_blocks.label_texts(part, 0)
        assert not block_of(part).overflows
        assert offset_of(part) == 0


def test_copy_in_a_piece_copies_the_whole_block_and_every_piece_says_copied(
        qtbot: Any) -> None:
    view, pieces = split_view(qtbot)
    feedback = view.input.code_blocks
    with qtbot.waitSignal(feedback.copied, timeout=2000):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         pos=link_point(view, pieces[1], "dc:copy-code/0"))
    assert QGuiApplication.clipboard().text() == CODE.rstrip("\n")
    assert all("Copied" in code_blocks.label_texts(p, 0) for p in pieces)
    with qtbot.waitSignal(feedback.copied_ended, timeout=5000):
        pass
    assert not any("Copied" in code_blocks.label_texts(p, 0) for p in pieces)


def test_a_piece_rendered_again_keeps_the_blocks_offset(qtbot: Any) -> None:
    view, pieces = split_view(qtbot)
    middle = QPointF(40, block_of(pieces[1]).window.center().y())
    shift_wheel(view, to_viewport(view, pieces[1], middle))
    offset = offset_of(pieces[1])
    render = view.item(2).render
    pieces[0].drop()  # far off-screen, as in a long chat
    render.body.render(pieces[0])
    pieces[0].layout(render.width)
    assert offset_of(pieces[0]) == offset > 0


def test_a_block_scrolled_while_it_streams_keeps_its_offset_when_it_is_split(
        qtbot: Any) -> None:
    """The open tail is rendered, the user scrolls its block, more text seals the tail inside
    the block: the new tail (rendered first, as when following the reply) and the sealed
    piece go on at the user's offset."""
    view = make_view(qtbot, "Hi")
    render = view.item(2).render
    body = render.body
    head = f"The data:\n\n```python\n{CODE[:1200]}"
    body.sync(head)
    body.render_until(float("inf"))
    (tail,) = [p for p in body.parts() if p.codes]
    tail.layout(render.width if render.width > 0 else 500.0)
    block = block_of(tail)
    code_blocks.scroll_to(tail, block, 40.0)
    body.sync(f"The data:\n\n```python\n{CODE}")  # sealed inside the block
    assert len(body.sealed) >= 1
    body.render(body.open_part)  # the tail first, then the piece above
    for part in body.sealed:
        body.render(part)
    pieces = [p for p in body.parts() if p.codes]
    assert len(pieces) >= 2
    states = {id(code_blocks.view_of(p).state(n)) for p in pieces for n in range(len(p.codes))
              if code_blocks.view_of(p).state(n).offset or p.fence_above >= 0}
    assert len(states) == 1  # one block, one state
    assert code_blocks.view_of(pieces[-1]).state(0).offset == 40.0
