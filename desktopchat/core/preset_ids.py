"""The ids of the built-in provider presets: the values settings.json stores as `preset`.

In the order of providers.PRESETS, which test_settings_profile holds them to."""

from __future__ import annotations

from enum import StrEnum


class PresetId(StrEnum):
    BITSEEK = "bitseek"
    ZEEBEEAI = "zeebeeai"
    TOKENHUB = "tokenhub"
    N1N = "n1n"
    OPENAI = "openai"
    OLLAMA = "ollama"
    LMSTUDIO = "lmstudio"
    LLAMACPP = "llamacpp"
    CUSTOM = "custom"  # any OpenAI-compatible endpoint; also what an unknown id reads as
