"""Issue 17, themes: the theme, checkbox outlines and font size reach every widget, live,
and the "system" theme follows the OS colour scheme as it changes."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QCheckBox, QMenu, QStyle, QStyleOptionButton, QWidget

from desktopchat.ui.appearance import PLATFORM_LIGHTNESS, Appearance
from desktopchat.ui.settings_dialog import SettingsDialog
from desktopchat.ui.theme import DARK, LIGHT, resolve_theme, system_prefers_dark
from tests.gui.test_theme_contrast import contrast


def with_preferences(settings: Any, **changes: Any) -> Any:
    return dataclasses.replace(
        settings, preferences=dataclasses.replace(settings.preferences, **changes))


def indicator_colours(box: QCheckBox) -> set[str]:
    """The colours painted inside the checkbox's indicator square."""
    option = QStyleOptionButton()
    box.initStyleOption(option)
    rect = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
    image = box.grab().toImage()
    ratio = image.devicePixelRatio()
    return {image.pixelColor(int(x * ratio), int(y * ratio)).name()
            for x in range(rect.left(), rect.right() + 1)
            for y in range(rect.top(), rect.bottom() + 1)}


def test_dark_checkboxes_have_an_outline_of_3_to_1_against_the_window(qtbot: Any) -> None:
    owner = QObject()
    Appearance(owner, on_system_change=lambda: None).apply("dark", 11)
    page = QWidget()
    qtbot.addWidget(page)
    page.setAutoFillBackground(True)
    box = QCheckBox("Enter sends", page)
    box.adjustSize()
    page.resize(200, 40)
    page.show()
    window = page.palette().color(QPalette.ColorRole.Window).name()
    assert window == DARK.window
    best = max(contrast(c, window) for c in indicator_colours(box))
    assert best >= 3.0, f"the unchecked box's outline is {best:.2f}:1 against {window}"
    box.setChecked(True)
    checked = indicator_colours(box)
    assert DARK.accent in checked  # filled with the accent (4:1 on the window) ...
    assert any(contrast(c, DARK.accent) >= 3.0 for c in checked)  # ... with a visible mark


def test_the_font_size_applies_to_the_sidebar_composer_menus_and_dialogs_live(
        chat_window: Any, qtbot: Any) -> None:
    chat_window.apply_settings(with_preferences(chat_window.settings, font_size=17))
    QApplication.processEvents()  # Qt posts the font change to every widget
    widgets = [chat_window.history_panel, chat_window.history_panel.findChild(QWidget),
               chat_window.composer.editor, chat_window.toolbar, chat_window.statusBar()]
    menus = chat_window.menuBar().findChildren(QMenu)
    assert menus
    for widget in [*widgets, *menus, chat_window.menuBar()]:
        assert widget.font().pointSize() == 17, widget
    dialog = SettingsDialog(chat_window.settings, chat_window.settings_store,
                            chat_window.secrets, chat_window)
    qtbot.addWidget(dialog)
    assert dialog.font().pointSize() == 17
    assert chat_window.chat_view.theme.font_size == 17
    chat_window.apply_settings(with_preferences(chat_window.settings, font_size=9))
    QApplication.processEvents()
    assert chat_window.composer.editor.font().pointSize() == 9
    assert dialog.font().pointSize() == 9  # an open dialog follows too


def test_the_theme_colours_the_widgets_and_changes_live(chat_window: Any) -> None:
    chat_window.apply_settings(with_preferences(chat_window.settings, theme="dark"))
    QApplication.processEvents()  # Qt posts the palette change to every widget
    editor = chat_window.composer.editor
    assert editor.palette().color(QPalette.ColorRole.Base).name() == DARK.base
    assert chat_window.chat_view.theme.name == "dark"
    chat_window.apply_settings(with_preferences(chat_window.settings, theme="light"))
    QApplication.processEvents()
    assert editor.palette().color(QPalette.ColorRole.Base).name() == LIGHT.base
    assert chat_window.chat_view.theme.name == "light"


def test_the_system_theme_follows_the_os_scheme_when_it_changes(chat_window: Any) -> None:
    # The offscreen platform reports no colour scheme (Unknown), so the platform palette's
    # lightness decides; the OS switching to dark emits colorSchemeChanged.
    app = QApplication.instance()
    assert QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Unknown
    saved = app.property(PLATFORM_LIGHTNESS)
    try:
        app.setProperty(PLATFORM_LIGHTNESS, 240)
        chat_window.apply_settings(with_preferences(chat_window.settings, theme="system"))
        assert chat_window.chat_view.theme.name == "light"
        app.setProperty(PLATFORM_LIGHTNESS, 30)
        QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        assert chat_window.chat_view.theme.name == "dark"
        assert QGuiApplication.palette().color(QPalette.ColorRole.Base) == QColor(DARK.base)
        # A fixed choice ignores the OS.
        chat_window.apply_settings(with_preferences(chat_window.settings, theme="light"))
        QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        assert chat_window.chat_view.theme.name == "light"
    finally:
        app.setProperty(PLATFORM_LIGHTNESS, saved)


def test_without_a_reported_scheme_the_platform_palettes_lightness_decides(qapp: Any) -> None:
    assert system_prefers_dark(20) and not system_prefers_dark(230)
    assert resolve_theme("system", platform_window_lightness=20).name == "dark"
    assert resolve_theme("system", platform_window_lightness=230).name == "light"
    assert resolve_theme("dark", platform_window_lightness=230).name == "dark"
