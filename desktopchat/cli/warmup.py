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


class Warmup:
    """Started by `ask` and `regenerate` before anything else; results are read when needed."""

    def __init__(self, *, keyring: bool) -> None:
        self._tls = _in_thread(tls_context)
        self._keyring = _in_thread(keyring_backend) if keyring else None

    def tls(self) -> ssl.SSLContext | None:
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
