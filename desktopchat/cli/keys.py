"""`desktopchat key set|delete PROFILE`: a profile's API key in the OS keyring, never on disk.

`key set` reads the key from stdin: typed at a terminal without echo (getpass), or piped
(`pass show openai | desktopchat key set OpenAI`). Without a usable keyring it says so and
points to `ask --key-from-env VAR`; it never falls back to a file.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from desktopchat.errors import DesktopChatError, SecretStoreError

from .parser import UsageError

if TYPE_CHECKING:
    from .context import Context

NO_KEYRING_HINT = " Until then, `desktopchat ask --key-from-env VAR` takes the key from VAR."


def _known(context: Context, name: str) -> str:
    if context.settings().profile(name) is None:
        names = ", ".join(p.name for p in context.settings().profiles) or "none"
        raise UsageError(f"desktopchat key: there is no profile {name!r} (profiles: {names})")
    return name


def read_key() -> str:
    if sys.stdin is None:
        raise UsageError("desktopchat key set: no stdin to read the key from")
    if sys.stdin.isatty():
        import getpass

        key = getpass.getpass("API key (not shown): ")
    else:
        key = sys.stdin.readline()
    key = key.strip()
    if not key:
        raise UsageError("desktopchat key set: no key was given on stdin")
    return key


def run(context: Context, args: argparse.Namespace) -> int:
    profile = _known(context, args.profile)
    secrets = context.secrets()
    status = secrets.status()
    if not status.usable:
        raise DesktopChatError((status.problem or "No usable keyring.") + NO_KEYRING_HINT)
    try:
        if args.key_command == "set":
            secrets.set_key(profile, read_key())
            context.terminal.note(f"Stored the API key of {profile!r} in the keyring.")
        else:
            secrets.delete_key(profile)
            context.terminal.note(f"Deleted the API key of {profile!r} from the keyring.")
    except SecretStoreError as exc:
        raise DesktopChatError(exc.message + NO_KEYRING_HINT) from None
    return 0
