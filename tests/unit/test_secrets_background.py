"""Keyring reads off the caller's thread, and the message for a dismissed prompt."""

from __future__ import annotations

import keyring.errors
import pytest
import secretstorage.exceptions

from desktopchat.errors import SecretStoreError
from desktopchat.secrets import DISMISSED, LOCKED, SecretStore
from tests.support.secrets_fixtures import BrokenKeyring, PromptingKeyring

# Failing keyrings are what these tests use; each failure logs a warning.
pytestmark = pytest.mark.expected_log(r"desktopchat\.secrets: keyring ")


def dismissed_init_error() -> keyring.errors.InitError:
    """What keyring's SecretService raises when the new-keyring prompt is dismissed."""
    try:
        try:
            raise secretstorage.exceptions.PromptDismissedException("Prompt dismissed.")
        except secretstorage.exceptions.PromptDismissedException as exc:
            raise keyring.errors.InitError(f"Failed to create the collection: {exc}.") from exc
    except keyring.errors.InitError as error:
        return error


def test_a_dismissed_prompt_is_not_reported_as_a_missing_keyring() -> None:
    secrets = SecretStore(BrokenKeyring(dismissed_init_error()))
    with pytest.raises(SecretStoreError) as info:
        secrets.get_key("p")
    assert info.value.message == DISMISSED
    assert "Install" not in info.value.message


def test_a_locked_keyring_keeps_its_own_message() -> None:
    secrets = SecretStore(BrokenKeyring(keyring.errors.KeyringLocked("Failed to unlock")))
    with pytest.raises(SecretStoreError) as info:
        secrets.get_key("p")
    assert info.value.message == LOCKED


def test_key_soon_shares_a_read_that_is_still_waiting_for_its_prompt() -> None:
    backend = PromptingKeyring()
    backend.set_password("desktopchat", "p", "sk-shared")
    secrets = SecretStore(backend)
    first = secrets.key_soon("p")
    assert backend.asked.wait(timeout=20)
    assert secrets.key_soon("p") is first  # no second prompt
    assert not first.done()
    backend.answer()
    assert first.result(timeout=20) == "sk-shared"
    assert secrets.key_soon("p") is not first  # the next send reads again


def test_key_soon_hands_over_a_run_only_key_without_the_keyring() -> None:
    backend = PromptingKeyring()
    secrets = SecretStore(backend)
    secrets.use_for_this_run("p", "sk-run")
    assert secrets.key_soon("p").result(timeout=0) == "sk-run"
    assert not backend.asked.is_set()


def test_key_soon_carries_the_keyring_error() -> None:
    backend = PromptingKeyring()
    secrets = SecretStore(backend)
    read = secrets.key_soon("p")
    backend.dismiss()
    with pytest.raises(SecretStoreError) as info:
        read.result(timeout=20)
    assert info.value.message == DISMISSED
