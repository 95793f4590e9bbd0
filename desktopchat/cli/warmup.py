"""Slow start-up work `ask` will need, begun at once on helper threads.

Two pieces take tens of milliseconds and wait mostly outside the interpreter lock, so
they overlap with importing httpx and opening the history:
- the certificate store for TLS (OpenSSL parses the CA file with the GIL released);
- the keyring backend (keyring scans installed packages for backends and asks D-Bus).
A piece that fails on its thread is simply done again, the usual way, when it is needed:
the error then surfaces where it would have anyway.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    import ssl

    from keyring.backend import KeyringBackend


T = TypeVar("T")


def _in_thread(work: Callable[[], T]) -> Future[T]:
    future: Future[T] = Future()

    def run() -> None:
        try:
            future.set_result(work())
        except BaseException as exc:  # handed to whoever asks for the result
            future.set_exception(exc)

    threading.Thread(target=run, name=f"warmup-{work.__name__}", daemon=True).start()
    return future


def tls_context() -> ssl.SSLContext:
    """httpx.create_ssl_context(trust_env=True), without importing httpx (so it starts first)."""
    import ssl

    if os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    if os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def keyring_backend() -> KeyringBackend:
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
        self._tls = None if self.plain_loopback else _in_thread(tls_context)
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
