"""secret_service_read: what keyring's Secret Service backend reads, read without keyring.

Against the private gnome-keyring that /work/tools/pt and scripts/test.sh start: every
entry is written by keyring's own backend and must read back the same; and the shortcut
is allowed only where keyring's discovery could choose nothing else.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend

from desktopchat import keyring_absent
from desktopchat.secret_service_read import (
    keyring_would_use_secret_service,
    proxy_entry,
    read_unlocked,
)

KEY = "sk-read-ahead-0123456789"


@pytest.mark.keyring_real
def test_it_reads_what_keyring_stored_and_none_for_what_is_missing(
    real_secret_service: KeyringBackend, real_service_name: str
) -> None:
    real_secret_service.set_password(real_service_name, "work", KEY)
    real_secret_service.set_password(real_service_name, proxy_entry("work"), "pröxy pw ✓")
    users = ["work", proxy_entry("work"), "nobody"]
    found = read_unlocked(users, service=real_service_name)
    assert found == {"work": KEY, proxy_entry("work"): "pröxy pw ✓", "nobody": None}
    assert found == {user: real_secret_service.get_password(real_service_name, user)
                     for user in users}


@pytest.mark.keyring_real
def test_a_replaced_key_reads_as_keyring_reads_it(
    real_secret_service: KeyringBackend, real_service_name: str
) -> None:
    real_secret_service.set_password(real_service_name, "work", KEY)
    real_secret_service.set_password(real_service_name, "work", KEY + "-new")
    assert read_unlocked(["work"], service=real_service_name) == {"work": KEY + "-new"}


def test_without_a_bus_only_keyring_can_tell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-bus'}")
    assert read_unlocked(["work"]) is None


@pytest.fixture
def plain_linux(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Linux with a session bus and nothing that could make keyring choose otherwise."""
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'bus'}")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    for name in [name for name in os.environ if "KEYRING_PROPERTY_" in name]:
        monkeypatch.delenv(name)
    monkeypatch.setattr(keyring_absent, "plugins_possible", lambda: False)
    return tmp_path


def test_the_shortcut_is_taken_where_keyring_could_choose_only_the_secret_service(
    plain_linux: Path,
) -> None:
    assert keyring_would_use_secret_service()


@pytest.mark.parametrize("setting", [
    "PYTHON_KEYRING_BACKEND", "KEYRING_PROPERTY_SCHEME", "KEYRING_PROPERTY_PREFERRED_COLLECTION",
    "keyringrc.cfg", "a plugin", "KWallet's bindings", "no session bus", "macOS",
])  # fmt: skip
def test_anything_that_could_change_keyrings_answer_means_asking_keyring(
    plain_linux: Path, monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    if setting.isupper():
        monkeypatch.setenv(setting, "KeePassXC")  # set at all: keyring reads it
    elif setting == "keyringrc.cfg":
        config = plain_linux / "python_keyring" / "keyringrc.cfg"
        config.parent.mkdir()
        config.write_text("[backend]\ndefault-keyring=keyring.backends.SecretService.Keyring\n")
    elif setting == "a plugin":
        monkeypatch.setattr(keyring_absent, "plugins_possible", lambda: True)
    elif setting == "KWallet's bindings":
        monkeypatch.setattr(keyring_absent, "ALTERNATIVE_BINDINGS", ("json",))  # importable
    elif setting == "no session bus":
        monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS")
    else:
        monkeypatch.setattr(sys, "platform", "darwin")
    assert not keyring_would_use_secret_service()
