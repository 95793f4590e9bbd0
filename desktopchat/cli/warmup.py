"""Slow start-up work `ask` will need, begun at once on helper threads.

Two pieces take tens of milliseconds and wait mostly outside the interpreter lock, so
they overlap with importing httpx and opening the history:
- the certificate store for TLS (OpenSSL parses the CA file with the GIL released);
- the keyring backend (keyring scans installed packages for backends and asks D-Bus), or
  the certainty that there is none, found without importing keyring.
A piece that fails on its thread is simply done again, the usual way, when it is needed:
the error then surfaces where it would have anyway.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
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


def keyring_backend() -> KeyringBackend | None:
    """The backend keyring would choose; None when surely there is none (keyring_absent.py:
    then keyring itself is never imported)."""
    from desktopchat.keyring_absent import no_keyring_possible

    if no_keyring_possible():
        return None
    from desktopchat.keyring_choice import default_backend

    return default_backend()


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
    certificate store, so none is loaded."""

    def __init__(self, *, keyring: bool, url: str | None = None) -> None:
        self.plain_loopback = plain_loopback(url)
        refused = url is not None and not url.strip().lower().startswith(("http:", "https:"))
        # A URL that is refused before sending (ftp://...) needs no certificates either.
        self._tls = None if self.plain_loopback or refused else _in_thread(tls_context)
        self._keyring = _in_thread(keyring_backend) if keyring else None

    def tls(self) -> ssl.SSLContext | None:
        if self._tls is None:
            return closed_tls_context()
        try:
            return self._tls.result()
        except Exception:
            return None  # make_client builds its own and reports what is wrong

    def keyring(self) -> KeyringBackend | None:
        if self._keyring is None:
            return None
        try:
            return self._keyring.result()
        except Exception:
            return None  # SecretStore resolves the keyring itself and words the problem

    def wait(self, timeout: float = EXIT_WAIT_S) -> None:
        """Let unfinished pieces end before the process does: a daemon thread still inside
        OpenSSL or D-Bus while the interpreter shuts down crashed it now and then (exit -11
        instead of 2 after a quick usage error)."""
        for piece in (self._tls, self._keyring):
            if piece is not None:
                piece.wait(timeout)

    def keyring_absent(self) -> bool:
        """True when no keyring can work here: nothing to ask (keyring_absent.py)."""
        if self._keyring is None:
            return False
        try:
            return self._keyring.result() is None
        except Exception:
            return False
