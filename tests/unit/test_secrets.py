"""SecretStore on isolated backends: keys per profile, broken keyrings, run-only keys, logs."""

from __future__ import annotations

import logging

import keyring.errors
import pytest
from keyring.backend import KeyringBackend

from desktopchat.errors import SecretStoreError
from desktopchat.redact import MASK
from desktopchat.secrets import SERVICE, SecretStore, proxy_entry
from tests.support.secrets_fixtures import BrokenKeyring, MemoryKeyring

# Failing keyrings are what these tests use; each failure logs a warning.
pytestmark = pytest.mark.expected_log(r"desktopchat\.secrets: keyring ")

KEY = "sk-test-0123456789abcdef"


def test_set_get_delete_key(secret_store: SecretStore, memory_keyring: MemoryKeyring) -> None:
    assert secret_store.get_key("work") is None
    secret_store.set_key("work", KEY)
    assert secret_store.get_key("work") == KEY
    assert memory_keyring.entries == {(SERVICE, "work"): KEY}
    secret_store.delete_key("work")
    assert secret_store.get_key("work") is None
    secret_store.delete_key("work")  # deleting twice is not an error


def test_empty_key_deletes_the_entry(secret_store: SecretStore) -> None:
    secret_store.set_key("work", KEY)
    secret_store.set_key("work", "")
    assert secret_store.get_key("work") is None


def test_proxy_password_is_separate_from_the_key(
    secret_store: SecretStore, memory_keyring: MemoryKeyring
) -> None:
    secret_store.set_key("work", KEY)
    secret_store.set_proxy_password("work", "proxy-pw")
    assert secret_store.get_proxy_password("work") == "proxy-pw"
    assert secret_store.get_key("work") == KEY
    assert memory_keyring.entries[(SERVICE, proxy_entry("work"))] == "proxy-pw"
    secret_store.delete_proxy_password("work")
    assert secret_store.get_proxy_password("work") is None
    assert secret_store.get_key("work") == KEY


def test_rename_moves_key_and_proxy_password(
    secret_store: SecretStore, memory_keyring: MemoryKeyring
) -> None:
    secret_store.set_key("old", KEY)
    secret_store.set_proxy_password("old", "proxy-pw")
    secret_store.set_key("other", "sk-other")
    secret_store.rename_profile("old", "new")
    assert secret_store.get_key("new") == KEY
    assert secret_store.get_proxy_password("new") == "proxy-pw"
    assert secret_store.get_key("old") is None
    assert secret_store.get_proxy_password("old") is None
    assert secret_store.get_key("other") == "sk-other"
    assert len(memory_keyring.entries) == 3


def test_rename_without_secrets_and_to_same_name(secret_store: SecretStore) -> None:
    secret_store.rename_profile("nothing", "still-nothing")
    assert secret_store.get_key("still-nothing") is None
    secret_store.set_key("same", KEY)
    secret_store.rename_profile("same", "same")
    assert secret_store.get_key("same") == KEY


def test_delete_profile_removes_both(
    secret_store: SecretStore, memory_keyring: MemoryKeyring
) -> None:
    secret_store.set_key("gone", KEY)
    secret_store.set_proxy_password("gone", "proxy-pw")
    secret_store.delete_profile("gone")
    assert memory_keyring.entries == {}


def test_usable_status_does_not_touch_the_backend(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore(memory_keyring)
    status = store.status()
    assert status.usable and status.problem is None
    assert "MemoryKeyring" in status.backend_name
    assert memory_keyring.entries == {}
    assert store.check().usable
    assert memory_keyring.entries == {}  # the probe cleans up after itself


@pytest.mark.parametrize("fixture", ["fail_keyring", "null_keyring"])
def test_fail_and_null_backends_are_unusable(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    backend: KeyringBackend = request.getfixturevalue(fixture)
    store = SecretStore(backend)
    status = store.status()
    assert not status.usable
    assert status.problem is not None and "for this run only" in status.problem
    assert not store.check().usable
    for call in (
        lambda: store.get_key("p"),
        lambda: store.set_key("p", KEY),
        lambda: store.delete_key("p"),
        lambda: store.set_proxy_password("p", "pw"),
    ):
        with pytest.raises(SecretStoreError) as info:
            call()
        assert "Secret Service" in info.value.message


def test_fail_backend_message_names_the_fix(fail_keyring: KeyringBackend) -> None:
    with pytest.raises(SecretStoreError) as info:
        SecretStore(fail_keyring).set_key("p", KEY)
    assert info.value.message == (
        "No keyring service is running. Install and unlock a Secret Service such as "
        "GNOME Keyring or KWallet, or use a key for this run only."
    )


def test_null_backend_message_says_keys_are_dropped(null_keyring: KeyringBackend) -> None:
    problem = SecretStore(null_keyring).status().problem
    assert problem is not None and "null" in problem and "throws keys away" in problem


def test_chainer_without_backends_is_unusable(monkeypatch: pytest.MonkeyPatch) -> None:
    from keyring.backends import chainer

    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    status = SecretStore(chainer.ChainerBackend()).status()
    assert not status.usable and status.problem is not None


def test_locked_keyring(locked_keyring: MemoryKeyring) -> None:
    store = SecretStore(locked_keyring)
    assert store.status().usable  # the type looks fine; only a real call finds the lock
    with pytest.raises(SecretStoreError, match=r"keyring is locked\. Unlock it"):
        store.get_key("p")
    with pytest.raises(SecretStoreError, match="locked"):
        store.set_key("p", KEY)
    checked = store.check()
    assert not checked.usable and checked.problem is not None and "locked" in checked.problem


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (keyring.errors.InitError("Failed to create the collection"), "could not be opened"),
        (keyring.errors.KeyringError("org.freedesktop.DBus.Error.AccessDenied"), "refused"),
        (RuntimeError("dbus connection closed"), "RuntimeError"),
        (keyring.errors.PasswordSetError("reason"), "failed to store"),
    ],
)
def test_backend_exceptions_become_plain_messages(error: Exception, expected: str) -> None:
    store = SecretStore(BrokenKeyring(error))
    with pytest.raises(SecretStoreError) as info:
        store.set_key("p", KEY)
    assert expected in info.value.message
    assert "for this run only" in info.value.message


def test_backend_message_never_echoes_the_key() -> None:
    store = SecretStore(BrokenKeyring(RuntimeError(f"could not store {KEY}")))
    with pytest.raises(SecretStoreError) as info:
        store.set_key("p", KEY)
    assert KEY not in info.value.message and MASK in info.value.message


def test_key_for_this_run_only(fail_keyring: KeyringBackend) -> None:
    store = SecretStore(fail_keyring)
    store.use_for_this_run("p", KEY)
    assert store.get_key("p") == KEY
    assert store.has_run_only_key("p")
    store.use_proxy_password_for_this_run("p", "pw")
    assert store.get_proxy_password("p") == "pw"
    store.rename_profile("p", "q")  # unusable keyring: only memory moves, no error
    assert store.get_key("q") == KEY and store.get_proxy_password("q") == "pw"
    with pytest.raises(SecretStoreError):
        store.get_key("p")


def test_run_only_key_wins_until_a_key_is_stored(
    secret_store: SecretStore, memory_keyring: MemoryKeyring
) -> None:
    secret_store.set_key("p", "stored")
    secret_store.use_for_this_run("p", "temporary")
    assert secret_store.get_key("p") == "temporary"
    assert memory_keyring.entries[(SERVICE, "p")] == "stored"  # never written
    secret_store.set_key("p", "new")
    assert secret_store.get_key("p") == "new"


def _discovery(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where keyring_choice's Secret Service shortcut does not apply (see its tests)."""
    monkeypatch.setattr("desktopchat.keyring_choice.only_secret_service_possible", lambda: False)


def test_default_backend_comes_from_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = MemoryKeyring()
    _discovery(monkeypatch)
    monkeypatch.setattr("keyring.get_keyring", lambda: backend)
    store = SecretStore()
    store.set_key("p", KEY)
    assert backend.entries[(SERVICE, "p")] == KEY


def test_keyring_start_up_failure_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom() -> KeyringBackend:
        raise RuntimeError("no config")

    _discovery(monkeypatch)
    monkeypatch.setattr("keyring.get_keyring", boom)
    status = SecretStore().status()
    assert not status.usable and status.problem is not None


def test_a_failing_secret_service_shortcut_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom() -> KeyringBackend:
        raise RuntimeError("D-Bus went away")

    monkeypatch.setattr("desktopchat.keyring_choice.only_secret_service_possible", lambda: True)
    monkeypatch.setattr("desktopchat.keyring_choice._secret_service_or_fail", boom)
    status = SecretStore().status()
    assert not status.usable and status.problem is not None


def test_keys_never_reach_the_log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    store = SecretStore(MemoryKeyring())
    store.set_key("p", KEY)
    store.set_proxy_password("p", "proxy-secret")
    store.get_key("p")
    store.rename_profile("p", "q")
    store.delete_profile("q")
    broken = SecretStore(BrokenKeyring(RuntimeError(KEY)))
    with pytest.raises(SecretStoreError):
        broken.set_key("p", KEY)
    assert caplog.records  # the log is not simply empty
    assert KEY not in caplog.text and "proxy-secret" not in caplog.text
