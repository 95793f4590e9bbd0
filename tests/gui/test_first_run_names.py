"""The first run's built-in profiles are named in the interface's language: in Chinese
"Ollama（本地）", not core's English "Ollama (local)"; product names stay as they are."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from desktopchat.settings import Language, first_run_settings
from desktopchat.ui.first_run import named_in_language
from desktopchat.ui.language import install_translators


@pytest.fixture
def chinese(qapp: Any) -> Iterator[None]:
    install_translators(Language.CHINESE_SIMPLIFIED)
    yield
    install_translators(Language.ENGLISH)


def test_chinese_names_the_local_profiles_in_chinese(chinese: None) -> None:
    english = first_run_settings()
    english.preferences.active_profile = "Ollama (local)"
    named = named_in_language(english)
    names = [p.name for p in named.profiles]
    assert "Ollama（本地）" in names and "LM Studio（本地）" in names
    assert not any("(local)" in name for name in names)
    assert "OpenAI" in names and "Bitseek" in names  # product names as they are
    assert [p.preset for p in named.profiles] == [p.preset for p in english.profiles]
    assert named.preferences.active_profile == "Ollama（本地）"
    assert named.active_profile() is not None
    assert "Ollama (local)" in [p.name for p in english.profiles]


def test_english_keeps_the_names(qapp: Any) -> None:
    settings = first_run_settings()
    assert named_in_language(settings) == settings
