"""`desktopchat profiles [add|remove]`: the GUI's endpoint profiles. Keys are never printed.

The listing says only whether a key is stored. Changes go through the same validation and
atomic save as the settings dialog.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from desktopchat.errors import DesktopChatError, SecretStoreError

from .parser import UsageError
from .shapes import profile_json

if TYPE_CHECKING:
    from desktopchat.secrets import SecretStore
    from desktopchat.settings import Profile

    from .context import Context


def _key_stored(secrets: SecretStore, profile: Profile) -> bool | None:
    """Whether the keyring holds a key for `profile`; None when the keyring cannot say."""
    try:
        return bool(secrets.get_key(profile.name))
    except SecretStoreError:
        return None


def run(context: Context, args: argparse.Namespace) -> int:
    if args.profiles_command == "add":
        return add(context, args)
    if args.profiles_command == "remove":
        return remove(context, args)
    return show(context, args)


def show(context: Context, args: argparse.Namespace) -> int:
    settings = context.settings()
    active = settings.active_profile()
    secrets = context.secrets()
    usable = secrets.status().usable
    rows = [
        profile_json(
            p,
            active=p is active,
            key_stored=_key_stored(secrets, p) if usable else None,
        )
        for p in settings.profiles
    ]
    terminal = context.terminal
    if args.json:
        terminal.line(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        key = {True: "key stored", False: "no key", None: "keyring unavailable"}[row["key_stored"]]
        if not row["needs_key"] and row["key_stored"] is not True:
            key = "no key needed"
        mark = "*" if row["active"] else " "
        terminal.line(
            f"{mark} {terminal.bold(row['name'])}  [{row['preset']}]  {row['url']}  "
            f"model: {row['model'] or '-'}  {terminal.dim(key)}"
        )
    return 0


def add(context: Context, args: argparse.Namespace) -> int:
    from desktopchat.core.providers import PRESETS
    from desktopchat.settings import profile_from_preset, validate_profile

    ids = [p.id for p in PRESETS]
    info = next((p for p in PRESETS if p.id == args.preset.strip().lower()), None)
    if info is None:
        raise UsageError(
            f"desktopchat profiles add: unknown preset {args.preset!r} (presets: {', '.join(ids)})"
        )
    settings = context.settings()
    name = " ".join(args.name.split())
    if any(p.name.casefold() == name.casefold() for p in settings.profiles):
        raise UsageError(f"desktopchat profiles add: a profile called {name!r} exists already")
    profile = profile_from_preset(info, name=name)
    if args.url is not None:
        profile.url = args.url.strip()
    if args.model is not None:
        profile.model = args.model.strip()
    problems = validate_profile(profile)
    if problems:
        listed = "; ".join(f"{field}: {message}" for field, message in problems.items())
        raise UsageError(f"desktopchat profiles add: {listed}")
    settings.profiles.append(profile)
    context.settings_store().save(settings)
    context.terminal.note(f"Added the profile {name!r}.")
    if profile.needs_key:
        context.terminal.note(f"Store its key with: desktopchat key set {name!r}")
    return 0


def remove(context: Context, args: argparse.Namespace) -> int:
    settings = context.settings()
    profile = settings.profile(args.name)
    if profile is None:
        names = ", ".join(p.name for p in settings.profiles) or "none"
        raise UsageError(
            f"desktopchat profiles remove: there is no profile {args.name!r} (profiles: {names})"
        )
    settings.profiles.remove(profile)
    if settings.preferences.active_profile == profile.name:
        settings.preferences.active_profile = settings.profiles[0].name if settings.profiles else ""
    context.settings_store().save(settings)
    context.terminal.note(f"Removed the profile {profile.name!r}.")
    secrets = context.secrets()
    if not secrets.status().usable:
        return 0  # no keyring: no key of it can be stored anywhere
    try:
        secrets.delete_profile(profile.name)
    except SecretStoreError as exc:
        raise DesktopChatError(
            f"The profile is removed, but its key could not be deleted from the keyring: "
            f"{exc.message}"
        ) from None
    return 0
