"""Reading and writing settings.json (and window-state.json) without ever losing the user's work.

Writes are atomic: a temp file in the same folder, fsync, os.replace, mode 0600.
Reading never raises for what is in the file: a file we cannot use is copied to
`settings.json.bad-<timestamp>`, every profile that still validates is kept, the others
are named in `LoadResult.problem`, a sentence for the user.

The serializer lists its fields one by one; there is no field that could hold a key.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import safe_json
from ..core.request import WebSearchOptions
from ..errors import SettingsError
from ..regular_files import read_regular
from .model import Preferences, Profile, ProxySettings, Settings, first_run_settings
from .upgrade import CURRENT_VERSION, UpgradeError, upgrade
from .validation import validate_preferences, validate_profile

if TYPE_CHECKING:
    import logging

def _log() -> logging.Logger:
    """The module's logger, made when first needed: importing logging (and tempfile, for
    saving) up front cost `desktopchat ask` ~5 ms before its request left."""
    import logging

    return logging.getLogger(__name__)
FILE_MODE = 0o600
# Every preference is written and read back by name: a new one needs only the model and its
# validation.
PREFERENCE_NAMES = tuple(f.name for f in fields(Preferences))
# Far above any real settings file (tools' JSON schemas included); a bigger one is a mistake.
MAX_SETTINGS_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class LoadResult:
    settings: Settings
    problem: str | None = None  # a sentence for the user, None when all went well
    backup_path: Path | None = None
    first_run: bool = False  # no file yet: the app may detect local servers and save
    upgraded_from: int | None = None  # the file's version, when older than today's


# -- serializing ---------------------------------------------------------------------------


def profile_to_json(profile: Profile) -> dict[str, object]:
    search = profile.web_search
    return {
        "name": profile.name,
        "preset": profile.preset,
        "url": profile.url,
        "model": profile.model,
        "temperature": profile.temperature,
        "system_prompt": profile.system_prompt,
        "web_search": {
            "enabled": search.enabled,
            "mode": search.mode,
            "max_results": search.max_results,
            "freshness": search.freshness,
            "lang": search.lang,
        },
        "tools": list(profile.tools),
        "extra_headers": dict(profile.extra_headers),
        "idle_timeout": profile.idle_timeout,
        "proxy": {"mode": profile.proxy.mode, "url": profile.proxy.url},
        "allow_insecure_http": profile.allow_insecure_http,
        "ask_for_usage": profile.ask_for_usage,
        "send_images": profile.send_images,
    }


def settings_to_json(settings: Settings) -> dict[str, object]:
    prefs = settings.preferences
    return {
        "version": CURRENT_VERSION,
        "profiles": [profile_to_json(p) for p in settings.profiles],
        "preferences": {name: getattr(prefs, name) for name in PREFERENCE_NAMES},
    }


# -- deserializing: wrong types become field errors, never exceptions ------------------------


def _pick(raw: Mapping[str, object], key: str, kind: type | tuple[type, ...],
          default: object) -> Any:  # Any: of type `kind`, checked at run time
    """raw[key] when it has the right type (bools are not numbers), else a marker."""
    if key not in raw or (raw[key] is None and default is None):
        return default
    value = raw[key]
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        return _WRONG
    return value if isinstance(value, kind) else _WRONG


_WRONG = object()
_TYPE_MESSAGES = {
    "name": "The name must be text.",
    "preset": "The preset must be a preset id.",
    "url": "The URL must be text.",
    "model": "The model must be text.",
    "temperature": "Temperature must be a number from 0 to 2 (or left unset).",
    "system_prompt": "The system prompt must be text.",
    "web_search": "Web search options must be an object.",
    "tools": "Tools must be a JSON array of tool objects.",
    "extra_headers": "Extra headers must be pairs of header name and value.",
    "idle_timeout": "The idle timeout must be a number of seconds.",
    "proxy": "The proxy must be an object with mode and url.",
    "allow_insecure_http": "Allow insecure http must be true or false.",
    "ask_for_usage": "Ask for token usage must be true or false.",
    "send_images": "Accepts images must be true or false.",
}


def profile_from_json(raw: object) -> tuple[Profile, dict[str, str]]:
    """A Profile from its JSON object and the field errors found on the way."""
    if not isinstance(raw, dict):
        return Profile(name=""), {"profile": "A profile must be a JSON object."}
    errors: dict[str, str] = {}
    d = Profile(name="")
    kinds: dict[str, tuple[type | tuple[type, ...], object]] = {
        "name": (str, ""),
        "preset": (str, d.preset),
        "url": (str, d.url),
        "model": (str, d.model),
        "temperature": ((int, float), None),
        "system_prompt": (str, d.system_prompt),
        "web_search": (dict, {}),
        "tools": (list, []),
        "extra_headers": (dict, {}),
        "idle_timeout": ((int, float), d.idle_timeout),
        "proxy": (dict, {}),
        "allow_insecure_http": (bool, False),
        "ask_for_usage": (bool, False),
        "send_images": (bool, False),
    }
    values: dict[str, Any] = {}  # Any: Profile's fields, each checked by _pick against its kind
    for key, (kind, default) in kinds.items():
        value = _pick(raw, key, kind, default)
        if value is _WRONG:
            errors[key] = _TYPE_MESSAGES[key]
            value = default
        values[key] = value
    search_raw = values.pop("web_search")
    defaults = WebSearchOptions()
    search = WebSearchOptions(
        enabled=search_raw.get("enabled", defaults.enabled),
        mode=search_raw.get("mode", defaults.mode),
        max_results=search_raw.get("max_results", defaults.max_results),
        freshness=search_raw.get("freshness", defaults.freshness),
        lang=search_raw.get("lang", defaults.lang),
    )
    proxy_raw = values.pop("proxy")
    proxy = ProxySettings(mode=proxy_raw.get("mode", "system"), url=proxy_raw.get("url", ""))
    if not isinstance(proxy.url, str):
        errors["proxy.url"] = "The proxy URL must be text."
        proxy.url = ""
    profile = Profile(web_search=search, proxy=proxy, **values)
    errors = {**validate_profile(profile), **errors}
    return profile, errors


def preferences_from_json(raw: object) -> tuple[Preferences, list[str]]:
    """Preferences, with each invalid one reset to its default; returns the reset names."""
    prefs = Preferences()
    if not isinstance(raw, dict):
        return prefs, ([] if raw is None else ["preferences"])
    reset: list[str] = []
    for name in PREFERENCE_NAMES:
        if name not in raw:
            continue
        trial = Preferences(**{name: raw[name]})
        if validate_preferences(trial):
            reset.append(name)
        else:
            setattr(prefs, name, raw[name])
    return prefs, reset


# -- files ---------------------------------------------------------------------------------


def atomic_write(path: Path, data: bytes, mode: int = FILE_MODE) -> None:
    """Replace `path` with `data` all at once: readers see the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    import tempfile

    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as tmp:
            if hasattr(os, "fchmod"):
                os.fchmod(tmp.fileno(), mode)
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        with contextlib.suppress(OSError):
            dir_fd = os.open(path.parent, os.O_DIRECTORY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)


def _names(names: list[str]) -> str:
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]


class SettingsStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def _backup(self, data: bytes) -> tuple[Path | None, str]:
        """Copy the unusable file aside; returns (path, a phrase for the message)."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        candidate = self.path.with_name(f"{self.path.name}.bad-{stamp}")
        n = 1
        while candidate.exists():
            n += 1
            candidate = self.path.with_name(f"{self.path.name}.bad-{stamp}-{n}")
        try:
            atomic_write(candidate, data)
        except OSError as exc:
            _log().warning("could not back up %s: %s", self.path, exc)
            return None, f"a backup copy could not be written ({exc.strerror or exc})"
        return candidate, f"the file was copied to {candidate}"

    def _fallback(self, data: bytes, what: str) -> LoadResult:
        backup, where = self._backup(data)
        problem = f"The settings file {self.path} {what}; {where}, and default settings are loaded."
        _log().warning("settings file unusable: %s", problem)
        return LoadResult(first_run_settings(), problem, backup)

    def load(self) -> LoadResult:
        """The settings, or defaults and a sentence saying what went wrong. Never raises."""
        try:
            data = read_regular(self.path, MAX_SETTINGS_BYTES)
        except FileNotFoundError:
            return LoadResult(first_run_settings(), first_run=True)
        except OSError as exc:
            problem = (
                f"The settings file {self.path} could not be read ({exc.strerror or exc}); "
                "default settings are used for this run, and saving will replace that file."
            )
            return LoadResult(first_run_settings(), problem)
        try:
            raw = safe_json.loads(data)
        except safe_json.UnsafeJSONError as exc:
            return self._fallback(data, str(exc))
        if not isinstance(raw, dict):
            return self._fallback(data, "does not hold a settings object")
        try:
            version = raw.get("version")
            current = upgrade(raw)
            upgraded_from = version if version != CURRENT_VERSION else None
            if upgraded_from is not None:
                self._keep_old_version(data, upgraded_from)
            return self._decode(current, data, upgraded_from)
        except UpgradeError as exc:
            return self._fallback(data, str(exc))
        except Exception as exc:  # a bug in decoding must not stop the app: keep the file
            _log().error("settings file could not be decoded", exc_info=True)
            return self._fallback(data, f"could not be read ({type(exc).__name__})")

    def _keep_old_version(self, data: bytes, version: int) -> None:
        """Keep the pre-upgrade file once (settings.json.v1), for going back to an old release."""
        copy = self.path.with_name(f"{self.path.name}.v{version}")
        if copy.exists():
            return
        try:
            atomic_write(copy, data)
        except OSError as exc:  # only a convenience: the upgrade goes on without it
            _log().warning("could not keep a copy of the version %d settings: %s", version, exc)

    def _decode(self, raw: dict[str, object], data: bytes,
                upgraded_from: int | None) -> LoadResult:
        profiles_raw = raw.get("profiles")
        issues: list[str] = []
        if not isinstance(profiles_raw, list):
            issues.append("its list of profiles was missing")
            profiles_raw = []
        kept: list[Profile] = []
        dropped: list[str] = []
        for i, item in enumerate(profiles_raw, start=1):
            profile, errors = profile_from_json(item)
            label = repr(profile.name) if profile.name else f"profile #{i} (no name)"
            if not errors and any(p.name.casefold() == profile.name.casefold() for p in kept):
                errors = {"name": "another profile has the same name"}
            if errors:
                first = next(iter(errors.items()))
                dropped.append(f"{label} ({first[0]}: {first[1].rstrip('.')})")
            else:
                kept.append(profile)
        prefs, reset = preferences_from_json(raw.get("preferences"))
        if dropped:
            issues.append(
                f"profile{'s' if len(dropped) > 1 else ''} {_names(dropped)} "
                f"{'were' if len(dropped) > 1 else 'was'} not valid and left out"
            )
        if reset:
            issues.append(f"{_names(reset)} reset to the default")
        if not kept:
            defaults = first_run_settings()
            kept, fallback_active = defaults.profiles, defaults.preferences.active_profile
            if profiles_raw:
                issues.append("no profile could be kept, so the built-in profiles are loaded")
        else:
            fallback_active = kept[0].name
        if not any(p.name == prefs.active_profile for p in kept):
            prefs.active_profile = fallback_active
        settings = Settings(profiles=kept, preferences=prefs)
        if not issues:
            return LoadResult(settings, upgraded_from=upgraded_from)
        backup, where = self._backup(data)
        problem = (
            f"Some settings in {self.path} could not be used: {'; '.join(issues)}. "
            f"To recover them, {where}."
        )
        _log().warning("settings file partly unusable: %s", problem)
        return LoadResult(settings, problem, backup, upgraded_from=upgraded_from)

    def save(self, settings: Settings) -> None:
        """Validate, then write atomically. Raises SettingsError (field errors, or the disk)."""
        from .validation import validate_settings

        errors = validate_settings(settings)
        if errors:
            listed = "; ".join(f"{name}: {message}" for name, message in errors.items())
            raise SettingsError(f"Settings not saved: {listed}", errors)
        text = json.dumps(settings_to_json(settings), indent=2, ensure_ascii=False) + "\n"
        try:
            atomic_write(self.path, text.encode("utf-8"))
        except OSError as exc:
            raise SettingsError(
                f"Settings could not be saved to {self.path} ({exc.strerror or exc}); "
                "the previous file is unchanged."
            ) from exc


class WindowStateStore:
    """Window geometry and splitter state: machine state, kept apart from user settings.

    Values are JSON (the UI stores QByteArray state as base64 text). A missing or damaged
    file just means default geometry, so load() returns {} instead of complaining.
    """

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only  # the self-test leaves the user's layout as it was

    def load(self) -> dict[str, object]:
        try:
            raw = safe_json.loads(read_regular(self.path, MAX_SETTINGS_BYTES))
        except (OSError, safe_json.UnsafeJSONError):
            return {}
        state = raw.get("state") if isinstance(raw, dict) else None
        return dict(state) if isinstance(state, dict) else {}

    def save(self, state: Mapping[str, object]) -> None:
        if self.read_only:
            return
        try:
            text = json.dumps({"version": 1, "state": state}, indent=2) + "\n"
        except (TypeError, ValueError) as exc:
            raise SettingsError(f"Window state is not JSON data: {exc}") from exc
        try:
            atomic_write(self.path, text.encode("utf-8"))
        except OSError as exc:
            raise SettingsError(
                f"Window state could not be saved to {self.path} ({exc.strerror or exc})."
            ) from exc
