"""Code blocks in the transcript: long lines scroll inside the block (Shift+wheel, its own
scrollbar) or wrap by a per-block toggle; Copy copies the exact code and says "Copied"."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication

from desktopchat.ui import code_blocks
from desktopchat.ui.chat_view import ChatView
from desktopchat.ui.message_render import PAD
from desktopchat.ui.render_body import Part
from desktopchat.ui.theme import theme_named

LONG_LINE = "value = [" + ", ".join(f"item{i}" for i in range(40)) + "]  # END"
CODE = f"import sys\n{LONG_LINE}\nprint(value)\n"
REPLY = f"Here it is:\n\n```python\n{CODE}```\n\nThat is all.\n"


def msg(mid: int, role: str, content: str) -> Any:
    return SimpleNamespace(id=mid, role=role, content=content, reasoning="", tool_calls=[],
                           state="complete", finish_reason="stop", usage=None, error=None)


def make_view(qtbot: Any, text: str = REPLY) -> ChatView:
    view = ChatView(theme_named("light"))
    qtbot.addWidget(view)
    view.resize(640, 500)
    view.show()
    view.set_messages([msg(1, "user", "Some code please"), msg(2, "assistant", text)])
    qtbot.waitUntil(lambda: not view.row_geometry.pump.busy)
    return view


def code_part(view: ChatView) -> Part:
    render = view.item(2).render
    return next(p for p in render.parts if p.codes)


def to_viewport(view: ChatView, part: Part, point: QPointF) -> QPointF:
    """A point in the part (on screen) as a viewport point."""
    index = view.rows.index_of(2)
    item = view.rows.items[index]
    top = view.rows.top(index) - view.verticalScrollBar().value()
    return QPointF(view.row_geometry.card_x(item) + PAD + point.x(), top + part.y + point.y())


def link_point(view: ChatView, part: Part, href: str) -> QPoint:
    """Where the header link `href` of the part's first code block is painted."""
    assert part.doc is not None
    header = code_blocks._cell_blocks(part.doc, code_blocks.code_tables(part.doc)[0])[0]
    for fragment in code_blocks.fragments(header):
        if fragment.charFormat().anchorHref() == href:
            line = header.layout().lineAt(0)
            middle = fragment.position() + fragment.length() // 2 - header.position()
            box = part.doc.documentLayout().blockBoundingRect(header)
            point = QPointF(box.left() + line.cursorToX(middle)[0], box.top() + line.y() + 8)
            return to_viewport(view, part, point).toPoint()
    raise AssertionError(f"no link {href}")


def shift_wheel(view: ChatView, at: QPointF, notches: int = -1) -> None:
    """Shift+wheel (down by default, which scrolls the block's lines to the left)."""
    event = QWheelEvent(at, view.viewport().mapToGlobal(at), QPoint(0, 0),
                        QPoint(0, 120 * notches), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.ShiftModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), event)


def window_pixels(view: ChatView, part: Part, block: code_blocks.CodeBlock) -> QImage:
    view.viewport().repaint()
    top_left = to_viewport(view, part, block.window.topLeft()).toPoint()
    image = view.viewport().grab().toImage()
    return image.copy(top_left.x(), top_left.y(), int(block.window.width()),
                      int(block.window.height()))


def position_at_right_edge(view: ChatView, part: Part, block: code_blocks.CodeBlock) -> int:
    """The character of the long line painted at the block's right edge."""
    inside = QPointF(block.window.right() - 4, block.window.top() + block.window.height() / 2)
    hit = view.input.hit(to_viewport(view, part, inside))
    assert hit is not None and hit[1] is part and part.doc is not None
    return part.doc.documentLayout().hitTest(hit[3], Qt.HitTestAccuracy.FuzzyHit)


def test_a_long_line_scrolls_inside_its_block_with_shift_wheel(qtbot: Any) -> None:
    view = make_view(qtbot)
    part = code_part(view)
    block = code_blocks.block_at(part, QPointF(20, part.height / 2))
    assert block is not None and block.overflows
    # The block is cut at the card's width, not painted past it.
    assert block.outer.right() <= part.width + 0.5
    assert part.doc is not None
    end = part.doc.find("END").position()
    before = position_at_right_edge(view, part, block)
    assert before < end - 20  # the end of the line is hidden at first
    pixels = window_pixels(view, part, block)

    # Shift+wheel over the block scrolls its lines, not the transcript.
    transcript_scroll = view.verticalScrollBar().value()
    middle = to_viewport(view, part, block.window.center())
    shift_wheel(view, middle)
    assert view.verticalScrollBar().value() == transcript_scroll
    assert code_blocks.view_of(part).state(block.index).offset > 0
    assert window_pixels(view, part, block) != pixels
    for _ in range(60):
        shift_wheel(view, middle)
    state = code_blocks.view_of(part).state(block.index)
    assert state.offset == block.max_offset
    assert position_at_right_edge(view, part, block) >= end  # the line's end is in view

    for _ in range(60):
        shift_wheel(view, middle, notches=1)
    assert state.offset == 0
    assert position_at_right_edge(view, part, block) == before


def test_the_blocks_scrollbar_drags_its_lines(qtbot: Any) -> None:
    view = make_view(qtbot)
    part = code_part(view)
    block = code_blocks.measure(part.doc, part.width)[0]  # type: ignore[arg-type]
    thumb = block.thumb(0.0)
    start = to_viewport(view, part, thumb.center()).toPoint()
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(viewport, start + QPoint(int(block.bar().width()), 0))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton,
                       pos=start + QPoint(int(block.bar().width()), 0))
    assert code_blocks.view_of(part).state(block.index).offset == block.max_offset
    assert view.selected_text() == ""  # dragging the bar selects nothing


def test_the_wrap_toggle_wraps_the_block_and_back(qtbot: Any) -> None:
    view = make_view(qtbot)
    part = code_part(view)
    unwrapped = view.item(2).height
    assert "Wrap" in code_blocks.label_texts(part, 0)

    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=link_point(view, part, "dc:wrap-code/0"))
    view.flush()
    assert view.item(2).height > unwrapped  # the long line now takes several lines
    part = code_part(view)
    block = code_blocks.measure(part.doc, part.width)[0]  # type: ignore[arg-type]
    assert not block.overflows
    assert "Unwrap" in code_blocks.label_texts(part, 0)

    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=link_point(view, part, "dc:wrap-code/0"))
    view.flush()
    assert view.item(2).height == unwrapped


def test_wrap_survives_the_document_being_rebuilt(qtbot: Any) -> None:
    view = make_view(qtbot)
    part = code_part(view)
    code_blocks.set_wrap(part, 0, True)
    render = view.item(2).render
    render.body.render(part)  # as after the part was dropped off-screen and shown again
    assert "Unwrap" in code_blocks.label_texts(part, 0)
    part.layout(render.width)
    assert not code_blocks.measure(part.doc, part.width)[0].overflows  # type: ignore[arg-type]


def test_copy_puts_the_exact_code_on_the_clipboard_and_says_copied(qtbot: Any) -> None:
    view = make_view(qtbot)
    part = code_part(view)
    assert "python" in code_blocks.label_texts(part, 0)  # the block shows its language
    feedback = view.input.code_blocks
    with qtbot.waitSignal(feedback.copied, timeout=2000):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         pos=link_point(view, part, "dc:copy-code/0"))
    assert QGuiApplication.clipboard().text() == CODE.rstrip("\n")
    assert "Copied" in code_blocks.label_texts(part, 0)
    with qtbot.waitSignal(feedback.copied_ended, timeout=5000):
        pass  # the "Copied" state ends by its own timer
    assert "Copied" not in code_blocks.label_texts(part, 0)
    assert "Copy" in code_blocks.label_texts(part, 0)


def test_a_block_without_a_language_says_code(qtbot: Any) -> None:
    view = make_view(qtbot, "```\nplain\n```\n")
    assert code_blocks.label_texts(code_part(view), 0).startswith("code")


def test_copy_in_any_piece_of_a_long_block_copies_all_of_it(qtbot: Any) -> None:
    code = "".join(f"line_{i} = compute({i}, 'some text here')\n" for i in range(200))
    view = make_view(qtbot, f"Long:\n\n  ```js\n  {code.replace(chr(10), chr(10) + '  ')}```\n"
                            "\nafter\n")
    view.rendered_html(2)  # every piece rendered
    pieces = [p for p in view.item(2).render.parts if p.codes]
    assert len(pieces) >= 3  # the chunker split the block
    for part in (pieces[0], pieces[1], pieces[-1]):
        view.scroll_to_message(2, highlight=False)
        view.row_geometry.set_scroll(view.rows.top(1) + int(part.y))
        view.viewport().repaint()
        with qtbot.waitSignal(view.input.code_blocks.copied, timeout=2000):
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                             pos=link_point(view, part, "dc:copy-code/0"))
        assert QGuiApplication.clipboard().text() == code.rstrip("\n")


def test_the_pointer_over_a_blocks_scrollbar_is_an_arrow(qtbot: Any) -> None:
    view = make_view(qtbot)
    part = code_part(view)
    block = code_blocks.measure(part.doc, part.width)[0]  # type: ignore[arg-type]
    over_text = to_viewport(view, part, block.window.center()).toPoint()
    qtbot.mouseMove(view.viewport(), over_text)
    assert view.viewport().cursor().shape() == Qt.CursorShape.IBeamCursor
    qtbot.mouseMove(view.viewport(), to_viewport(view, part, block.bar().center()).toPoint())
    assert view.viewport().cursor().shape() == Qt.CursorShape.ArrowCursor
