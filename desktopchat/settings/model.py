"""The settings dataclasses: profiles, preferences, first-run defaults. No I/O, no secrets.

Plain data: how a profile becomes a request is desktopchat.profile_requests, and asking
127.0.0.1 for local servers on the first run is desktopchat.local_servers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import quote, urlsplit, urlunsplit

from ..core.preset_ids import PresetId
from ..core.providers import PRESETS, Preset, preset
from ..core.request import WebSearchOptions

OPENAI_PRESET = PresetId.OPENAI  # the active profile on a first run without a local server
CUSTOM_PRESET = PresetId.CUSTOM


class ProxyMode(StrEnum):
    """How a profile reaches the network (the values are what settings.json holds)."""

    SYSTEM = "system"  # the environment's proxy (HTTP(S)_PROXY, NO_PROXY)
    NONE = "none"  # direct
    CUSTOM = "custom"  # ProxySettings.url


class Theme(StrEnum):
    SYSTEM = "system"  # follow the desktop's light/dark choice
    LIGHT = "light"
    DARK = "dark"


class Language(StrEnum):
    """The UI language (English is the source text; the values name the .qm files)."""

    SYSTEM = "system"  # follow the desktop's language
    ENGLISH = "en"
    CHINESE_SIMPLIFIED = "zh_CN"


# Ranges that validation checks and the widgets offer: one definition for both.
FONT_SIZE_RANGE = (6, 48)
IDLE_TIMEOUT_RANGE = (5.0, 3600.0)
TEMPERATURE_RANGE = (0.0, 2.0)
BACKUPS_KEPT_RANGE = (1, 365)


@dataclass
class ProxySettings:
    """How a profile reaches the network. The proxy password lives in the keyring."""

    mode: str = ProxyMode.SYSTEM  # a ProxyMode; plain str until validated (hand-edited file)
    url: str = ""  # custom only: http(s)://, socks5:// or socks5h://, user allowed

    def url_with_password(self, password: str | None) -> str | None:
        """The custom proxy URL with `password` put back in (for the HTTP client only)."""
        if self.mode != ProxyMode.CUSTOM or not self.url.strip():
            return None
        parts = urlsplit(self.url.strip())
        if not password or parts.username is None:
            return urlunsplit(parts)
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"  # IPv6 literal
        netloc = f"{parts.username}:{quote(password, safe='')}@{host}"
        if parts.port is not None:
            netloc += f":{parts.port}"
        return urlunsplit(parts._replace(netloc=netloc))


@dataclass
class Profile:
    """One endpoint the user chats with."""

    name: str
    preset: str = CUSTOM_PRESET
    url: str = ""  # the full chat URL; "" means the preset's own
    model: str = ""
    temperature: float | None = None
    system_prompt: str = ""
    web_search: WebSearchOptions = field(default_factory=WebSearchOptions)
    tools: list[dict[str, object]] = field(default_factory=list)
    extra_headers: dict[str, str] = field(default_factory=dict)
    idle_timeout: float = 120.0
    proxy: ProxySettings = field(default_factory=ProxySettings)
    allow_insecure_http: bool = False
    # Custom endpoints only: send stream_options.include_usage (presets know for themselves;
    # an endpoint that rejects unknown fields would answer it with HTTP 400).
    ask_for_usage: bool = False
    # Custom endpoints only: user messages may carry images (presets know for themselves).
    send_images: bool = False

    @property
    def preset_info(self) -> Preset:
        return preset(self.preset)

    @property
    def supports_web_search(self) -> bool:
        return self.preset_info.web_search

    @property
    def needs_key(self) -> bool:
        return self.preset_info.needs_key

    @property
    def asks_for_usage(self) -> bool:
        """Whether requests ask for token usage: the preset's documented answer, or for a
        Custom endpoint the user's switch."""
        info = self.preset_info
        return info.include_usage or (info.id == CUSTOM_PRESET and self.ask_for_usage)

    @property
    def accepts_images(self) -> bool:
        """Whether images go out as content parts: the preset's answer, or for a Custom
        endpoint the user's switch."""
        info = self.preset_info
        return info.images or (info.id == CUSTOM_PRESET and self.send_images)

    def chat_url(self) -> str:
        return self.url.strip() or self.preset_info.chat_url()

    def models_url(self) -> str | None:
        """Where the model list is, derived from the chat URL when the user changed it."""
        info = self.preset_info
        url = self.url.strip()
        if not url:
            return info.models_url()
        if info.models_path is None or not url.endswith(info.chat_path):
            return None
        return info.models_url(url[: -len(info.chat_path)])

    def proxy_url(self, password: str | None = None) -> str | None:
        """The explicit proxy for this profile (custom mode only), with its password."""
        return self.proxy.url_with_password(password)

    def proxy_needs_password(self) -> bool:
        """True when the custom proxy URL names a user (whose password is in the keyring)."""
        if self.proxy.mode != ProxyMode.CUSTOM:
            return False
        try:
            return urlsplit(self.proxy.url.strip()).username is not None
        except ValueError:
            return False


@dataclass
class Preferences:
    active_profile: str = ""
    theme: str = Theme.SYSTEM  # a Theme; plain str until validated (hand-edited file)
    font_size: int = 11
    enter_to_send: bool = True
    # A rolling snapshot of the history, taken at most once a day, the newest N kept.
    daily_backup: bool = True
    backups_kept: int = 7
    # A desktop notification when a reply finishes while the window is not active.
    notify_when_done: bool = False
    language: str = Language.SYSTEM  # a Language; plain str until validated


@dataclass
class Settings:
    profiles: list[Profile] = field(default_factory=list)
    preferences: Preferences = field(default_factory=Preferences)

    def profile(self, name: str) -> Profile | None:
        return next((p for p in self.profiles if p.name == name), None)

    def active_profile(self) -> Profile | None:
        chosen = self.profile(self.preferences.active_profile)
        if chosen is None and self.profiles:
            return self.profiles[0]
        return chosen


def profile_from_preset(info: Preset, *, name: str | None = None) -> Profile:
    return Profile(name=name or info.label, preset=info.id, model=info.default_model)


def first_run_settings(detected: Sequence[Preset] = ()) -> Settings:
    """One profile per built-in preset (not "custom"), named after it.

    The active profile is the first local server that answered (`detected`, from
    core.discovery.detect_local_servers; its URL as found) or else OpenAI.
    """
    found = {p.id: p for p in detected}
    profiles = []
    for info in PRESETS:
        if info.id == CUSTOM_PRESET:
            continue
        profile = profile_from_preset(info)
        if info.id in found and found[info.id].base_url != info.base_url:
            profile.url = found[info.id].chat_url()
        profiles.append(profile)
    active_id = detected[0].id if detected else OPENAI_PRESET
    active = next((p.name for p in profiles if p.preset == active_id), profiles[0].name)
    return Settings(profiles=profiles, preferences=Preferences(active_profile=active))
