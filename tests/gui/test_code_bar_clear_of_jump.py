"""A code block's scrollbar and the "↓ Jump to latest" button never overlap: where the bar
would lie under the button (a long block cut by the view's bottom, or a block ending just
there), it rises above the button and still scrolls the block."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRectF, Qt

from desktopchat.ui import code_blocks
from desktopchat.ui.chat_view import ChatView
from desktopchat.ui.code_block_bars import ShownBlock, shown_blocks
from desktopchat.ui.theme import theme_named
from tests.gui.test_code_blocks import msg

CODE = "".join(f"row_{i} = [" + ", ".join(f"v{i}_{j}" for j in range(24)) + "]\n"
               for i in range(40))
REPLY = f"The data:\n\n```python\n{CODE}```\n\nThat was all.\n"


def view_with_block(qtbot: Any, width: int) -> ChatView:
    view = ChatView(theme_named("light"))
    qtbot.addWidget(view)
    view.resize(width, 500)
    view.show()
    view.set_messages([msg(1, "user", "Data please"), msg(2, "assistant", REPLY),
                       msg(3, "user", "Thanks"), msg(4, "assistant", "You are welcome.\n" * 20)])
    qtbot.waitUntil(lambda: not view.row_geometry.pump.busy)
    view.rendered_html(2)
    return view


def block_shown(view: ChatView) -> ShownBlock:
    shown = [s for s in shown_blocks(view, view.rows, view.row_geometry)
             if s.first.message_id == 2]
    assert len(shown) == 1 and shown[0].track is not None
    return shown[0]


def painted_strip(track: QRectF) -> QRectF:
    return track.adjusted(-2, -3, 2, 1)  # the background paint_bars lays under a bar


def scroll_block_bottom_to(view: ChatView, y: float) -> None:
    """Scroll (as the user would) so the block's bottom edge is `y` px from the view's top."""
    index = view.rows.index_of(2)
    part = next(p for p in view.item(2).render.parts if p.codes)
    assert part.doc is not None
    block = code_blocks.view_of(part).blocks(part.doc, part.width)[0]
    bottom = view.rows.top(index) + part.y + block.outer.bottom()
    view.verticalScrollBar().setValue(int(bottom - y))
    view.row_geometry.layout_visible()


@pytest.mark.parametrize("width", [640, 380])
def test_the_bar_of_a_block_cut_by_the_views_bottom_stays_clear_of_jump(
        qtbot: Any, width: int) -> None:
    view = view_with_block(qtbot, width)
    scroll_block_bottom_to(view, view.viewport().height() + 200)  # the block runs on below
    jump = view.jump_button
    assert jump.isVisible() and not view.following
    shown = block_shown(view)
    assert shown.track is not None
    assert not painted_strip(shown.track).intersects(QRectF(jump.geometry()))
    assert shown.track.bottom() < jump.geometry().top()  # above it, still on the block
    assert shown.track.top() >= shown.pieces[0].window.top()


def test_the_bar_of_a_block_ending_beside_jump_stays_clear_of_it(qtbot: Any) -> None:
    view = view_with_block(qtbot, 640)
    jump_middle = view.viewport().height() - 12 - 14  # about the button's middle
    scroll_block_bottom_to(view, jump_middle)
    jump = view.jump_button
    assert jump.isVisible()
    assert jump.geometry().top() < jump_middle < jump.geometry().bottom()
    shown = block_shown(view)
    assert shown.track is not None
    assert not painted_strip(shown.track).intersects(QRectF(jump.geometry()))


def test_the_raised_bar_still_drags_the_block(qtbot: Any) -> None:
    view = view_with_block(qtbot, 640)
    scroll_block_bottom_to(view, view.viewport().height() + 200)
    shown = block_shown(view)
    start = shown.thumb().center().toPoint()
    assert not view.jump_button.geometry().contains(start)
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(viewport, start + QPoint(200, 0))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=start + QPoint(200, 0))
    assert shown.state.offset > 0
    assert view.jump_button.isVisible()  # the press was the bar's, not the button's
