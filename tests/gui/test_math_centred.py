"""Display math standing on its own is centred, like a typeset equation; math inside a
sentence, or sharing its paragraph with words, keeps the paragraph's own alignment."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from tests.gui.test_math import rendered


def alignments(docs: list[QTextDocument]) -> dict[str, bool]:
    """Each paragraph's text (or "<formula>" for an image alone): centred or not."""
    found = {}
    for doc in docs:
        block = doc.begin()
        while block.isValid():
            text = block.text().replace("\ufffc", "").strip() or "<formula>"
            centred = bool(block.blockFormat().alignment() & Qt.AlignmentFlag.AlignHCenter)
            found[text] = centred
            block = block.next()
    return found


def test_an_equation_on_its_own_is_centred(qapp: Any) -> None:
    shown = alignments(rendered("The fit:\n\n$$b = \\frac{1}{n}$$\n\nThen more words.\n"))
    assert shown == {"The fit:": False, "<formula>": True, "Then more words.": False}


def test_math_among_words_is_not_centred(qapp: Any) -> None:
    shown = alignments(rendered("Area $\\pi r^2$ here.\n\nSee\n$$x^2$$\nabove.\n"))
    assert not any(shown.values()), shown
