"""Which installed fonts draw emoji: colour ones first, then monochrome symbol fonts.

Qt picks a font per character; where the UI font lacks an emoji, it asks the platform for a
fallback, which may choose a font without it (an empty box, issue 17) or a monochrome glyph
where a colour one is installed. So the app names its emoji fonts: Qt's emoji segmenter uses
QFontDatabase.setApplicationEmojiFontFamilies for emoji sequences, and the application font
lists the same families after its own (QFont.setFamilies), for text QTextDocuments lay out.

With a colour emoji font (Noto Color Emoji, Apple Color Emoji, Segoe UI Emoji, Twemoji...)
emoji are drawn in colour. Without one, a monochrome font that has the common emoji (Noto
Emoji, Symbola, Segoe UI Symbol, Noto Sans Symbols 2, DejaVu Sans...) draws them as symbols.
With neither, the app loads the Noto Emoji it ships (resources/fonts, OFL, ~1.9 MB) and
draws emoji with it, in the text's colour, instead of empty boxes: what a polished app does
(Telegram and Signal ship their emoji too), at a small cost only where it is needed. A
character no font has at all is still drawn as the missing-glyph box; its text is kept,
copied and exported unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from desktopchat.paths import resource

COLOUR_EMOJI_FAMILIES = ("Noto Color Emoji", "Apple Color Emoji", "Segoe UI Emoji",
                         "Twemoji", "Twitter Color Emoji", "JoyPixels", "EmojiOne Color")
SYMBOL_FAMILIES = ("Noto Emoji", "Symbola", "Segoe UI Symbol", "Noto Sans Symbols 2",
                   "Noto Sans Symbols", "DejaVu Sans")
# Common emoji from several Unicode blocks: smileys, hands, hearts, marks, transport.
PROBES = (0x1F600, 0x1F44D, 0x2764, 0x2705, 0x1F680, 0x263A, 0x2714)
BUNDLED_FAMILY = "Noto Emoji"
BUNDLED_FILE = ("fonts", "NotoEmoji.ttf")


def needs_bundled_font(installed: Iterable[str]) -> bool:
    """No colour emoji font and no Noto Emoji yet (installed, or loaded by an earlier call)."""
    names = {name.casefold() for name in installed}
    return not any(f.casefold() in names for f in (*COLOUR_EMOJI_FAMILIES, BUNDLED_FAMILY))


def load_bundled_font() -> bool:
    """Load the shipped Noto Emoji where the system has no colour emoji font; True if it did."""
    from PySide6.QtGui import QFontDatabase

    if not needs_bundled_font(QFontDatabase.families()):
        return False
    return QFontDatabase.addApplicationFont(str(resource(*BUNDLED_FILE))) >= 0


def choose_emoji_families(installed: Iterable[str],
                          covers: Callable[[str, int], bool]) -> list[str]:
    """Installed colour emoji fonts in preference order, then the symbol fonts that have at
    least one probe emoji, most probes first. `covers(family, codepoint)` asks the font."""
    by_key = {name.casefold(): name for name in installed}
    colour = [by_key[f.casefold()] for f in COLOUR_EMOJI_FAMILIES if f.casefold() in by_key]
    symbols = []
    for wanted in SYMBOL_FAMILIES:
        name = by_key.get(wanted.casefold())
        if name is None:
            continue
        count = sum(1 for code in PROBES if covers(name, code))
        if count:
            symbols.append((count, name))
    symbols.sort(key=lambda pair: -pair[0])  # stable: ties keep the list's order
    return colour + [name for _count, name in symbols]


def font_covers(family: str, codepoint: int) -> bool:
    from PySide6.QtGui import QFont, QFontMetrics

    return QFontMetrics(QFont(family)).inFontUcs4(codepoint)


def emoji_families() -> list[str]:
    """The choice for the fonts this machine has (QFontDatabase), the shipped one included."""
    from PySide6.QtGui import QFontDatabase

    load_bundled_font()
    return choose_emoji_families(QFontDatabase.families(), font_covers)


def install_emoji_families(families: list[str]) -> None:
    """Tell Qt's emoji segmenter which fonts to use for emoji sequences."""
    from PySide6.QtGui import QFontDatabase

    if families and QFontDatabase.applicationEmojiFontFamilies() != families:
        QFontDatabase.setApplicationEmojiFontFamilies(families)
