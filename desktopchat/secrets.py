"""The OS keyring wrapper: where API keys and proxy passwords are read and written.

(The one other reader is secret_service_read.py: `desktopchat ask` reads a profile's key
from an unlocked Secret Service without importing keyring, where keyring would read it
from there anyway.)

Entries live under service `desktopchat`: the API key of a profile under the profile's
name, its proxy password under `<profile>\\x1fproxy` (a control character cannot appear in
a profile name, so the two can never collide).

There is deliberately no plaintext fallback: with no usable keyring every call raises
SecretStoreError with a message naming the problem and the fix, and the app may keep a
key for this run only (`use_for_this_run`), in memory.

Nothing here ever logs or formats a key: log lines carry profile names and exception
types only, and backend exception texts are scrubbed of the secret before they are shown.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TypeVar

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from .errors import SecretStoreError
from .keyring_absent import NO_SERVICE, NO_SERVICE_FIX
from .keyring_choice import default_backend
from .redact import redact
from .secret_service_read import SERVICE, proxy_entry

_PROBE_USER = "\x1fdesktopchat-probe"

NULL_BACKEND = (
    "The keyring is set to the 'null' backend, which silently throws keys away. "
    "Remove that setting (PYTHON_KEYRING_BACKEND or keyringrc.cfg) and install and unlock "
    "a Secret Service such as GNOME Keyring or KWallet, or use a key for this run only."
)
DISMISSED = (
    "The keyring asked for its password and the prompt was closed without an answer, so "
    "the key could not be read or stored. Try again and answer the prompt (it may be behind "
    "other windows), or use a key for this run only."
)
LOCKED = (
    "The keyring is locked. Unlock it (log in to your desktop session, or use Seahorse or "
    "KWallet Manager) and try again, or use a key for this run only."
)

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class KeyringStatus:
    usable: bool
    backend_name: str
    problem: str | None = None


def mcp_header_entry(server: str, header: str) -> str:
    """The keyring username under which an MCP server's secret header value is stored.
    Server names cannot hold '/', so these never meet a profile's entries by accident."""
    return f"mcp-header/{server}/{header.lower()}"


def _backend_name(backend: KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


# What people call each keyring backend; the class path means nothing to most of them.
_KEYRING_LABELS = {
    "keyring.backends.SecretService.Keyring": "GNOME Keyring (Secret Service)",
    "keyring.backends.libsecret.Keyring": "GNOME Keyring (libsecret)",
    "keyring.backends.kwallet.DBusKeyring": "KDE Wallet",
    "keyring.backends.kwallet.DBusKeyringKWallet4": "KDE Wallet 4",
    "keyring.backends.macOS.Keyring": "macOS Keychain",
    "keyring.backends.Windows.WinVaultKeyring": "Windows Credential Manager",
    "keyring.backends.chainer.ChainerBackend": "the system keyring",
    "keyring.backends.fail.Keyring": "no keyring",
    "keyring.backends.null.Keyring": "the null keyring (throws keys away)",
}


def keyring_label(backend_name: str) -> str:
    """A human name for a backend's class path; unknown backends show their class name."""
    return _KEYRING_LABELS.get(backend_name, backend_name.rsplit(".", 1)[-1])


def _unusable_reason(backend: KeyringBackend) -> str | None:
    """Why this backend cannot keep a key, judged from its type alone (no I/O)."""
    if isinstance(backend, fail.Keyring):
        return NO_SERVICE
    if isinstance(backend, null.Keyring):
        return NULL_BACKEND
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return NO_SERVICE
    return None


def _prompt_dismissed(exc: BaseException) -> bool:
    """True when the Secret Service's prompt (unlock, or create a new keyring) was dismissed.

    keyring wraps secretstorage's PromptDismissedException in InitError, which read as if
    no keyring were installed at all."""
    seen: BaseException | None = exc
    for _ in range(8):  # the cause chain, bounded
        if seen is None:
            return False
        if type(seen).__name__ == "PromptDismissedException" or "prompt dismissed" in str(
            seen
        ).lower():
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _translate(exc: BaseException, action: str, secret: str | None) -> SecretStoreError:
    """A plain message for whatever the backend raised; never includes the secret."""
    if _prompt_dismissed(exc):
        return SecretStoreError(DISMISSED)
    if isinstance(exc, keyring.errors.KeyringLocked):
        return SecretStoreError(LOCKED)
    if isinstance(exc, keyring.errors.NoKeyringError):
        return SecretStoreError(NO_SERVICE)
    detail = redact(str(exc), secret).strip() or type(exc).__name__
    if isinstance(exc, keyring.errors.InitError):
        return SecretStoreError(f"The keyring could not be opened ({detail}). " + NO_SERVICE_FIX)
    lowered = detail.lower()
    if "accessdenied" in lowered or "refused" in lowered or "not allowed" in lowered:
        return SecretStoreError(
            f"The keyring refused to {action} ({detail}). Allow desktopchat to use it, "
            "or unlock it, or use a key for this run only."
        )
    return SecretStoreError(
        f"The keyring failed to {action} ({type(exc).__name__}: {detail}). " + NO_SERVICE_FIX
    )


class SecretStore:
    """API keys and proxy passwords per profile, in the OS keyring (or memory for one run)."""

    def __init__(self, backend: KeyringBackend | None = None, *, service: str = SERVICE) -> None:
        self._backend = backend
        self._service = service
        self._run_keys: dict[str, str] = {}
        self._run_proxy_passwords: dict[str, str] = {}
        self._reads: dict[str, Future[str | None]] = {}  # key reads still running
        self._reads_lock = threading.RLock()  # a finished read may clean up at once

    # -- the backend -------------------------------------------------------------------

    def _resolve(self) -> KeyringBackend:
        if self._backend is None:
            try:
                self._backend = default_backend()
            except Exception as exc:  # keyring's own start-up may fail in odd environments
                log.warning("keyring start-up failed: %s", type(exc).__name__)
                self._backend = fail.Keyring()  # type: ignore[no-untyped-call]
        return self._backend

    def status(self) -> KeyringStatus:
        """What kind of backend is in use and whether it can keep keys. Does no I/O."""
        backend = self._resolve()
        problem = _unusable_reason(backend)
        return KeyringStatus(problem is None, _backend_name(backend), problem)

    def check(self) -> KeyringStatus:
        """`status()` plus a real write, read and delete of a throwaway entry."""
        current = self.status()
        if not current.usable:
            return current
        probe = "desktopchat keyring probe"
        try:
            backend = self._resolve()
            backend.set_password(self._service, _PROBE_USER, probe)
            read_back = backend.get_password(self._service, _PROBE_USER)
            backend.delete_password(self._service, _PROBE_USER)
        except Exception as exc:
            problem = _translate(exc, "store", None).message
            return KeyringStatus(False, current.backend_name, problem)
        if read_back != probe:
            return KeyringStatus(
                False,
                current.backend_name,
                "The keyring accepted a test entry but did not give it back. " + NO_SERVICE_FIX,
            )
        return current

    def _call(self, action: str, secret: str | None, operation: Callable[[], T]) -> T:
        problem = _unusable_reason(self._resolve())
        if problem is not None:
            raise SecretStoreError(problem)
        try:
            return operation()
        except Exception as exc:
            log.warning("keyring could not %s: %s", action, type(exc).__name__)
            raise _translate(exc, action, secret) from None

    def _get(self, user: str) -> str | None:
        backend = self._resolve()
        return self._call("read a key", None, lambda: backend.get_password(self._service, user))

    def _set(self, user: str, secret: str) -> None:
        backend = self._resolve()
        self._call("store a key", secret, lambda: backend.set_password(self._service, user, secret))

    def _delete(self, user: str) -> None:
        backend = self._resolve()

        def delete() -> None:
            # Nothing stored means deleting is already done.
            with contextlib.suppress(keyring.errors.PasswordDeleteError):
                backend.delete_password(self._service, user)

        self._call("delete a key", None, delete)

    # -- off the caller's thread ---------------------------------------------------------
    # A Secret Service may show a password prompt (a locked or brand-new keyring) and block
    # until it is answered, or hang on a stuck D-Bus. The window asks through these, so it
    # keeps painting; each runs on its own daemon thread, so a read that never returns
    # cannot keep the app from exiting either.

    @staticmethod
    def _in_background(work: Callable[[], T]) -> Future[T]:
        future: Future[T] = Future()

        def run() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                future.set_result(work())
            except BaseException as exc:  # handed to whoever waits on the future
                future.set_exception(exc)

        threading.Thread(target=run, name="desktopchat-keyring", daemon=True).start()
        return future

    def status_soon(self) -> Future[KeyringStatus]:
        """`status()` on a worker thread (finding the backend may talk to D-Bus)."""
        return self._in_background(self.status)

    def key_soon(self, profile: str) -> Future[str | None]:
        """`get_key(profile)` on a worker thread. A read that is still running (a prompt is
        open) is shared, so asking again never opens a second prompt."""
        if profile in self._run_keys:
            done: Future[str | None] = Future()
            done.set_result(self._run_keys[profile])
            return done
        with self._reads_lock:
            pending = self._reads.get(profile)
            if pending is None:
                pending = self._in_background(lambda: self.get_key(profile))
                self._reads[profile] = pending
                pending.add_done_callback(lambda _f: self._forget_read(profile, pending))
        return pending

    def proxy_password_soon(self, profile: str) -> Future[str | None]:
        """`get_proxy_password(profile)` on a worker thread."""
        return self._in_background(lambda: self.get_proxy_password(profile))

    def _forget_read(self, profile: str, read: Future[str | None]) -> None:
        with self._reads_lock:
            if self._reads.get(profile) is read:
                del self._reads[profile]

    # -- API keys ----------------------------------------------------------------------

    def get_key(self, profile: str) -> str | None:
        """The key for `profile`: a key for this run first, else the keyring's, else None."""
        if profile in self._run_keys:
            return self._run_keys[profile]
        return self._get(profile)

    def set_key(self, profile: str, key: str) -> None:
        """Store `key` in the keyring (an empty key deletes the entry)."""
        if not key:
            self.delete_key(profile)
            return
        self._set(profile, key)
        self._run_keys.pop(profile, None)  # the stored key wins from now on
        log.info("stored the API key of profile %r", profile)

    def delete_key(self, profile: str) -> None:
        self._run_keys.pop(profile, None)
        self._delete(profile)

    def use_for_this_run(self, profile: str, key: str) -> None:
        """Keep `key` in memory only; `get_key` returns it until the app exits."""
        self._run_keys[profile] = key

    def has_run_only_key(self, profile: str) -> bool:
        return profile in self._run_keys

    # -- proxy passwords ---------------------------------------------------------------

    def get_proxy_password(self, profile: str) -> str | None:
        if profile in self._run_proxy_passwords:
            return self._run_proxy_passwords[profile]
        return self._get(proxy_entry(profile))

    def set_proxy_password(self, profile: str, password: str) -> None:
        if not password:
            self.delete_proxy_password(profile)
            return
        self._set(proxy_entry(profile), password)
        self._run_proxy_passwords.pop(profile, None)

    def delete_proxy_password(self, profile: str) -> None:
        self._run_proxy_passwords.pop(profile, None)
        self._delete(proxy_entry(profile))

    def use_proxy_password_for_this_run(self, profile: str, password: str) -> None:
        self._run_proxy_passwords[profile] = password

    # -- MCP servers' secret headers --------------------------------------------------

    def get_mcp_header(self, server: str, header: str) -> str | None:
        return self._get(mcp_header_entry(server, header))

    def set_mcp_header(self, server: str, header: str, value: str) -> None:
        if not value:
            self._delete(mcp_header_entry(server, header))
            return
        self._set(mcp_header_entry(server, header), value)

    def delete_mcp_headers(self, server: str, headers: Iterable[str]) -> None:
        for header in headers:
            self._delete(mcp_header_entry(server, header))

    # -- whole profiles ----------------------------------------------------------------

    def rename_profile(self, old: str, new: str) -> None:
        """Move the key and the proxy password of `old` to `new`.

        Each secret is written under the new name before the old entry is deleted, so a
        failure part-way leaves it readable under at least one of the names.
        """
        if old == new:
            return
        for memory in (self._run_keys, self._run_proxy_passwords):
            if old in memory:
                memory[new] = memory.pop(old)
        if not self.status().usable:
            return  # only run-only secrets exist; they have moved
        for old_user, new_user in ((old, new), (proxy_entry(old), proxy_entry(new))):
            secret = self._get(old_user)
            if secret is None:
                continue
            self._set(new_user, secret)
            self._delete(old_user)
        log.info("moved the secrets of profile %r to %r", old, new)

    def delete_profile(self, profile: str) -> None:
        """Forget the key and the proxy password of a deleted profile."""
        self.delete_key(profile)
        self.delete_proxy_password(profile)
        log.info("deleted the secrets of profile %r", profile)
