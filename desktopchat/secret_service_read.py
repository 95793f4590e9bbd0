"""Reading keys from an unlocked Secret Service without importing keyring (`desktopchat ask`).

Importing keyring costs ~60 ms (its jaraco.context imports urllib.request, http.client and
email), its Secret Service backend adds secretstorage and cryptography (~12 ms), and
secretstorage's Diffie-Hellman session ~14 ms of pure-Python arithmetic: all before
`ask -p` could send its request (budget: 150 ms over `python -c pass`, DESIGN.md §8).

`read_unlocked()` answers the question keyring's Secret Service backend would, with the
same D-Bus calls minus the ones that could prompt, over jeepney (the D-Bus library that
secretstorage itself runs on), and only where keyring would surely use that backend with
its defaults (`keyring_would_use_secret_service()`): otherwise the CLI asks keyring,
exactly as the window does, so both always find the same key.

What keyring's `SecretService.Keyring().get_password(service, user)` does, and what this
does instead:
- the collection at the `default` alias (created, with a prompt, when missing) → read as
  is; a missing one is not an answer here;
- unlocked if locked (a prompt; dismissed → KeyringLocked) → a locked one is not an answer;
- SearchItems on it with {"username": user, "service": service}; the first item, unlocked
  (a prompt) and read → the first item, read only if it is not locked;
- the secret decoded as UTF-8.
Whatever is not an answer (locked, missing, an error, a stuck bus) returns None, and the
caller asks keyring, whose prompts and errors then say what they always said.

The secret travels in the Secret Service's `plain` session (defined by the specification)
rather than the Diffie-Hellman one, whose AES needs cryptography: the session bus is this
user's own socket, and any process that could watch it runs as this user and could just
as well ask the unlocked collection for the secret. Nothing here logs or stores a secret.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .keyring_absent import only_default_backends

if TYPE_CHECKING:
    from jeepney import Message
    from jeepney.io.blocking import DBusConnection

SERVICE = "desktopchat"  # the keyring service every desktopchat entry lives under
PROXY_SUFFIX = "\x1fproxy"
BUS_NAME = "org.freedesktop.secrets"
SERVICE_PATH = "/org/freedesktop/secrets"
DEFAULT_COLLECTION = "/org/freedesktop/secrets/aliases/default"
PREFIX = "org.freedesktop.Secret."
REPLY_TIMEOUT_S = 3.0  # a stuck bus: give up here, and keyring is asked (as before)
# GetSecret waits as long as keyring's own read would: a Secret Service may ask the user
# before it hands a secret over (KeePassXC can), and giving up would only ask again.
SECRET_TIMEOUT_S: float | None = None


def proxy_entry(profile: str) -> str:
    """The keyring username under which a profile's proxy password is stored."""
    return profile + PROXY_SUFFIX


def keyring_would_use_secret_service() -> bool:
    """True only when keyring's discovery can end in nothing but its Secret Service backend
    with default properties (or in no backend, when no Secret Service answers).

    On Linux, with neither PYTHON_KEYRING_BACKEND, a keyringrc.cfg, a KEYRING_PROPERTY_*
    variable (keyring sets backend properties from them: scheme, preferred_collection),
    KWallet's or libsecret's bindings, nor a backend plugin (keyring_absent.py's checks,
    which lean to False when unsure)."""
    if "DBUS_SESSION_BUS_ADDRESS" not in os.environ:
        return False
    if any("KEYRING_PROPERTY_" in name for name in os.environ):
        return False
    return only_default_backends()


class _NoAnswer(Exception):
    """The Secret Service said something keyring would act on (prompt, create, raise)."""


def _reply(
    connection: DBusConnection, message: Message, timeout: float | None = REPLY_TIMEOUT_S
) -> tuple[Any, ...]:  # Any: jeepney's message bodies are untyped D-Bus values
    from jeepney import MessageType

    reply = connection.send_and_get_reply(message, timeout=timeout)
    if reply.header.message_type == MessageType.error:
        raise _NoAnswer("an error reply")  # no such object, locked, ...: keyring decides
    return tuple(reply.body)


def _call(
    connection: DBusConnection, path: str, interface: str, method: str,
    signature: str | None = None,
    *body: Any,  # Any: jeepney's message bodies are untyped D-Bus values
) -> tuple[Any, ...]:  # Any: jeepney's message bodies are untyped D-Bus values
    from jeepney import DBusAddress, new_method_call

    address = DBusAddress(path, BUS_NAME, PREFIX + interface)
    return _reply(connection, new_method_call(address, method, signature, body))


def _locked(connection: DBusConnection, path: str, interface: str) -> bool:
    from jeepney import DBusAddress, Properties

    message = Properties(DBusAddress(path, BUS_NAME, PREFIX + interface)).get("Locked")
    ((_signature, value),) = _reply(connection, message)
    return bool(value)


def _read_all(
    connection: DBusConnection, service: str, users: Sequence[str]
) -> dict[str, str | None]:
    from jeepney import DBusAddress, new_method_call

    if _locked(connection, DEFAULT_COLLECTION, "Collection"):
        raise _NoAnswer("locked")  # keyring would ask to unlock it (a prompt)
    _output, session = _call(connection, SERVICE_PATH, "Service", "OpenSession", "sv",
                             "plain", ("s", ""))
    try:
        found: dict[str, str | None] = {}
        for user in users:
            (paths,) = _call(connection, DEFAULT_COLLECTION, "Collection", "SearchItems",
                             "a{ss}", {"username": user, "service": service})
            if not paths:
                found[user] = None
                continue
            if _locked(connection, paths[0], "Item"):
                raise _NoAnswer("item locked")  # keyring would ask to unlock it
            item = DBusAddress(paths[0], BUS_NAME, PREFIX + "Item")
            ((_session, _parameters, value, _content_type),) = _reply(
                connection, new_method_call(item, "GetSecret", "o", (session,)),
                timeout=SECRET_TIMEOUT_S)
            try:
                found[user] = bytes(value).decode("utf-8")
            except UnicodeDecodeError:
                raise _NoAnswer("not UTF-8") from None  # keyring raises; let it say so
        return found
    finally:
        with contextlib.suppress(_NoAnswer, OSError, TimeoutError):
            _call(connection, session, "Session", "Close")  # else closed with the connection


def read_unlocked(users: Sequence[str], service: str = SERVICE) -> dict[str, str | None] | None:
    """{user: secret, or None when nothing is stored} for each of `users` under `service`,
    as keyring's Secret Service backend would read them; None when only keyring can tell
    (see the module's docstring). Call it only where keyring_would_use_secret_service()."""
    try:
        from jeepney.io.blocking import open_dbus_connection

        connection = open_dbus_connection("SESSION")
    except Exception:  # no bus, a bad address, jeepney missing: keyring says what is wrong
        return None
    try:
        return _read_all(connection, service, users)
    except Exception:  # locked, missing, an error reply, a stuck bus: keyring decides
        return None
    finally:
        connection.close()
