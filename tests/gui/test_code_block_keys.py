"""Issue 17 (every action by keyboard) for code blocks (issue 15): from the message the
keyboard chose, Tab reaches its code blocks; on one, Left/Right/Home/End scroll it (every
piece of a split block), W wraps it, C copies it; a ring shows which; screen readers get
its name and keys; Tab past the last block leaves the transcript as before."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QAccessible, QColor, QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from desktopchat.ui import code_blocks
from desktopchat.ui.chat_view import ChatView
from desktopchat.ui.code_block_keys import RING
from desktopchat.ui.render_body import Part
from tests.gui.test_code_block_pieces import CODE as SPLIT_CODE
from tests.gui.test_code_blocks import LONG_LINE, msg, to_viewport
from tests.support.transcript_window import transcript_over_field

TWO_BLOCKS = (f"First:\n\n```python\n{LONG_LINE}\n```\n\nSecond:\n\n```sh\necho hi\n```\n\n"
              f"Third:\n\n```python\n{SPLIT_CODE}```\n")


def window_with(qtbot: Any, text: str) -> tuple[QWidget, ChatView, QLineEdit]:
    """The transcript above a text field (the next Tab stop), the reply chosen by Tab."""
    window, view, after = transcript_over_field(
        qtbot, [msg(1, "user", "Code please"), msg(2, "assistant", text)], settle=True)
    view.scroll_to_message(2, highlight=False)
    assert view.message_actions.focus_id == 2
    return window, view, after


def focused_part(view: ChatView) -> tuple[Part, int]:
    found = view.code_focus.stop()
    assert found is not None, "no code block has the keyboard"
    return found[1]


def offset(part: Part, index: int) -> float:
    return code_blocks.view_of(part).state(index).offset


def test_tab_reaches_each_code_block_then_leaves_the_transcript(qtbot: Any) -> None:
    _window, view, _after = window_with(qtbot, TWO_BLOCKS)
    reached = []
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is view  # still the transcript's stop
        part, index = focused_part(view)
        reached.append(part.codes[index])
    assert reached[0].startswith("value = [") and reached[1] == "echo hi\n"
    assert reached[2].startswith("row_0")  # the split block is one stop, however many pieces
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not view  # past the last block: the next stop
    assert view.code_focus.stop() is None

    view.setFocus(Qt.FocusReason.BacktabFocusReason)  # back into the transcript
    qtbot.waitUntil(view.hasFocus)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert focused_part(view)[0].codes[focused_part(view)[1]] == "echo hi\n"
    qtbot.keyClick(view, Qt.Key.Key_Backtab)
    assert focused_part(view)[0].codes[focused_part(view)[1]].startswith("value = [")
    qtbot.keyClick(view, Qt.Key.Key_Backtab)
    assert view.code_focus.stop() is None and QApplication.focusWidget() is view  # the message
    qtbot.keyClick(view, Qt.Key.Key_Up)  # Up and Down still choose messages
    assert view.message_actions.focus_id == 1


def test_arrows_home_and_end_scroll_the_focused_block(qtbot: Any) -> None:
    _window, view, _after = window_with(qtbot, TWO_BLOCKS)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    part, index = focused_part(view)
    assert part.doc is not None
    block = code_blocks.view_of(part).blocks(part.doc, part.width)[index]
    assert block.overflows
    transcript = view.verticalScrollBar().value()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert offset(part, index) > 0
    small = offset(part, index)
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert offset(part, index) > small * 2 or offset(part, index) == block.max_offset
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert offset(part, index) == block.max_offset
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert offset(part, index) < block.max_offset
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert offset(part, index) == 0
    assert view.verticalScrollBar().value() == transcript  # the transcript did not move
    assert view.message_actions.focus_id == 2


def test_keys_scroll_every_piece_of_a_split_block(qtbot: Any) -> None:
    _window, view, _after = window_with(qtbot, TWO_BLOCKS)
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_Tab)
    view.rendered_html(2)
    part, index = focused_part(view)
    state = code_blocks.view_of(part).state(index)
    pieces = [(p, n) for p in view.item(2).render.parts for n in range(len(p.codes))
              if code_blocks.view_of(p).state(n) is state]
    assert len(pieces) >= 3
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert state.offset > 0
    assert all(offset(p, n) == state.offset for p, n in pieces)


def test_w_wraps_and_c_copies_the_focused_block(qtbot: Any) -> None:
    _window, view, _after = window_with(qtbot, TWO_BLOCKS)
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_Tab)
    with qtbot.waitSignal(view.input.code_blocks.copied, timeout=2000):
        qtbot.keyClick(view, Qt.Key.Key_C)
    assert QGuiApplication.clipboard().text() == SPLIT_CODE.rstrip("\n")  # the whole block
    qtbot.keyClick(view, Qt.Key.Key_Backtab)
    qtbot.keyClick(view, Qt.Key.Key_Backtab)
    part, index = focused_part(view)
    qtbot.keyClick(view, Qt.Key.Key_W)
    view.flush()
    assert code_blocks.view_of(part).state(index).wrap
    assert "Unwrap" in code_blocks.label_texts(part, index)


def test_the_focused_block_has_a_ring_in_the_highlight_colour(qtbot: Any) -> None:
    _window, view, _after = window_with(qtbot, TWO_BLOCKS)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    part, index = focused_part(view)
    assert part.doc is not None
    block = code_blocks.view_of(part).blocks(part.doc, part.width)[index]
    left_edge = to_viewport(view, part, QPointF(block.outer.left(), block.outer.center().y()))

    def beside_the_block() -> list[QColor]:
        """The pixels just left of the block's border, at half its height."""
        view.viewport().repaint()
        image = view.viewport().grab().toImage()
        x, y = int(left_edge.x()), int(left_edge.y())
        return [image.pixelColor(x - n, y) for n in range(1, 2 * RING + 2)]

    ring = view.message_actions.ring_color()
    assert ring in beside_the_block()
    qtbot.keyClick(view, Qt.Key.Key_Backtab)  # back to the message: no ring on the block
    assert ring not in beside_the_block()


def test_screen_readers_hear_the_focused_blocks_name_and_keys(qtbot: Any) -> None:
    _window, view, _after = window_with(qtbot, TWO_BLOCKS)
    child = view.accessibility.child(2)
    assert "Code block" not in child.text(QAccessible.Text.Description)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    said = child.text(QAccessible.Text.Description)
    assert "Code block 1 of 3, python" in said and "Left and Right scroll it" in said
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    said = child.text(QAccessible.Text.Description)
    assert "Code block 2 of 3, sh" in said and "scroll" not in said  # a short block
    assert "C copies it" in said


def test_a_click_or_another_widget_leaves_the_block_another_window_does_not(
        qtbot: Any) -> None:
    window, view, after = window_with(qtbot, TWO_BLOCKS)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: not view.hasFocus())
    assert view.code_focus.stop() is not None  # back in the window, still on the block
    window.activateWindow()
    qtbot.waitUntil(view.hasFocus)
    assert view.code_focus.stop() is not None
    after.setFocus(Qt.FocusReason.MouseFocusReason)
    assert view.code_focus.stop() is None
    view.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.code_focus.stop() is not None
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(30, 30))
    assert view.code_focus.stop() is None
