"""Issue 17, fonts: emoji are drawn by an installed emoji or symbol font wherever one has them.

Asked of this machine's real font database (whatever it has installed): the chosen families
exist, colour fonts come first, every probe emoji that some listed font has is covered by the
choice, and text laid out in the application font draws no missing-glyph box for an emoji
that any installed font can draw.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QFontDatabase, QGuiApplication, QTextLayout

from desktopchat.ui.appearance import Appearance
from desktopchat.ui.emoji_fonts import (
    COLOUR_EMOJI_FAMILIES,
    PROBES,
    SYMBOL_FAMILIES,
    choose_emoji_families,
    emoji_families,
    font_covers,
)


def test_colour_fonts_come_first_then_symbol_fonts_by_coverage() -> None:
    have = {("dejavu sans", 0x1F600), ("Symbola", 0x1F600), ("Symbola", 0x1F44D),
            ("Noto Color Emoji", 0x1F600)}
    chosen = choose_emoji_families(  # names as the database spells them, in any case
        ["dejavu sans", "Symbola", "Noto Color Emoji", "Liberation Serif"],
        lambda family, code: (family, code) in have)
    assert chosen == ["Noto Color Emoji", "Symbola", "dejavu sans"]
    assert choose_emoji_families(["Liberation Serif"], lambda f, c: True) == []
    # A symbol font without any emoji is no fallback.
    assert choose_emoji_families(["Noto Sans Symbols"], lambda f, c: False) == []


def test_the_choice_for_this_machines_fonts(qapp: Any) -> None:
    installed = QFontDatabase.families()
    chosen = emoji_families()
    assert all(family in installed for family in chosen)
    colour = [f for f in chosen if f in COLOUR_EMOJI_FAMILIES]
    assert chosen[:len(colour)] == colour  # colour emoji before monochrome symbols
    known = [f for f in installed if f.casefold() in
             {n.casefold() for n in COLOUR_EMOJI_FAMILIES + SYMBOL_FAMILIES}]
    for code in PROBES:
        if any(font_covers(f, code) for f in known if f not in colour):
            assert any(font_covers(f, code) for f in chosen), hex(code)
    for family in set(known) - set(chosen):  # left out only when it has no probe emoji
        assert family in COLOUR_EMOJI_FAMILIES or not any(font_covers(family, c) for c in PROBES)


def missing_glyph_characters(text: str) -> set[str]:
    """Characters the application font's layout draws as glyph 0 (the missing-glyph box)."""
    layout = QTextLayout(text, QGuiApplication.font())
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    boxes = set()
    for run in layout.glyphRuns():
        indexes = run.glyphIndexes()
        for glyph, position in zip(indexes, run.stringIndexes(), strict=False):
            if glyph == 0:
                boxes.add(text[position])
    return boxes


def test_emoji_that_an_installed_font_has_are_never_drawn_as_boxes(qapp: Any) -> None:
    Appearance(QObject(), on_system_change=lambda: None).apply("light", 11)
    families = QGuiApplication.font().families()
    assert families[1:] == [f for f in emoji_families() if f != families[0]]
    assert QFontDatabase.applicationEmojiFontFamilies() == emoji_families() or not families[1:]
    sample = "".join(chr(code) for code in PROBES)
    drawable = {chr(code) for code in PROBES
                if any(font_covers(f, code) for f in QFontDatabase.families())}
    assert not (missing_glyph_characters(sample) & drawable)
