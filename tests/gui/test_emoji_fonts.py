"""Issue 17, fonts: emoji are drawn by an installed emoji or symbol font wherever one has them.

Asked of this machine's real font database (whatever it has installed): the chosen families
exist, colour fonts come first, every probe emoji that some listed font has is covered by the
choice, and text laid out in the application font draws no missing-glyph box for an emoji
that any installed font can draw.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject
from PySide6.QtGui import QFontDatabase, QFontInfo, QGuiApplication, QTextLayout
from PySide6.QtWidgets import QLabel

from desktopchat.ui.appearance import Appearance
from desktopchat.ui.emoji_fonts import (
    BUNDLED_FAMILY,
    COLOUR_EMOJI_FAMILIES,
    PROBES,
    SYMBOL_FAMILIES,
    choose_emoji_families,
    emoji_families,
    font_covers,
)
from tests.support.cli_process import REPO, cli_env


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


NO_EMOJI_FONTS = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont>{patterns}</rejectfont></selectfont>
</fontconfig>
"""


def probe(env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run([sys.executable, str(REPO / "tests/support/emoji_probe.py")],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_without_an_emoji_font_the_shipped_noto_emoji_draws_them(tmp_path: Path) -> None:
    """This machine's emoji fonts hidden (fontconfig): no emoji is an empty box."""
    hidden = "".join(f'<pattern><patelt name="family"><string>{family}</string></patelt>'
                     f"</pattern>" for family in (*COLOUR_EMOJI_FAMILIES, BUNDLED_FAMILY,
                                                  "Symbola"))
    config = tmp_path / "fonts.conf"
    config.write_text(NO_EMOJI_FONTS.format(patterns=hidden))
    shown = probe(cli_env(FONTCONFIG_FILE=str(config), QT_QPA_PLATFORM="offscreen"))
    assert BUNDLED_FAMILY in shown["families"]
    for code, glyphs in shown["emoji"].items():
        assert all(glyph != 0 for _family, glyph in glyphs), (code, glyphs)
    for code in (0x1F44D, 0x1F680, 0x2705):  # 👍 🚀 ✅: the UI font (DejaVu) has none
        assert shown["emoji"][hex(code)][0][0] == BUNDLED_FAMILY
    # Digits and spaces stay in the UI font's own shapes, next to an emoji font.
    assert {family for family, _glyph in shown["digits"]} == {shown["families"][0]}


def test_a_colour_emoji_font_draws_them_in_colour_and_leaves_digits_alone(qapp: Any) -> None:
    if "Noto Color Emoji" not in QFontDatabase.families():
        pytest.skip("no colour emoji font (Debian: apt-get install fonts-noto-color-emoji)")
    Appearance(QObject(), on_system_change=lambda: None).apply("light", 11)
    assert QGuiApplication.font().families()[1] == "Noto Color Emoji"
    assert BUNDLED_FAMILY not in QFontDatabase.families()  # not loaded where not needed
    label = QLabel("😀🚀")
    label.setFont(QGuiApplication.font())
    label.adjustSize()
    image = label.grab().toImage()
    colours = [image.pixelColor(x, y) for x in range(image.width())
               for y in range(image.height())]
    assert any(c.hsvSaturation() > 120 and c.value() > 120 for c in colours)  # yellow, red
    # "gpt-4o": a colour emoji font has digits too (for keycaps); the UI font draws them.
    layout = QTextLayout("gpt-4o 12:30", QGuiApplication.font())
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    assert {run.rawFont().familyName() for run in layout.glyphRuns()} == {
        QFontInfo(QGuiApplication.font()).family()}
