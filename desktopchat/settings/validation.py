"""Validation of profiles and preferences: one readable message per field.

Field names are the dataclass attribute paths ("url", "web_search.max_results",
"proxy.url", ...); `validate_settings` prefixes them with "profiles[i]." or
"preferences.". An empty dict means valid.
"""

from __future__ import annotations

import math
import re
from urllib.parse import urlsplit

from .. import safe_json
from ..core.headers import HTTP_TOKEN, RESERVED_HEADERS, header_problem
from ..core.request import FRESHNESS, LANGS, MAX_RESULTS_RANGE, MODES
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
    Settings,
    Theme,
)

PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")
MAX_NAME_LENGTH = 100

TOOL_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
CREDENTIAL_HINTS = ("key", "token", "secret", "password", "cookie", "auth")


def _has_control(text: str) -> bool:
    return any(ord(ch) < 32 or ord(ch) == 127 for ch in text)


def url_problem(url: str, schemes: tuple[str, ...] = ("http", "https")) -> str | None:
    """Why `url` is not a usable URL with one of `schemes` and a host, or None."""
    text = url.strip()
    if _has_control(text) or " " in text:
        return "The URL must not contain spaces or control characters."
    try:
        parts = urlsplit(text)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return "The URL is not valid (check the host and port)."
    listed = ", ".join(f"{s}://" for s in schemes)
    if parts.scheme.lower() not in schemes:
        return f"The URL must start with {listed}."
    if not host:
        return "The URL needs a host name, for example https://api.example.com/v1."
    if parts.password is not None:
        return "Leave the password out of the URL; it is kept in the keyring instead."
    return None


def tools_problem(tools: object) -> str | None:
    """Why `tools` is not a list of OpenAI function-tool objects, or None."""
    if not isinstance(tools, list):
        return "Tools must be a JSON array of tool objects."
    for i, tool in enumerate(tools, start=1):
        where = f"Tool {i}"
        if not isinstance(tool, dict):
            return f"{where} must be an object like {{\"type\": \"function\", \"function\": …}}."
        if tool.get("type") != "function":
            return f'{where} must have "type": "function".'
        function = tool.get("function")
        if not isinstance(function, dict):
            return f'{where} needs a "function" object.'
        name = function.get("name")
        if not isinstance(name, str) or not TOOL_NAME.match(name):
            return (
                f"{where} needs a function name of 1 to 64 letters, digits, "
                "underscores or hyphens."
            )
        if "parameters" in function and not isinstance(function["parameters"], dict):
            return f'{where}: "parameters" must be a JSON Schema object.'
        if "description" in function and not isinstance(function["description"], str):
            return f'{where}: "description" must be text.'
    return None


def parse_tools(text: str) -> tuple[list[dict[str, object]], str | None]:
    """Tools typed as JSON text (the settings dialog's box): (tools, problem)."""
    if not text.strip():
        return [], None
    try:
        value = safe_json.loads(text)
    except safe_json.UnsafeJSONError as exc:
        return [], f"The tools text {exc}."
    problem = tools_problem(value)
    if problem is not None or not isinstance(value, list):  # no problem: a list of objects
        return [], problem
    return value, None


def headers_problem(headers: object) -> str | None:
    if not isinstance(headers, dict):
        return "Extra headers must be pairs of header name and value."
    for name, value in headers.items():
        if not isinstance(name, str) or not HTTP_TOKEN.fullmatch(name):
            return header_problem(name, value)
        lowered = name.lower()
        if lowered in RESERVED_HEADERS:
            if lowered == "authorization":
                return (
                    "Authorization cannot be an extra header: enter the API key in the key "
                    "field, where it is kept in the keyring."
                )
            return f"{name} is set by desktopchat itself and cannot be an extra header."
        if any(hint in lowered for hint in CREDENTIAL_HINTS):
            return (
                f"{name} looks like it carries a credential; extra headers are saved in "
                "plain text, so enter the key in the key field (kept in the keyring)."
            )
        problem = header_problem(name, value)  # the wire's own rule: what HTTP can carry
        if problem is not None:
            return problem
    return None


def _number(value: object) -> float | None:
    """`value` as a float for range checks; None when it is not a number at all.

    An int too large for a float (10**400 in the file) becomes +/-inf, which every range
    check then refuses, instead of raising OverflowError."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf
    return None if math.isnan(number) else number


def validate_profile(profile: Profile) -> dict[str, str]:
    """field -> message for every invalid field of `profile` ({} when valid)."""
    from ..core.providers import PRESETS

    errors: dict[str, str] = {}
    name = profile.name
    if not isinstance(name, str) or not name.strip():
        errors["name"] = "Give the profile a name."
    elif _has_control(name) or name != name.strip() or len(name) > MAX_NAME_LENGTH:
        errors["name"] = (
            f"The name must be at most {MAX_NAME_LENGTH} characters, without leading or "
            "trailing spaces or control characters."
        )

    preset_ids = {p.id for p in PRESETS}
    if profile.preset not in preset_ids:
        errors["preset"] = f"Unknown provider preset {profile.preset!r}."
    if not isinstance(profile.url, str):
        errors["url"] = "The URL must be text."
    elif profile.url.strip():
        problem = url_problem(profile.url)
        if problem:
            errors["url"] = problem
    elif profile.preset == CUSTOM_PRESET or "preset" in errors:
        errors["url"] = "Enter the endpoint URL, for example https://api.example.com/v1/chat/completions."

    if not isinstance(profile.model, str) or _has_control(profile.model):
        errors["model"] = "The model name must be plain text on one line."
    if not isinstance(profile.system_prompt, str):
        errors["system_prompt"] = "The system prompt must be text."

    if profile.temperature is not None:
        temperature = _number(profile.temperature)
        low_t, high_t = TEMPERATURE_RANGE
        if temperature is None or not low_t <= temperature <= high_t:
            errors["temperature"] = "Temperature must be a number from 0 to 2 (or left unset)."

    search = profile.web_search
    low, high = MAX_RESULTS_RANGE
    if not isinstance(search.enabled, bool):
        errors["web_search.enabled"] = "Web search must be switched on or off."
    max_results = search.max_results
    if isinstance(max_results, bool) or not isinstance(max_results, int) or not (
        low <= max_results <= high
    ):
        errors["web_search.max_results"] = (
            f"Web search results must be a whole number from {low} to {high}."
        )
    if search.mode not in MODES:
        errors["web_search.mode"] = "Web search mode must be " + " or ".join(MODES) + "."
    if search.freshness not in FRESHNESS:
        errors["web_search.freshness"] = "Freshness must be one of " + ", ".join(FRESHNESS) + "."
    if search.lang not in LANGS:
        errors["web_search.lang"] = "Language must be one of " + ", ".join(LANGS) + "."

    problem = tools_problem(profile.tools)
    if problem:
        errors["tools"] = problem
    problem = headers_problem(profile.extra_headers)
    if problem:
        errors["extra_headers"] = problem

    timeout = _number(profile.idle_timeout)
    t_low, t_high = IDLE_TIMEOUT_RANGE
    if timeout is None or not t_low <= timeout <= t_high:
        errors["idle_timeout"] = f"The idle timeout must be {t_low:g} to {t_high:g} seconds."

    proxy = profile.proxy
    if proxy.mode not in tuple(ProxyMode):
        errors["proxy.mode"] = "Proxy must be system, none or custom."
    elif proxy.mode == ProxyMode.CUSTOM:
        if not isinstance(proxy.url, str) or not proxy.url.strip():
            errors["proxy.url"] = "Enter the proxy URL, for example socks5://127.0.0.1:1080."
        else:
            problem = url_problem(proxy.url, PROXY_SCHEMES)
            if problem:
                errors["proxy.url"] = problem.replace("The URL", "The proxy URL")
    if not isinstance(profile.allow_insecure_http, bool):
        errors["allow_insecure_http"] = "Allow insecure http must be on or off."
    if not isinstance(profile.ask_for_usage, bool):
        errors["ask_for_usage"] = "Ask for token usage must be on or off."
    if not isinstance(profile.send_images, bool):
        errors["send_images"] = "Accepts images must be on or off."
    return errors


def validate_preferences(preferences: Preferences) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not isinstance(preferences.active_profile, str):
        errors["active_profile"] = "The active profile must be a profile name."
    if preferences.theme not in tuple(Theme):
        errors["theme"] = "Theme must be system, light or dark."
    size = preferences.font_size
    low, high = FONT_SIZE_RANGE
    if isinstance(size, bool) or not isinstance(size, int) or not low <= size <= high:
        errors["font_size"] = f"Font size must be a whole number from {low} to {high}."
    if not isinstance(preferences.enter_to_send, bool):
        errors["enter_to_send"] = "Enter-to-send must be on or off."
    for name in ("daily_backup", "notify_when_done"):
        if not isinstance(getattr(preferences, name), bool):
            errors[name] = f"{name.replace('_', ' ').capitalize()} must be on or off."
    kept = preferences.backups_kept
    low, high = BACKUPS_KEPT_RANGE
    if isinstance(kept, bool) or not isinstance(kept, int) or not low <= kept <= high:
        errors["backups_kept"] = f"Backups kept must be a whole number from {low} to {high}."
    if preferences.language not in tuple(Language):
        errors["language"] = "Language must be system, en or zh_CN."
    return errors


def validate_settings(settings: Settings) -> dict[str, str]:
    """Every profile, unique names, the preferences, and an active profile that exists."""
    errors: dict[str, str] = {}
    seen: set[str] = set()
    for i, profile in enumerate(settings.profiles):
        for field, message in validate_profile(profile).items():
            errors[f"profiles[{i}].{field}"] = message
        key = profile.name.strip().casefold() if isinstance(profile.name, str) else ""
        if key and key in seen:
            errors[f"profiles[{i}].name"] = f"Another profile is already called {profile.name!r}."
        seen.add(key)
    for field, message in validate_preferences(settings.preferences).items():
        errors[f"preferences.{field}"] = message
    active = settings.preferences.active_profile
    if active and "preferences.active_profile" not in errors and settings.profile(active) is None:
        errors["preferences.active_profile"] = f"There is no profile called {active!r}."
    return errors
