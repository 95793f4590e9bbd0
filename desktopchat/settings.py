"""User settings: endpoint profiles and preferences. Never a secret (those live in secrets.py).

The one import for everything settings-related; the parts live in small modules:
  settings_model.py       the dataclasses, Profile.chat_request, first-run defaults
  settings_validation.py  one readable message per invalid field
  settings_upgrade.py     versioned upgrade steps of the JSON file
  settings_store.py       atomic load/save with backup-and-salvage, window state
"""

from __future__ import annotations

from .settings_model import (
    ClientOptions,
    Preferences,
    Profile,
    ProxySettings,
    Settings,
    detect_first_run_settings,
    first_run_settings,
    profile_from_preset,
)
from .settings_store import LoadResult, SettingsStore, WindowStateStore
from .settings_upgrade import CURRENT_VERSION
from .settings_validation import (
    parse_tools,
    validate_preferences,
    validate_profile,
    validate_settings,
)

__all__ = [
    "CURRENT_VERSION",
    "ClientOptions",
    "LoadResult",
    "Preferences",
    "Profile",
    "ProxySettings",
    "Settings",
    "SettingsStore",
    "WindowStateStore",
    "detect_first_run_settings",
    "first_run_settings",
    "parse_tools",
    "profile_from_preset",
    "validate_preferences",
    "validate_profile",
    "validate_settings",
]
