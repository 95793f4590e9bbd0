"""The UI language: the system's or the user's choice, Qt's translators, Chinese menus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from desktopchat.app import App, build
from desktopchat.paths import app_paths
from desktopchat.secrets import SecretStore
from desktopchat.settings import Language, Preferences, Settings, SettingsStore
from desktopchat.ui.i18n import translate
from desktopchat.ui.language import install_translators, system_language
from desktopchat.ui.settings_preferences import PreferencesForm


@pytest.fixture
def back_to_english(qapp: Any) -> Iterator[None]:
    yield
    install_translators(Language.ENGLISH)


@pytest.mark.parametrize(("ui_languages", "expected"), [
    (["zh-CN"], Language.CHINESE_SIMPLIFIED),
    (["zh-Hans-CN", "en-US"], Language.CHINESE_SIMPLIFIED),
    (["zh_SG"], Language.CHINESE_SIMPLIFIED),
    (["fr-FR", "zh-CN"], Language.CHINESE_SIMPLIFIED),  # the first language we have wins
    (["en-GB", "zh-CN"], Language.ENGLISH),
    (["zh-TW"], Language.ENGLISH),  # Traditional script: not Simplified Chinese
    (["zh-Hant-HK", "de"], Language.ENGLISH),
    (["de-DE"], Language.ENGLISH),
    ([], Language.ENGLISH),
])
def test_system_language_picks_the_first_language_we_have(ui_languages, expected) -> None:
    assert system_language(ui_languages) == expected


def test_tests_run_in_english_whatever_the_desktop(qapp: Any) -> None:
    assert system_language() == Language.ENGLISH
    assert install_translators(Language.SYSTEM) == Language.ENGLISH
    assert translate("WindowMenus", "New chat") == "New chat"


def test_chinese_translates_ours_and_qts_own_buttons(qapp, back_to_english) -> None:
    assert install_translators(Language.CHINESE_SIMPLIFIED) == Language.CHINESE_SIMPLIFIED
    assert translate("WindowMenus", "New chat") == "新对话"
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"
    install_translators(Language.ENGLISH)  # replaces ours instead of stacking on them
    assert translate("WindowMenus", "New chat") == "New chat"
    again = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert again.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancel"


def test_preferences_offer_the_languages_by_their_own_names(qtbot) -> None:
    form = PreferencesForm(Preferences(language=Language.CHINESE_SIMPLIFIED))
    qtbot.addWidget(form)
    names = [form.language.itemText(i) for i in range(form.language.count())]
    assert names == ["System", "English", "简体中文"]
    assert form.preferences().language == Language.CHINESE_SIMPLIFIED
    form.language.setCurrentIndex(1)
    assert form.preferences().language == Language.ENGLISH
    assert "next starts" in form.language_note.text()


def start_in(language: Language, basedir: Path, qtbot: Any, memory_keyring: Any) -> App:
    paths = app_paths(basedir).ensure()
    SettingsStore(paths.settings_file).save(
        Settings(preferences=Preferences(language=language)))
    built = build(paths, secrets=SecretStore(memory_keyring))
    qtbot.addWidget(built.window)
    built.window.show()
    qtbot.waitExposed(built.window)
    return built


def test_window_chosen_in_chinese_shows_chinese_menus(
        qtbot, qasync_loop, tmp_path, memory_keyring, back_to_english) -> None:
    built = start_in(Language.CHINESE_SIMPLIFIED, tmp_path, qtbot, memory_keyring)
    menus = [a.text() for a in built.window.menuBar().actions()]
    assert menus[:3] == ["文件(&F)", "对话(&C)", "视图(&V)"]
    assert menus[-1] == "帮助(&H)"
    file_menu = built.window.menuBar().actions()[0].menu()
    assert "新对话" in [a.text() for a in file_menu.actions()]
    built.store.close()


def test_window_with_the_system_language_on_an_english_desktop_is_english(
        qtbot, qasync_loop, tmp_path, memory_keyring) -> None:
    built = start_in(Language.SYSTEM, tmp_path, qtbot, memory_keyring)
    menus = [a.text() for a in built.window.menuBar().actions()]
    assert menus[:3] == ["&File", "&Chat", "&View"]
    built.store.close()
