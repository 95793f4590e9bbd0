"""Light and dark colours for the whole window, chosen from the preference or the system scheme.

A Theme is plain data: what we paint ourselves (message cards, rendered markdown, code
highlighting) reads it directly, and the widgets (sidebar, composer, dialogs, menus) get it
through the QPalette built by `palette_for`. Every pair of colours drawn on each other meets
WCAG AA (tests/gui/test_theme_contrast.py lists the pairs); the appearance module applies it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from desktopchat.settings import FONT_SIZE_RANGE


@dataclass(frozen=True, slots=True)
class Theme:
    name: str  # "light" or "dark"; part of every render-cache key
    text: str
    muted: str  # secondary text: footers, dates, hints (still 4.5:1)
    background: str  # the transcript
    window: str  # toolbar, sidebar frame, dialogs
    base: str  # inputs and lists: the sidebar's rows, the composer
    user_card: str
    assistant_card: str
    card_border: str
    code_background: str
    code_border: str
    link: str
    error_background: str
    error_text: str
    error_label: str  # error text straight on window/base (forms, settings)
    note_background: str
    highlight: str  # a search hit's card, briefly
    selection_background: str
    selection_text: str
    accent: str  # a checked box (its mark is selection_text)
    control_border: str  # checkbox and radio outlines: 3:1 against window and base
    disabled_text: str
    pygments_style: str
    font_size: int = 11

    @property
    def key(self) -> str:
        return f"{self.name}:{self.font_size}"


LIGHT = Theme(
    name="light",
    text="#1f2328",
    muted="#59636e",
    background="#ffffff",
    window="#f6f8fa",
    base="#ffffff",
    user_card="#eef3fb",
    assistant_card="#ffffff",
    card_border="#d1d9e0",
    code_background="#f6f8fa",
    code_border="#d1d9e0",
    link="#0a5bc4",
    error_background="#ffebe9",
    error_text="#82071e",
    error_label="#b42318",
    note_background="#fff8c5",
    highlight="#fff5b0",
    selection_background="#0969da",
    selection_text="#ffffff",
    accent="#0969da",
    control_border="#6e7781",
    disabled_text="#656d76",
    pygments_style="xcode",  # "friendly" had comments at 2.8:1 on the code background
)

DARK = Theme(
    name="dark",
    text="#e6edf3",
    muted="#9198a1",
    background="#16191d",
    window="#22272e",
    base="#1c2128",
    user_card="#1f2a38",
    assistant_card="#16191d",
    card_border="#3d444d",
    code_background="#0d1117",
    code_border="#3d444d",
    link="#58a6ff",
    error_background="#3d1619",
    error_text="#ffb4ad",
    error_label="#ff7b72",
    note_background="#2e2911",
    highlight="#29250d",
    selection_background="#1f6feb",
    selection_text="#ffffff",
    accent="#2f81f7",
    control_border="#8b949e",
    disabled_text="#8b949e",
    pygments_style="github-dark",
)


def theme_named(name: str, *, font_size: int = 11) -> Theme:
    base = DARK if name == "dark" else LIGHT
    low, high = FONT_SIZE_RANGE  # the range Preferences allow, so a valid size is never cut
    return replace(base, font_size=max(low, min(int(font_size), high)))


def system_prefers_dark(platform_window_lightness: int | None = None) -> bool:
    """QStyleHints.colorScheme (Qt >= 6.5); where the platform does not say (Unknown), the
    lightness of the platform's own window colour (`platform_window_lightness`, taken before
    we replaced the palette; the current palette's when not given)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QPalette

    app = QGuiApplication.instance()
    if app is None:
        return False
    scheme = QGuiApplication.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    if platform_window_lightness is None:
        platform_window_lightness = (
            QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness())
    return platform_window_lightness < 128


def resolve_theme(preference: str, *, font_size: int = 11,
                  platform_window_lightness: int | None = None) -> Theme:
    """`preference` is Preferences.theme: "system", "light" or "dark"."""
    if preference in ("light", "dark"):
        return theme_named(preference, font_size=font_size)
    dark = system_prefers_dark(platform_window_lightness)
    return theme_named("dark" if dark else "light", font_size=font_size)
