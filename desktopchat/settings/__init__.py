"""User settings: endpoint profiles and preferences. Never a secret (those live in secrets.py).

Plain data and files: no network, no Qt (tests/unit/test_architecture.py holds it to that).
A profile becomes a request in desktopchat.profile_requests.

The one import for everything settings-related; the parts live in small modules:
  model.py       the dataclasses, their enumerations and ranges, first-run defaults
  validation.py  one readable message per invalid field
  upgrade.py     versioned upgrade steps of the JSON file
  store.py       atomic load/save with backup-and-salvage, window state
"""

from __future__ import annotations

from .model import (
    BACKUPS_KEPT_RANGE,
    CUSTOM_PRESET,
    FONT_SIZE_RANGE,
    IDLE_TIMEOUT_RANGE,
    TEMPERATURE_RANGE,
    Language,
    Preferences,
    Profile,
    ProxyMode,
    ProxySettings,
    Settings,
    Theme,
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
    "BACKUPS_KEPT_RANGE",
    "CURRENT_VERSION",
    "CUSTOM_PRESET",
    "FONT_SIZE_RANGE",
    "IDLE_TIMEOUT_RANGE",
    "TEMPERATURE_RANGE",
    "Language",
    "LoadResult",
    "Preferences",
    "Profile",
    "ProxyMode",
    "ProxySettings",
    "Settings",
    "SettingsStore",
    "Theme",
    "WindowStateStore",
    "first_run_settings",
    "parse_tools",
    "profile_from_preset",
    "validate_preferences",
    "validate_profile",
    "validate_settings",
]
