"""First run: look for a chat server on this computer and offer it as the active profile.

Ollama, LM Studio and llama.cpp need no key, so a person who already runs one can
chat at once. The question is a non-modal box: a modal one would spin a nested event
loop inside this coroutine, which qasync does not survive well.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Protocol

from PySide6.QtWidgets import QMessageBox, QWidget

from desktopchat.core.discovery import detect_local_servers
from desktopchat.core.providers import Preset, preset
from desktopchat.settings import Settings, profile_from_preset
from desktopchat.ui.i18n import translate
from desktopchat.ui.plain_text import message_box
from desktopchat.ui.preset_names import preset_label


def named_in_language(settings: Settings) -> Settings:
    """A copy of the first run's `settings` whose built-in profiles are named in the UI's
    language ("Ollama（本地）" in Chinese): core names them in English, and the names are
    the user's from then on (shown in Settings and the toolbar; renamed like any other)."""
    named = copy.deepcopy(settings)
    for profile in named.profiles:
        info = preset(profile.preset)
        label = preset_label(info)
        if profile.name == info.label and label != info.label and named.profile(label) is None:
            if named.preferences.active_profile == profile.name:
                named.preferences.active_profile = label
            profile.name = label
    return named


def with_local_server(settings: Settings, server: Preset) -> Settings:
    """A copy of `settings` whose active profile talks to `server` (a detected Preset)."""
    chosen = copy.deepcopy(settings)
    profile = next((p for p in chosen.profiles if p.preset == server.id), None)
    if profile is None:
        profile = profile_from_preset(server)
        chosen.profiles.append(profile)
    profile.url = server.chat_url()
    chosen.preferences.active_profile = profile.name
    return chosen


class SettingsOwner(Protocol):
    """What the offer needs of the window: the settings now, and a way to change them."""

    @property
    def settings(self) -> Settings: ...

    def apply_settings(self, settings: Settings, *, save: bool = False) -> None: ...


async def offer_local_server(owner: SettingsOwner, parent: QWidget, *,
                             ports: Mapping[str, int] | None = None) -> QMessageBox | None:
    """Ask 127.0.0.1 for local servers; if one answers, offer it (a box on `parent`; a
    Yes changes `owner`'s settings). Returns the open box."""
    found = await detect_local_servers(ports=ports)
    if not found:
        return None
    server = found[0]
    box = message_box(QMessageBox.Icon.Question, translate("FirstRun", "Local chat server found"),
                      translate("FirstRun", "{server} is running on this computer ({url}).\n\n"
                                "Use it for new chats? It needs no API key.")
                      .format(server=preset_label(server), url=server.base_url),
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setDefaultButton(QMessageBox.StandardButton.Yes)

    def answered(button: int) -> None:
        if button == QMessageBox.StandardButton.Yes:
            owner.apply_settings(with_local_server(owner.settings, server), save=True)

    box.finished.connect(answered)
    box.open()
    return box
