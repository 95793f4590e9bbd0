"""Settings problems (settings/validation.py writes English) as the settings dialog shows them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from desktopchat.secrets import SecretStore
from desktopchat.settings import (
    Language,
    Profile,
    SettingsStore,
    first_run_settings,
    validate_profile,
)
from desktopchat.ui.field_errors import WHOLE, field_error
from desktopchat.ui.language import install_translators
from desktopchat.ui.settings_dialog import SettingsDialog

# Profiles that make validation write each of the sentences translated whole.
BAD_PROFILES = [
    Profile(name=""),
    Profile(name="a", url=""),
    Profile(name="a", url="https://api example.com/v1"),
    Profile(name="a", url="https://[::1/v1"),
    Profile(name="a", url="https:///v1"),
    Profile(name="a", url="https://me:pw@api.example.com/v1"),
    Profile(name="a", url="https://api.example.com/v1", model="two\nlines"),
    Profile(name="a", url="https://api.example.com/v1", tools={"not": "a list"}),  # type: ignore[arg-type]
    Profile(name="a", url="https://api.example.com/v1", extra_headers={"Authorization": "x"}),
]


@pytest.fixture
def chinese(qapp: Any) -> Iterator[None]:
    install_translators(Language.CHINESE_SIMPLIFIED)
    yield
    install_translators(Language.ENGLISH)


def test_validation_still_writes_every_sentence_translated_whole() -> None:
    written = {message for profile in BAD_PROFILES
               for message in validate_profile(profile).values()}
    assert {str(source) for source in WHOLE} <= written


def test_english_shows_validations_words(qapp: Any) -> None:
    assert field_error("name", "Give the profile a name.") == "Give the profile a name."
    odd = "X-Api-Key looks like it carries a credential; ..."
    assert field_error("extra_headers", odd) == odd


def test_chinese_translates_known_sentences_and_heads_the_rest(chinese: None) -> None:
    assert field_error("name", "Give the profile a name.") == "请为配置起一个名称。"
    odd = "Tool 0 must have \"type\": \"function\"."
    assert field_error("tools", odd) == "请检查工具（JSON）。\n" + odd
    assert field_error("web_search.mode", "Web search mode must be auto or force.") == (
        "请检查联网搜索设置。\nWeb search mode must be auto or force.")
    assert field_error("unheard_of", "Bad.") == "请检查此设置。\nBad."


def test_the_dialog_shows_a_missing_name_in_chinese(
        qtbot: Any, tmp_path: Path, memory_keyring: Any, chinese: None) -> None:
    dialog = SettingsDialog(first_run_settings(), SettingsStore(tmp_path / "settings.json"),
                            SecretStore(memory_keyring))
    qtbot.addWidget(dialog)
    form = dialog.current_form()
    assert form is not None
    form.name.setText("")
    label = form.findChild(QLabel, "error:name")
    assert label is not None and not label.isHidden()
    assert label.text() == "请为配置起一个名称。"
    assert not dialog.save_button.isEnabled()
