"""Web search choices show words in the UI's language and keep the wire's values."""

from __future__ import annotations

from typing import Any

from desktopchat.core.request import FRESHNESS, LANGS, MODES, WebSearchOptions
from desktopchat.secrets import SecretStore
from desktopchat.settings import Language, Profile
from desktopchat.ui.language import install_translators
from desktopchat.ui.settings_profile_form import ProfileForm
from desktopchat.ui.web_search_choices import choice_label


def test_english_shows_the_values_themselves(qapp: Any) -> None:
    for value in (*MODES, *FRESHNESS, *LANGS):
        assert choice_label(value) == value


def test_chinese_words_carry_the_same_values(qtbot: Any, memory_keyring: Any) -> None:
    install_translators(Language.CHINESE_SIMPLIFIED)
    try:
        profile = Profile(name="b", preset="bitseek", web_search=WebSearchOptions(
            enabled=True, mode="force", freshness="month", lang="zh"))
        form = ProfileForm(profile, SecretStore(memory_keyring))
        qtbot.addWidget(form)
        assert form.web_mode.currentText() == "总是搜索"
        assert form.web_freshness.currentText() == "一个月内"
        assert form.web_lang.currentText() == "中文"
        form.web_freshness.setCurrentIndex(form.web_freshness.findText("一天内"))
        chosen = form.profile().web_search
        assert (chosen.mode, chosen.freshness, chosen.lang) == ("force", "day", "zh")
        assert all(choice_label(v) != v for v in (*MODES, *FRESHNESS, *LANGS))
    finally:
        install_translators(Language.ENGLISH)
