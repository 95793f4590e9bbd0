"""Issue 17, the chat toolbar: at 1100 px and narrower every control stays on screen (the
toolbar says less, in steps: toolbar_fit), in English and Chinese; the web search options
button shows one arrow; its options are disabled, with the reason, where web search is not."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QToolButton, QWidget

from desktopchat.settings import Language
from desktopchat.ui.language import install_translators
from desktopchat.ui.toolbar_fit import LEVELS
from tests.support.layout_checks import clipped_texts
from tests.support.qt_loop import ChatEnv


@pytest.fixture(params=[Language.ENGLISH, Language.CHINESE_SIMPLIFIED])
def any_language_window(request: Any, chat_env: ChatEnv, qtbot: Any) -> Iterator[Any]:
    """The real window, built after the language's translators are installed."""
    from desktopchat.app import wire
    from desktopchat.settings import LoadResult, WindowStateStore

    install_translators(request.param)
    try:
        window = wire(chat_env.store, chat_env.settings_store, LoadResult(chat_env.settings),
                      WindowStateStore(chat_env.tmp_path / "window.json"),
                      secrets=chat_env.secrets).window
        qtbot.addWidget(window)
        window.show()
        yield window
        window._close_confirmed = True
    finally:
        install_translators(Language.ENGLISH)


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def controls(window: Any) -> list[QWidget]:
    bar = window.toolbar
    settings = bar.widgetForAction(window.window_icons.settings)
    return [bar.profile_combo, bar.model_combo, bar.refresh_models, bar.temperature,
            bar.web_button, bar.web_options, bar.default_button, settings]


def overflow_button(window: Any) -> QToolButton:
    (button,) = [b for b in window.toolbar.findChildren(QToolButton, "qt_toolbar_ext_button")]
    return button


def on_screen(window: Any, widget: QWidget) -> bool:
    return widget.isVisible() and window.toolbar.rect().contains(widget.geometry())


def test_every_control_stays_on_screen_down_to_800_px(any_language_window: Any) -> None:
    window = any_language_window
    bar = window.toolbar
    for width in (1400, 1100, 1000, 800):
        window.resize(width, 720)
        settle()
        assert all(on_screen(window, w) for w in controls(window)), (width, bar.fit.level)
        assert not overflow_button(window).isVisible(), width
        assert clipped_texts(bar) == [], width
    window.resize(1100, 720)
    settle()
    assert bar.fit.level <= 1  # 1100 px still spells out the labels
    assert bar.profile_label.isVisible() and bar.web_label.isVisible()
    assert on_screen(window, bar.web_label)
    window.resize(1400, 720)
    settle()
    assert bar.fit.level == 0
    assert bar.default_button.text() and on_screen(window, bar.default_button)


def test_at_the_minimum_width_the_rest_waits_in_the_overflow_menu(
        any_language_window: Any) -> None:
    window = any_language_window
    bar = window.toolbar
    window.resize(window.minimumSizeHint().width(), 720)
    settle()
    assert bar.fit.level == LEVELS - 1  # said as briefly as it can be first
    assert not bar.web_label.isVisible()
    assert bar.web_button.accessibleDescription() == bar.web_label.text()
    hidden = [w for w in controls(window) if not on_screen(window, w)]
    assert hidden and overflow_button(window).isVisible()
    assert on_screen(window, bar.profile_combo)
    window.resize(1100, 720)  # wider again: everything back in the bar, spelled out
    settle()
    assert bar.fit.level <= 1, bar.fit.level
    assert all(on_screen(window, w) for w in controls(window))


def test_the_web_search_options_button_shows_one_arrow(chat_window: Any) -> None:
    button = chat_window.toolbar.web_options
    # The style draws the menu arrow; the button itself has only its icon (no "▾" text).
    assert button.text() == "" and not button.icon().isNull()
    assert button.popupMode() == QToolButton.ToolButtonPopupMode.InstantPopup
    assert button.toolTip()


def test_web_search_options_are_disabled_with_the_reason_where_it_is_unavailable(
        chat_window: Any, chat_env: ChatEnv) -> None:
    bar = chat_window.toolbar
    options = (bar.web_mode, bar.web_results, bar.web_freshness, bar.web_lang)
    assert bar.web_label.text() == "Web search: unavailable"  # the openai preset has none
    for widget in options:
        assert not widget.isEnabled()
        assert widget.toolTip() == "This endpoint does not support web search"
    assert not bar.web_options.isEnabled() and "does not support" in bar.web_options.toolTip()
    bitseek = dataclasses.replace(chat_env.profile, name="bs", preset="bitseek")
    chat_window.apply_settings(dataclasses.replace(
        chat_env.settings, profiles=[chat_env.profile, bitseek],
        preferences=dataclasses.replace(chat_env.settings.preferences, active_profile="bs")))
    assert bar.web_options.isEnabled() and bar.web_options.toolTip() == "Web search options"
    for widget in options:
        assert widget.isEnabled() and widget.toolTip() == ""
