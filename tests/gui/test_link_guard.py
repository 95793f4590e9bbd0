"""A link whose text shows another address, or that hides characters, asks before opening.

The opener is injected at the edge (no browser is started); the dialog is the real one.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox

from desktopchat.ui.link_guard import link_warning, visible_form
from tests.gui.test_chat_view import make_view, msg


@pytest.mark.parametrize(("target", "text"), [
    ("https://example.org/", "site"),
    ("https://example.org/page", "https://example.org/page"),
    ("https://example.org/a", "example.org"),
    ("https://www.example.org/a", "example.org/a"),
    ("mailto:me@example.org", "me@example.org"),
    ("https://example.org/", "the docs (see example)"),
])
def test_ordinary_links_need_no_question(target: str, text: str) -> None:
    assert link_warning(target, text) is None


@pytest.mark.parametrize(("target", "text"), [
    ("https://evil.example/login", "https://bank.example/login"),
    ("https://evil.example/", "bank.example"),
    ("https://evil.example/", "www.bank.example/login"),
    ("mailto:thief@evil.example", "mailto:help@bank.example"),
    ("https://example.com/%E2%80%AEexe.txt", "report"),  # RIGHT-TO-LEFT OVERRIDE, encoded
    ("https://example.com/", "exa\u200bmple"),  # zero-width space in the text
    ("https://example.com/", "\u2067link\u2069"),  # bidi isolates
    ("https://xn--exmple-cua.com/", "login"),  # punycode look-alike host
])
def test_deceptive_links_need_a_question(target: str, text: str) -> None:
    reason = link_warning(target, text)
    assert reason


def test_hidden_characters_are_written_out() -> None:
    assert visible_form("a\u202eb\u200bc") == "a<U+202E>b<U+200B>c"


def click_first_link(view: Any, qtbot: Any) -> None:
    body = next(p for p in view.rows.items[0].render.parts if p.kind == "body")
    top = view.rows.top(0) - view.verticalScrollBar().value()
    point = QPoint(view.row_geometry.card_x(view.rows.items[0]) + 12 + 5, int(top + body.y + 8))
    assert view.input.hit(point.toPointF())[2]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


@pytest.mark.parametrize("answer", [QMessageBox.StandardButton.Open,
                                    QMessageBox.StandardButton.Cancel])
def test_a_link_showing_another_address_asks_first(qtbot: Any, answer: Any) -> None:
    view = make_view(qtbot, [msg(1, "assistant",
                                 "[https://bank.example/login](https://evil.example/steal) now")])
    opened: list[Any] = []
    view.input.open_link_handler = opened.append
    click_first_link(view, qtbot)
    assert opened == []  # not opened silently
    box = view.input.link_box
    assert box is not None and box.isVisible()
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert "https://evil.example/steal" in box.text()  # the real target is shown
    box.button(answer).click()
    expected = ["https://evil.example/steal"] if answer == QMessageBox.StandardButton.Open else []
    assert [u.toString() for u in opened] == expected


def test_a_link_with_a_bidi_override_asks_first(qtbot: Any) -> None:
    view = make_view(qtbot, [msg(1, "assistant",
                                 "[invoice](https://example.com/\u202egpj.exe) attached")])
    opened: list[Any] = []
    view.input.open_link_handler = opened.append
    click_first_link(view, qtbot)
    assert opened == []
    box = view.input.link_box
    assert box is not None and "<U+202E>" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert opened == []


def test_an_honest_link_still_opens_on_click(qtbot: Any) -> None:
    view = make_view(qtbot, [msg(1, "assistant", "[example.org](https://example.org/a) ok")])
    opened: list[Any] = []
    view.input.open_link_handler = opened.append
    click_first_link(view, qtbot)
    assert [u.toString() for u in opened] == ["https://example.org/a"]
    assert view.input.link_box is None
