"""Knowing, without importing keyring, that no keyring backend can work here.

Importing keyring and asking which backend applies cost `desktopchat ask -p` ~30 ms of
CPU before its request could leave (keyring_choice.py already skips most of discovery).
On Linux with none of: PYTHON_KEYRING_BACKEND, a keyringrc.cfg, KWallet's or libsecret's
Python bindings, a backend plugin, or a D-Bus session bus address, keyring's discovery
can only end in its `fail` backend: the Secret Service backend (the one left) finds the
session bus by DBUS_SESSION_BUS_ADDRESS alone. `no_keyring_possible()` says exactly that,
and leans to False (ask keyring) whenever it cannot be sure: a path entry that is not a
folder, an entry-points file it cannot read. Headless machines, containers and SSH
sessions are the usual case.

The messages about a missing keyring live here so both sides word it the same.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

NO_SERVICE_FIX = (
    "Install and unlock a Secret Service such as GNOME Keyring or KWallet, "
    "or use a key for this run only."
)
NO_SERVICE = "No keyring service is running. " + NO_SERVICE_FIX
ALTERNATIVE_BINDINGS = ("dbus", "gi")  # KWallet's and libsecret's: other candidates
_SECTION = "[keyring.backends]"


def keyring_config_file() -> Path:
    """keyring.util.platform_.config_root() / "keyringrc.cfg", as on Linux."""
    root = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(root, "python_keyring", "keyringrc.cfg")


def _foreign_backends_in(text: str) -> bool:
    """An entry_points.txt naming a backend that is not one of keyring's own."""
    inside = False
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("["):
            inside = line == _SECTION
        elif inside and "=" in line and not (
            line.split("=", 1)[1].strip().startswith("keyring.backends.")
        ):
            return True
    return False


def plugins_possible() -> bool:
    """Whether an installed package may add a keyring backend (True when unsure)."""
    for entry in sys.path:
        folder = Path(entry or ".")
        if not folder.is_dir():
            if folder.exists():
                return True  # a zip or an egg: not looked into
            continue
        try:
            names = os.listdir(folder)
        except OSError:
            return True
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                points = folder / name / "entry_points.txt"
                try:
                    text = points.read_text(encoding="utf-8", errors="replace")
                except FileNotFoundError:
                    continue
                except OSError:
                    return True
                if _SECTION in text and _foreign_backends_in(text):
                    return True
    return False


def no_keyring_possible() -> bool:
    """True only when keyring's discovery would surely end in its `fail` backend."""
    return "DBUS_SESSION_BUS_ADDRESS" not in os.environ and only_default_backends()


def only_default_backends() -> bool:
    """True only when keyring can choose among nothing but its own backends as it ships
    them: Linux, with neither PYTHON_KEYRING_BACKEND, a keyringrc.cfg, KWallet's or
    libsecret's bindings, nor a backend plugin (False whenever unsure)."""
    if not sys.platform.startswith("linux") or "PYTHON_KEYRING_BACKEND" in os.environ:
        return False
    if keyring_config_file().exists():
        return False
    if any(importlib.util.find_spec(name) is not None for name in ALTERNATIVE_BINDINGS):
        return False
    return not plugins_possible()
