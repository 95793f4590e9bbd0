"""Upgrade steps for settings.json, one named function per version (Picard-style).

Each step takes the JSON object of version N and returns the object of version N+1. Steps
work on plain dicts so they never depend on today's dataclasses, and they keep unknown
values as they are: validation afterwards decides what survives.

Version history:
  1  {"version": 1, "endpoints": [{"name", "provider", "base_url", "model", "temperature",
      "system_prompt", "web_search_enabled", "web_search_mode", "web_search_max_results",
      "web_search_freshness", "web_search_lang", "tools", "headers", "idle_timeout",
      "proxy": "" (system) | "none" | "<url>"}], "active_endpoint", "theme", "font_size",
      "enter_to_send"}
  2  {"version": 2, "profiles": [{"name", "preset", "url" (the full chat URL; "" = the
      preset's), "model", "temperature", "system_prompt", "web_search": {...}, "tools",
      "extra_headers", "idle_timeout", "proxy": {"mode", "url"}, "allow_insecure_http",
      "ask_for_usage" (added later with a default of false; no step needed)}],
      "preferences": {"active_profile", "theme", "font_size", "enter_to_send", "language"
      (added later with a default of "system"; no step needed)}}
"""

from __future__ import annotations

from collections.abc import Callable

from ..core.providers import preset

CURRENT_VERSION = 2

JsonObject = dict[str, object]


class UpgradeError(Exception):
    """The file's version cannot be brought up to date (newer, or not a version at all)."""

    def __init__(self, message: str, *, newer: bool = False) -> None:
        super().__init__(message)
        self.newer = newer


def _v1_to_v2(old: JsonObject) -> JsonObject:
    """Endpoints became profiles: a full chat URL, nested web search and proxy objects."""
    profiles: list[object] = []
    endpoints = old.get("endpoints", [])
    for endpoint in endpoints if isinstance(endpoints, list) else [endpoints]:
        if not isinstance(endpoint, dict):
            profiles.append(endpoint)  # left for validation to report
            continue
        provider = endpoint.get("provider", "custom")
        base_url = endpoint.get("base_url", "")
        url: object = base_url
        if isinstance(provider, str) and isinstance(base_url, str):
            # v1 stored the base; v2 stores what is POSTed to ("" keeps the preset's own).
            url = preset(provider).chat_url(base_url.rstrip("/")) if base_url.strip() else ""
        proxy_raw = endpoint.get("proxy", "")
        if proxy_raw in ("", None, "system"):
            proxy: object = {"mode": "system", "url": ""}
        elif proxy_raw == "none":
            proxy = {"mode": "none", "url": ""}
        else:
            proxy = {"mode": "custom", "url": proxy_raw}
        profiles.append(
            {
                "name": endpoint.get("name", ""),
                "preset": provider,
                "url": url,
                "model": endpoint.get("model", ""),
                "temperature": endpoint.get("temperature"),
                "system_prompt": endpoint.get("system_prompt", ""),
                "web_search": {
                    "enabled": endpoint.get("web_search_enabled", False),
                    "mode": endpoint.get("web_search_mode", "auto"),
                    "max_results": endpoint.get("web_search_max_results", 5),
                    "freshness": endpoint.get("web_search_freshness", "week"),
                    "lang": endpoint.get("web_search_lang", "auto"),
                },
                "tools": endpoint.get("tools", []),
                "extra_headers": endpoint.get("headers", {}),
                "idle_timeout": endpoint.get("idle_timeout", 120.0),
                "proxy": proxy,
                "allow_insecure_http": False,
            }
        )
    preferences = {
        "active_profile": old.get("active_endpoint", ""),
        "theme": old.get("theme", "system"),
        "font_size": old.get("font_size", 11),
        "enter_to_send": old.get("enter_to_send", True),
    }
    return {"version": 2, "profiles": profiles, "preferences": preferences}


STEPS: dict[int, Callable[[JsonObject], JsonObject]] = {1: _v1_to_v2}


def file_version(data: JsonObject) -> int:
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise UpgradeError(f"has \"version\": {version!r}, which is not a version number")
    return version


def upgrade(data: JsonObject) -> JsonObject:
    """`data` brought to CURRENT_VERSION, one step at a time. Raises UpgradeError."""
    version = file_version(data)
    if version > CURRENT_VERSION:
        raise UpgradeError(
            f"was written by a newer desktopchat (settings version {version}; "
            f"this one reads up to {CURRENT_VERSION})",
            newer=True,
        )
    while version < CURRENT_VERSION:
        data = STEPS[version](data)
        version = file_version(data)
    return data
