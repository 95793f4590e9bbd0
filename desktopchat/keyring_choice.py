"""Which keyring backend to use: the one keyring itself would choose, found faster.

keyring's discovery (`keyring.get_keyring()`) loads every backend and plugin it knows and
asks each whether it is viable: on Linux that imports the macOS backend (whose
`ctypes.util.find_library` runs ldconfig), KWallet's and libsecret's bindings, and scans
the installed packages, ~60 ms before the first key can be read (`desktopchat ask`'s
budget is 150 ms in all).

On Linux, with only keyring's own backends installed and neither python-dbus (KWallet)
nor PyGObject (libsecret) importable, the Secret Service backend is the only one that can
be viable, so discovery ends in exactly one of two answers: that backend (priority 5, no
second backend to chain) when a Secret Service answers on D-Bus, or keyring's `fail`
backend when none does. `default_backend()` gives the same answer directly. Any other
setup goes through keyring's own discovery, unchanged: PYTHON_KEYRING_BACKEND, a
keyringrc.cfg, a plugin package (an entry point outside keyring), those bindings, or
another operating system.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import sys

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.util import platform_

log = logging.getLogger(__name__)

ALTERNATIVE_BINDINGS = ("dbus", "gi")  # KWallet's and libsecret's: a second candidate


def default_backend() -> KeyringBackend:
    """The backend `keyring.get_keyring()` would return (see the module's docstring)."""
    if only_secret_service_possible():
        return _secret_service_or_fail()
    return keyring.get_keyring()


def only_secret_service_possible() -> bool:
    """True when discovery could find no viable backend but the Secret Service one."""
    if not sys.platform.startswith("linux") or "PYTHON_KEYRING_BACKEND" in os.environ:
        return False
    if (platform_.config_root() / "keyringrc.cfg").exists():
        return False
    if any(importlib.util.find_spec(name) is not None for name in ALTERNATIVE_BINDINGS):
        return False
    return not _plugins()


def _plugins() -> list[str]:
    """Backend entry points that are not keyring's own (a plugin may add a backend)."""
    try:  # the metadata module keyring itself reads plugins with (imported with keyring)
        from keyring.compat.py312 import metadata
    except ImportError:  # a later keyring: the standard library's, as keyring's would be
        import importlib.metadata as metadata  # type: ignore[no-redef]

    return [entry.value for entry in metadata.entry_points(group="keyring.backends")
            if not entry.value.startswith("keyring.backends.")]


def _secret_service_or_fail() -> KeyringBackend:
    if "DBUS_SESSION_BUS_ADDRESS" not in os.environ:
        # jeepney finds the session bus by this variable alone (a KeyError without it), so
        # the Secret Service check below could only fail: say so without importing
        # secretstorage, jeepney and cryptography (~10 ms; headless and SSH sessions).
        log.info("no Secret Service: no D-Bus session bus address")
        return fail.Keyring()  # type: ignore[no-untyped-call]
    from keyring.backends import SecretService

    try:
        # What discovery asks: secretstorage installed, D-Bus reachable, a service there.
        SecretService.Keyring.priority  # noqa: B018 - the property is the viability check
    except Exception as exc:  # discovery skips a backend whose priority raises, any error
        log.info("no Secret Service: %s", type(exc).__name__)
        return fail.Keyring()  # type: ignore[no-untyped-call]
    return SecretService.Keyring()  # type: ignore[no-untyped-call]
