"""Issue 17: a code block's Wrap and Copy are actions, not hyperlinks: no underline, the
theme's accent colour, a tooltip saying what they do; a web link in a reply stays a link."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktopchat.ui import code_blocks
from tests.gui.test_code_blocks import code_part, link_point, make_view


def anchor_formats(view: Any, href: str) -> list[Any]:
    part = code_part(view)
    assert part.doc is not None
    header = code_blocks._cell_blocks(part.doc, code_blocks.code_tables(part.doc)[0])[0]
    return [f.charFormat() for f in code_blocks.fragments(header)
            if f.charFormat().anchorHref() == href]


def test_wrap_and_copy_look_like_actions_and_say_what_they_do(qtbot: Any) -> None:
    view = make_view(qtbot, "See [the docs](https://example.org).\n\n```python\nx = 1\n```\n")
    for href in ("dc:wrap-code/0", "dc:copy-code/0"):
        (fmt,) = anchor_formats(view, href)
        assert not fmt.fontUnderline()
        assert fmt.foreground().color() == QColor(view.theme.link)
    tips = []
    for href in ("dc:wrap-code/0", "dc:copy-code/0"):
        point = link_point(view, code_part(view), href)
        QTest.mouseMove(view.viewport(), point)
        tips.append(view.viewport().toolTip())
    assert tips == ["Wrap or unwrap this block's long lines", "Copy this code block"]
    # Under the pointer: a faint accent background (Copy, the last one pointed at), not Wrap.
    (copy,) = anchor_formats(view, "dc:copy-code/0")
    (wrap,) = anchor_formats(view, "dc:wrap-code/0")
    assert copy.background().style() != Qt.BrushStyle.NoBrush
    assert copy.background().color().rgb() == QColor(view.theme.link).rgb()
    assert wrap.background().style() == Qt.BrushStyle.NoBrush
    QApplication.sendEvent(view.viewport(), QEvent(QEvent.Type.Leave))
    (copy,) = anchor_formats(view, "dc:copy-code/0")
    assert copy.background().style() == Qt.BrushStyle.NoBrush
    web = [fragment.charFormat() for part in view.item(2).render.parts if part.doc is not None
           for block in blocks(part.doc) for fragment in code_blocks.fragments(block)
           if fragment.charFormat().anchorHref() == "https://example.org"]
    assert web and all(fmt.fontUnderline() for fmt in web)  # a web link stays a link


def blocks(doc: Any) -> list[Any]:
    found, block = [], doc.begin()
    while block.isValid():
        found.append(block)
        block = block.next()
    return found
