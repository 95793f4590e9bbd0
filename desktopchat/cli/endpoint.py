"""Which endpoint a request goes to, with which key: a saved profile, or a bare --url.

A saved profile's key comes from the keyring (or --key-from-env VAR). A --url endpoint gets
no key at all unless --key-from-env names one, so a key meant for one provider never leaks
to a URL typed on the command line. The transport rule is the GUI's (core.check_transport):
no key over plain http to a host other than loopback.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from desktopchat.errors import DesktopChatError, SecretStoreError

from .parser import UsageError

if TYPE_CHECKING:
    from desktopchat.settings import Profile, Settings
    from desktopchat.storage.models import Conversation

    from .context import Context

URL_PROFILE_NAME = "--url"


@dataclasses.dataclass(frozen=True)
class Endpoint:
    profile: Profile  # with this command's overrides (model, temperature, system prompt)
    key: str | None = dataclasses.field(repr=False)
    proxy_password: str | None = dataclasses.field(repr=False)
    label: str  # what the conversation records as its profile


def url_label(url: str) -> str:
    """A --url as the history records it: no user, password, query or fragment."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "url"
    host = f"[{host}]" if ":" in host else host
    return urlunsplit((parts.scheme, host + port, parts.path, "", ""))


def _temperature(value: float | None) -> float | None:
    if value is not None and (not math.isfinite(value) or not 0.0 <= value <= 2.0):
        raise UsageError(f"desktopchat: --temperature must be a number from 0 to 2, not {value}")
    return value


def key_from_env(variable: str | None) -> str | None:
    if variable is None:
        return None
    key = os.environ.get(variable, "").strip()
    if not key:
        raise UsageError(f"desktopchat: the environment variable {variable} is not set or empty")
    return key


def _pick_profile(
    settings: Settings, wanted: str | None, conversation: Conversation | None
) -> Profile:
    names = ", ".join(p.name for p in settings.profiles) or "none"
    if wanted is not None:
        found = settings.profile(wanted)
        if found is None:
            raise UsageError(f"desktopchat: there is no profile {wanted!r} (profiles: {names})")
        return found
    if conversation is not None:
        recorded = settings.profile(conversation.profile)
        if recorded is not None:
            return recorded  # continue with what the conversation was written with
    active = settings.active_profile()
    if active is None:
        raise DesktopChatError(
            "No profile is set up. Add one with `desktopchat profiles add NAME --preset P`, "
            "or use --url."
        )
    return active


def _keyring_key(context: Context, profile: Profile) -> str | None:
    try:
        if context.keyring_absent():
            from desktopchat.keyring_absent import NO_SERVICE

            raise SecretStoreError(NO_SERVICE)  # what SecretStore says, without keyring
        known, key = context.stored_secret(profile.name)  # read ahead (warmup.py)
        if not known:
            key = context.secrets().get_key(profile.name)
    except SecretStoreError as exc:
        if not profile.needs_key:
            return None
        raise DesktopChatError(
            f"{exc.message} Or pass the key in an environment variable: --key-from-env VAR."
        ) from None
    if not key and profile.needs_key:
        raise DesktopChatError(
            f"The profile {profile.name!r} needs an API key. Store one with "
            f"`desktopchat key set {profile.name}` (it reads the key from stdin), "
            "or pass --key-from-env VAR."
        )
    return key or None


def _proxy_password(context: Context, profile: Profile) -> str | None:
    if not profile.proxy_needs_password() or context.keyring_absent():
        return None
    from desktopchat.secret_service_read import proxy_entry

    known, password = context.stored_secret(proxy_entry(profile.name))  # read ahead
    if known:
        return password
    try:
        return context.secrets().get_proxy_password(profile.name)
    except SecretStoreError:
        return None  # the proxy will say it wants a password; that message is clear enough


def resolve(
    context: Context, args: argparse.Namespace, conversation: Conversation | None
) -> Endpoint:
    temperature = _temperature(args.temperature)
    env_key = key_from_env(args.key_from_env)
    if args.url is not None:
        from desktopchat.settings import Profile, validate_profile

        profile = Profile(URL_PROFILE_NAME, preset="custom", url=args.url.strip())
        problem = validate_profile(profile).get("url")
        if problem:
            raise UsageError(f"desktopchat: --url {args.url!r}: {problem}")
        label, key, proxy_password = url_label(args.url), env_key, None
    else:
        profile = _pick_profile(context.settings(), args.profile, conversation)
        label = profile.name
        key = env_key if env_key is not None else _keyring_key(context, profile)
        proxy_password = _proxy_password(context, profile)
    changes: dict[str, object] = {}
    if args.model:
        changes["model"] = args.model.strip()
    if temperature is not None:
        changes["temperature"] = temperature
    if changes:
        profile = dataclasses.replace(profile, **changes)  # type: ignore[arg-type]
    return Endpoint(profile, key, proxy_password, label)
