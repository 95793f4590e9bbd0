"""Keyring fixtures: isolated in-memory backends, broken ones, and a real Secret Service.

None of these ever touches the user's own keyring: the in-memory backends keep a dict,
and the real Secret Service is only used when the test command started a private one
(DESKTOPCHAT_SECRET_SERVICE=1, set by scripts/test.sh inside dbus-run-session).
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import closing

import keyring.errors
import pytest
import secretstorage.exceptions
from keyring.backend import KeyringBackend
from keyring.backends import fail, null

from desktopchat.secrets import SecretStore


class MemoryKeyring(KeyringBackend):
    """A keyring in a dict. Behaves like the Secret Service backend for missing entries."""

    # Below the fail (0) and null (-1) backends: keyring registers every subclass, and this
    # one must never become the process's default keyring by accident.
    priority = -10  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("No such password!")


class LockedKeyring(MemoryKeyring):
    """A Secret Service whose collection stays locked (the user dismissed the prompt)."""

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")


class PromptingKeyring(MemoryKeyring):
    """A Secret Service whose reads wait for a password prompt: each get_password blocks
    until the test answers (`answer()`) or dismisses it (`dismiss()`), as a locked or a
    brand-new GNOME Keyring does. `asked` is set once a read is waiting."""

    def __init__(self) -> None:
        super().__init__()
        self.asked = threading.Event()
        self._answered = threading.Event()
        self._dismissed = False

    def answer(self) -> None:
        self._answered.set()

    def dismiss(self) -> None:
        self._dismissed = True
        self._answered.set()

    def get_password(self, service: str, username: str) -> str | None:
        self.asked.set()
        self._answered.wait(timeout=60)  # bounded: a forgotten test must not hang forever
        if self._dismissed:
            # What keyring's SecretService backend raises when creating the default
            # collection is dismissed: InitError caused by PromptDismissedException.
            try:
                raise secretstorage.exceptions.PromptDismissedException("Prompt dismissed.")
            except secretstorage.exceptions.PromptDismissedException as exc:
                raise keyring.errors.InitError(
                    f"Failed to create the collection: {exc}.") from exc
        return super().get_password(service, username)


class BrokenKeyring(MemoryKeyring):
    """A backend that raises `error` on every call (D-Bus refused, init failed, ...)."""

    def __init__(self, error: BaseException) -> None:
        super().__init__()
        self.error = error

    def get_password(self, service: str, username: str) -> str | None:
        raise self.error

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.error

    def delete_password(self, service: str, username: str) -> None:
        raise self.error


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def secret_store(memory_keyring: MemoryKeyring) -> SecretStore:
    return SecretStore(memory_keyring)


@pytest.fixture
def fail_keyring() -> KeyringBackend:
    return fail.Keyring()


@pytest.fixture
def null_keyring() -> KeyringBackend:
    return null.Keyring()


@pytest.fixture
def prompting_keyring() -> Iterator[PromptingKeyring]:
    backend = PromptingKeyring()
    yield backend
    backend.answer()  # never leave a worker thread waiting


@pytest.fixture
def locked_keyring() -> LockedKeyring:
    return LockedKeyring()


def _unavailable(reason: str) -> None:
    if os.environ.get("DESKTOPCHAT_REQUIRE_SECRET_SERVICE") == "1":
        pytest.fail(f"a real Secret Service is required here: {reason}")
    pytest.skip(reason)


@pytest.fixture
def real_secret_service() -> Iterator[KeyringBackend]:
    """keyring's SecretService backend talking to a private gnome-keyring-daemon.

    Yields the backend; tests should use `real_service_name` so entries never mix with
    a real `desktopchat` service. Entries left under that name are removed afterwards.
    """
    if os.environ.get("DESKTOPCHAT_SECRET_SERVICE") != "1" and (
        os.environ.get("DESKTOPCHAT_REQUIRE_SECRET_SERVICE") != "1"
    ):
        pytest.skip(
            "no private Secret Service: run through `bash scripts/test.sh`, which starts "
            "gnome-keyring-daemon in dbus-run-session and sets DESKTOPCHAT_SECRET_SERVICE=1"
        )
    try:
        from keyring.backends import SecretService

        backend = SecretService.Keyring()
        service = "desktopchat-test-probe"
        backend.set_password(service, "probe", "value")
        ok = backend.get_password(service, "probe") == "value"
        backend.delete_password(service, "probe")
    except Exception as exc:
        _unavailable(f"the Secret Service does not answer: {type(exc).__name__}: {exc}")
    if not ok:
        _unavailable("the Secret Service did not return a test entry")
    yield backend


@pytest.fixture
def real_service_name(real_secret_service: KeyringBackend) -> Iterator[str]:
    """A fresh keyring service name for one test; whatever it left behind is deleted."""
    name = f"desktopchat-test-{uuid.uuid4().hex[:8]}"
    yield name
    try:
        import secretstorage

        with closing(secretstorage.dbus_init()) as connection:
            collection = secretstorage.get_default_collection(connection)
            for item in collection.search_items({"service": name}):
                item.delete()
    except Exception:  # cleanup only; the daemon dies with the session anyway
        pass
