"""Issue 17: one icon set (bundled Lucide SVGs with their licence), crisp at 1x, 1.5x and 2x,
tinted by the theme, used in the window's chrome as well as on the messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import QPushButton

from desktopchat.paths import resource
from desktopchat.ui.icons import IconName, IconSet
from desktopchat.ui.theme import theme_named

ROOT = Path(__file__).resolve().parents[2]


def test_every_icon_is_bundled_with_its_licence() -> None:
    for name in IconName:
        source = resource("icons", "ui", f"{name.value}.svg").read_text()
        assert "currentColor" in source and "<svg" in source
    licence = resource("icons", "ui", "LICENSE").read_text()
    assert "ISC License" in licence and "Lucide" in licence
    # The bundle carries resources/ whole (icons/ui with it).
    spec = (ROOT / "packaging" / "desktopchat.spec").read_text()
    assert '(str(buildinfo.RESOURCES_DIR), "resources")' in spec


def tinted_pixels(icon: QIcon, scale: float, color: str) -> tuple[QSize, int, float]:
    """Device size of a 16 px icon at `scale`, how many pixels carry the colour, max alpha."""
    pixmap = icon.pixmap(QSize(16, 16), scale)
    image = pixmap.toImage()
    wanted = QColor(color)
    hits, alpha = 0, 0.0
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            if pixel.alpha() > 0:
                alpha = max(alpha, pixel.alphaF())
                if (pixel.red(), pixel.green(), pixel.blue()) == (
                        wanted.red(), wanted.green(), wanted.blue()):
                    hits += 1
    return pixmap.size(), hits, alpha


@pytest.mark.parametrize("scale", [1.0, 1.5, 2.0])
def test_icons_are_drawn_at_device_pixels_in_the_theme_colour(qtbot: Any, scale: float) -> None:
    icons = IconSet()
    color = theme_named("dark").text
    size, hits, alpha = tinted_pixels(icons.icon(IconName.COPY, color), scale, color)
    assert size == QSize(round(16 * scale), round(16 * scale))  # drawn, not scaled up
    assert hits > 8 * scale and alpha == 1.0
    faint = icons.icon(IconName.COPY, color).pixmap(QSize(16, 16), scale, QIcon.Mode.Disabled)
    image = faint.toImage()
    most = max(image.pixelColor(x, y).alphaF()
               for y in range(image.height()) for x in range(image.width()))
    assert 0 < most < 0.6  # a disabled icon is the same shape, faint


def test_the_window_chrome_uses_the_icons_and_follows_the_theme(chat_window: Any) -> None:
    window = chat_window
    chrome = window.window_icons
    toolbar_actions = window.toolbar.actions()
    assert window.sidebar_action in toolbar_actions and chrome.settings in toolbar_actions
    assert chrome.settings.toolTip() and chrome.sidebar.toolTip()
    new_chat = window.history_panel.findChild(QPushButton, "newChatButton")
    widgets = [new_chat, window.composer.attach_button, window.composer.button]
    for icon in [chrome.sidebar.icon(), chrome.settings.icon()] + [w.icon() for w in widgets]:
        assert not icon.isNull()
    send = window.composer.button.icon().cacheKey()
    window.composer.set_streaming(True)
    assert window.composer.button.icon().cacheKey() != send  # Stop has its own icon
    window.composer.set_streaming(False)
    before = chrome.settings.icon().cacheKey()
    chrome.apply(theme_named("dark" if chrome.theme.name == "light" else "light"))
    assert chrome.settings.icon().cacheKey() != before  # re-tinted for the new theme
