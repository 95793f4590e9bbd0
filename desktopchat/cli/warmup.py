"""Slow start-up work `ask` will need, begun at once on helper threads.

Two pieces take tens of milliseconds and wait mostly outside the interpreter lock, so
they overlap with importing httpx and opening the history:
- the certificate store for TLS (OpenSSL parses the CA file with the GIL released);
- the profile's key (and proxy password) read from an unlocked Secret Service without
  keyring (secret_service_read.py) where keyring would use it; else the keyring backend
  (keyring scans installed packages for backends and asks D-Bus), or the certainty that
  there is none, found without importing keyring.
A piece that fails on its thread is simply done again, the usual way, when it is needed:
the error then surfaces where it would have anyway.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    import ssl

    from keyring.backend import KeyringBackend


T = TypeVar("T")
EXIT_WAIT_S = 5.0  # a stuck D-Bus must not keep the command from ending


class _Later(Generic[T]):
    """What `work` gives on its own thread (concurrent.futures would import logging)."""

    def __init__(self, work: Callable[[], T]) -> None:
        self._work = work
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=f"warmup-{work.__name__}",
                                         daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._work()
        except BaseException as exc:  # handed to whoever asks for the result
            self._error = exc

    def wait(self, timeout: float) -> None:
        self._thread.join(timeout)

    def result(self) -> T:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]  # set when no error was


def _in_thread(work: Callable[[], T]) -> _Later[T]:
    return _Later(work)


def tls_context() -> ssl.SSLContext:
    """httpx.create_ssl_context(trust_env=True), without importing httpx (so it starts first)."""
    import ssl

    if os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    if os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


@dataclass(frozen=True)
class KeyringFound:
    """What the keyring thread found: no keyring possible, secrets read without keyring,
    or the backend keyring chose (then the secrets are read from it when needed)."""

    absent: bool = False
    stored: dict[str, str | None] = field(default_factory=dict, repr=False)
    backend: KeyringBackend | None = None


def keyring_read(entries: Sequence[str] = ()) -> KeyringFound:
    """The entries (keyring usernames) read ahead where an unlocked Secret Service answers
    for keyring; else the backend keyring would choose; absent when surely there is none
    (keyring_absent.py). keyring itself is imported only in the last case."""
    from desktopchat.keyring_absent import no_keyring_possible

    if no_keyring_possible():
        return KeyringFound(absent=True)
    if entries:
        from desktopchat.secret_service_read import (
            keyring_would_use_secret_service,
            read_unlocked,
        )

        if keyring_would_use_secret_service():
            stored = read_unlocked(entries)
            if stored is not None:
                return KeyringFound(stored=stored)
    from desktopchat.keyring_choice import default_backend

    return KeyringFound(backend=default_backend())


def closed_tls_context() -> ssl.SSLContext:
    """For a request that cannot use TLS (plain http to this machine, which no proxy ever
    sees): no certificate store is loaded (~40 ms of CPU). It trusts no certificate, so a
    TLS handshake with it would fail, never pass unchecked."""
    import ssl

    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def plain_loopback(url: str | None) -> bool:
    """An http:// URL to this machine: core.transport.is_loopback_host's rule (localhost,
    127.0.0.0/8, ::1), restated with the standard library so that deciding costs no
    import of httpx (a test checks the two agree)."""
    import ipaddress
    from urllib.parse import urlsplit

    try:
        parts = urlsplit((url or "").strip())
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return False
    if parts.scheme.lower() != "http":
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Warmup:
    """Started by `ask` and `regenerate` before anything else; results are read when needed.

    `url`: the endpoint when already known (--url); plain http to this machine needs no
    certificate store, so none is loaded. `entries`: the keyring entries the request will
    likely need (the profile's key, its proxy password), read ahead when possible."""

    def __init__(
        self, *, keyring: bool, url: str | None = None, entries: Sequence[str] = ()
    ) -> None:
        self.plain_loopback = plain_loopback(url)
        refused = url is not None and not url.strip().lower().startswith(("http:", "https:"))
        # A URL that is refused before sending (ftp://...) needs no certificates either.
        self._tls = None if self.plain_loopback or refused else _in_thread(tls_context)
        wanted = tuple(entries)

        def read_keyring() -> KeyringFound:  # its name names the thread
            return keyring_read(wanted)

        self._keyring = _in_thread(read_keyring) if keyring else None

    def tls(self) -> ssl.SSLContext | None:
        if self._tls is None:
            return closed_tls_context()
        try:
            return self._tls.result()
        except Exception:
            return None  # make_client builds its own and reports what is wrong

    def _found(self) -> KeyringFound:
        if self._keyring is None:
            return KeyringFound()
        try:
            return self._keyring.result()
        except Exception:
            return KeyringFound()  # SecretStore resolves the keyring itself and words it

    def keyring(self) -> KeyringBackend | None:
        """The backend keyring chose, if the thread had to ask it (None: SecretStore asks)."""
        return self._found().backend

    def stored(self) -> dict[str, str | None]:
        """The entries read ahead ({} when they were not): user -> secret or None."""
        return self._found().stored

    def wait(self, timeout: float = EXIT_WAIT_S) -> None:
        """Let unfinished pieces end before the process does: a daemon thread still inside
        OpenSSL or D-Bus while the interpreter shuts down crashed it now and then (exit -11
        instead of 2 after a quick usage error)."""
        for piece in (self._tls, self._keyring):
            if piece is not None:
                piece.wait(timeout)

    def keyring_absent(self) -> bool:
        """True when no keyring can work here: nothing to ask (keyring_absent.py)."""
        return self._found().absent
