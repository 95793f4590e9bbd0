"""The web search options' choices (mode, freshness, language) in the UI's language.

Each combo item shows a translated word and carries the value sent on the wire
(core/request.py's MODES, FRESHNESS, LANGS): read it with `chosen`, set it with `choose`.
In English the words are the values themselves.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QComboBox

from desktopchat.ui.i18n import translate


def choice_label(value: str) -> str:
    """The word shown for one option value (the value itself when it is not one we know)."""
    words = {
        "auto": translate("WebSearchChoices", "auto"),
        "force": translate("WebSearchChoices", "force"),
        "day": translate("WebSearchChoices", "day"),
        "week": translate("WebSearchChoices", "week"),
        "month": translate("WebSearchChoices", "month"),
        "any": translate("WebSearchChoices", "any"),
        "zh": translate("WebSearchChoices", "zh"),
        "en": translate("WebSearchChoices", "en"),
    }
    return words.get(value, value)


def add_choices(combo: QComboBox, values: Iterable[str]) -> None:
    for value in values:
        combo.addItem(choice_label(value), value)


def choose(combo: QComboBox, value: str) -> None:
    """Select `value`; an unknown one (a hand-edited file) leaves the selection as it is."""
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)


def chosen(combo: QComboBox) -> str:
    value = combo.currentData()
    return value if isinstance(value, str) else combo.currentText()
