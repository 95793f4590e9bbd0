"""The theme, palette, control style and font of the whole application, kept up to date.

One object per window (built in MainWindow) applies Preferences.theme and font_size to every
widget: the transcript through the Theme, the rest through the application's QPalette, a
ContrastStyle for checkboxes, and the application font (so the sidebar, the composer, menus
and dialogs follow the font size, live). With the "system" theme it follows the OS colour
scheme as it changes (QStyleHints.colorSchemeChanged); where the platform reports no scheme,
the lightness of the platform's own palette decides, read once before we replace it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QFont, QFontInfo, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from desktopchat.ui.contrast_style import ContrastStyle
from desktopchat.ui.emoji_fonts import emoji_families, install_emoji_families
from desktopchat.ui.theme import Theme, resolve_theme

Role = QPalette.ColorRole
Group = QPalette.ColorGroup
PLATFORM_LIGHTNESS = "desktopchatPlatformWindowLightness"  # an application property


def palette_for(theme: Theme) -> QPalette:
    """The widgets' colours for a theme (every text role against its background checked)."""
    palette = QPalette()
    roles = {
        Role.Window: theme.window, Role.WindowText: theme.text, Role.Base: theme.base,
        Role.AlternateBase: theme.window, Role.Text: theme.text, Role.Button: theme.window,
        Role.ButtonText: theme.text, Role.BrightText: theme.error_label,
        Role.ToolTipBase: theme.base, Role.ToolTipText: theme.text,
        Role.PlaceholderText: theme.muted, Role.Highlight: theme.selection_background,
        Role.HighlightedText: theme.selection_text, Role.Link: theme.link,
        Role.LinkVisited: theme.link, Role.Accent: theme.accent,  # a checked box's fill
        # Mid outlines checkboxes (ContrastStyle); 3:1 against Window and Base.
        Role.Light: theme.base, Role.Midlight: theme.card_border, Role.Mid: theme.control_border,
        Role.Dark: theme.control_border, Role.Shadow: theme.control_border,
    }
    for role, color in roles.items():
        palette.setColor(role, QColor(color))
    for role in (Role.Text, Role.ButtonText, Role.WindowText, Role.PlaceholderText):
        palette.setColor(Group.Disabled, role, QColor(theme.disabled_text))
    palette.setColor(Group.Disabled, Role.Highlight, QColor(theme.control_border))
    return palette


def show_as_error(widget: QWidget) -> None:
    """Error text in forms: the theme's error colour (BrightText), which follows theme changes."""
    widget.setForegroundRole(Role.BrightText)


class Appearance(QObject):
    """Owned by the window, so the OS's scheme signal stops reaching it with the window."""

    def __init__(self, parent: QObject, on_system_change: Callable[[], None]) -> None:
        super().__init__(parent)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self.app = app
        if app.property(PLATFORM_LIGHTNESS) is None:  # before any window replaced the palette
            lightness = QGuiApplication.palette().color(Role.Window).lightness()
            app.setProperty(PLATFORM_LIGHTNESS, lightness)
        self.preference = "system"
        self.theme: Theme | None = None
        self._on_system_change = on_system_change
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._scheme_changed)

    def apply(self, preference: str, font_size: int) -> Theme:
        """Resolve and apply; returns the Theme for the transcript."""
        self.preference = preference
        lightness = self.app.property(PLATFORM_LIGHTNESS)
        theme = resolve_theme(preference, font_size=font_size,
                              platform_window_lightness=int(lightness))
        if theme == self.theme:
            return theme
        self.theme = theme
        if not isinstance(self.app.style(), ContrastStyle):
            self.app.setStyle(ContrastStyle(None))  # wraps the platform's default style
        QGuiApplication.setPalette(palette_for(theme))
        families = emoji_families()
        install_emoji_families(families)
        self.app.setFont(app_font(self.app.font(), theme.font_size, families))
        return theme

    def _scheme_changed(self, _scheme: object) -> None:
        if self.preference == "system":
            self._on_system_change()


def app_font(current: QFont, point_size: int, emoji: list[str]) -> QFont:
    """The application font at the chosen size, with emoji fonts to fall back on."""
    font = QFont(current)
    # The family the platform resolved, not its alias: after an alias such as "Sans Serif"
    # Qt took digits, "#" and spaces from the next family in the list, and colour emoji
    # fonts have those (for keycaps): "gpt-4o" was drawn with an emoji "4".
    family = QFontInfo(current).family()
    font.setFamilies([family, *[f for f in emoji if f != family]])
    font.setPointSize(point_size)
    return font
