"""Provider presets by the names the UI shows: core/providers.py labels them in English
("Ollama (local)"); the words around a product's name are translated here, by preset id.
Product names themselves (OpenAI, Bitseek, Ollama) are never translated."""

from __future__ import annotations

from desktopchat.core.providers import Preset
from desktopchat.ui.i18n import translate


def preset_label(info: Preset) -> str:
    if info.id == "custom":
        return translate("PresetNames", "Custom (OpenAI-compatible)")
    if info.id == "ollama":
        return translate("PresetNames", "Ollama (local)")
    if info.id == "lmstudio":
        return translate("PresetNames", "LM Studio (local)")
    if info.id == "llamacpp":
        return translate("PresetNames", "llama.cpp server (local)")
    return info.label  # a product's own name
