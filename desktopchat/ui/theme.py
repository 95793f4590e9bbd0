"""Light and dark colours for the transcript, chosen from the preference or the system scheme.

Widgets use the platform palette; only what we paint ourselves (message cards,
rendered markdown, code highlighting) takes its colours from a Theme, so a theme
is plain data and the markdown renderer stays testable without a window.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktopchat.settings import FONT_SIZE_RANGE


@dataclass(frozen=True, slots=True)
class Theme:
    name: str  # "light" or "dark"; part of every render-cache key
    text: str
    muted: str
    background: str
    user_card: str
    assistant_card: str
    card_border: str
    code_background: str
    code_border: str
    link: str
    error_background: str
    error_text: str
    note_background: str
    highlight: str
    pygments_style: str
    font_size: int = 11

    @property
    def key(self) -> str:
        return f"{self.name}:{self.font_size}"


LIGHT = Theme(
    name="light",
    text="#1f2328",
    muted="#656d76",
    background="#ffffff",
    user_card="#eef3fb",
    assistant_card="#ffffff",
    card_border="#d8dee4",
    code_background="#f6f8fa",
    code_border="#d8dee4",
    link="#0a5bc4",
    error_background="#ffebe9",
    error_text="#82071e",
    note_background="#fff8c5",
    highlight="#fff1a8",
    pygments_style="friendly",
)

DARK = Theme(
    name="dark",
    text="#e6edf3",
    muted="#9aa4ae",
    background="#16191d",
    user_card="#1f2a38",
    assistant_card="#16191d",
    card_border="#30363d",
    code_background="#0d1117",
    code_border="#30363d",
    link="#58a6ff",
    error_background="#3d1619",
    error_text="#ffb4ad",
    note_background="#3a3214",
    highlight="#4a4215",
    pygments_style="github-dark",
)


def theme_named(name: str, *, font_size: int = 11) -> Theme:
    base = DARK if name == "dark" else LIGHT
    from dataclasses import replace

    low, high = FONT_SIZE_RANGE  # the range Preferences allow, so a valid size is never cut
    return replace(base, font_size=max(low, min(int(font_size), high)))


def system_prefers_dark() -> bool:
    """QStyleHints.colorScheme (Qt >= 6.5); falls back to the palette's window lightness."""
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
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    return window.lightness() < 128


def resolve_theme(preference: str, *, font_size: int = 11) -> Theme:
    """`preference` is Preferences.theme: "system", "light" or "dark"."""
    if preference in ("light", "dark"):
        return theme_named(preference, font_size=font_size)
    return theme_named("dark" if system_prefers_dark() else "light", font_size=font_size)


def apply_palette(theme: Theme) -> None:
    """Make the widgets (lists, inputs, menus) agree with the transcript's colours."""
    from PySide6.QtGui import QColor, QGuiApplication, QPalette

    app = QGuiApplication.instance()
    if app is None:
        return
    palette = QPalette()
    if theme.name == "dark":
        base = QColor("#1c2128")
        window = QColor("#22272e")
        text = QColor(theme.text)
        palette.setColor(QPalette.ColorRole.Window, window)
        palette.setColor(QPalette.ColorRole.WindowText, text)
        palette.setColor(QPalette.ColorRole.Base, base)
        palette.setColor(QPalette.ColorRole.AlternateBase, window)
        palette.setColor(QPalette.ColorRole.Text, text)
        palette.setColor(QPalette.ColorRole.Button, window)
        palette.setColor(QPalette.ColorRole.ButtonText, text)
        palette.setColor(QPalette.ColorRole.ToolTipBase, base)
        palette.setColor(QPalette.ColorRole.ToolTipText, text)
        palette.setColor(QPalette.ColorRole.PlaceholderText, QColor(theme.muted))
        palette.setColor(QPalette.ColorRole.Highlight, QColor("#2f6feb"))
        palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
        palette.setColor(QPalette.ColorRole.Link, QColor(theme.link))
        for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText,
                     QPalette.ColorRole.WindowText):
            palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6e7681"))
    else:
        from PySide6.QtWidgets import QApplication

        style = QApplication.style()
        palette = style.standardPalette() if style is not None else QPalette()
        palette.setColor(QPalette.ColorRole.Link, QColor(theme.link))
    QGuiApplication.setPalette(palette)
