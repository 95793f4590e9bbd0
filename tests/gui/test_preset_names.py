"""Provider presets by name: core's English labels, with the words around a product's name
translated in Chinese."""

from __future__ import annotations

from typing import Any

from desktopchat.core.providers import PRESETS, preset
from desktopchat.settings import Language
from desktopchat.ui.language import install_translators
from desktopchat.ui.preset_names import preset_label


def test_english_names_are_cores_labels(qapp: Any) -> None:
    # The UI's English copies must not drift from core's labels.
    assert [preset_label(info) for info in PRESETS] == [info.label for info in PRESETS]


def test_chinese_translates_the_words_not_the_products(qapp: Any) -> None:
    install_translators(Language.CHINESE_SIMPLIFIED)
    try:
        assert preset_label(preset("ollama")) == "Ollama（本地）"
        assert preset_label(preset("custom")) == "自定义（兼容 OpenAI）"
        assert preset_label(preset("openai")) == "OpenAI"
        assert all(preset_label(info) for info in PRESETS)
    finally:
        install_translators(Language.ENGLISH)
