"""User settings: endpoint profiles and preferences. Never a secret (those live in secrets.py).

The one import for everything settings-related; the parts live in small modules:
  model.py       the dataclasses, Profile.chat_request, first-run defaults
  validation.py  one readable message per invalid field
  upgrade.py     versioned upgrade steps of the JSON file
  store.py       atomic load/save with backup-and-salvage, window state
"""

from __future__ import annotations

from .model import (
    ClientOptions,
    Preferences,
    Profile,
    ProxySettings,
    Settings,
    detect_first_run_settings,
    first_run_settings,
    profile_from_preset,
)
from .store import LoadResult, SettingsStore, WindowStateStore
from .upgrade import CURRENT_VERSION
from .validation import (
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
