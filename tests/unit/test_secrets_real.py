"""SecretStore against a real Secret Service (gnome-keyring-daemon in dbus-run-session).

Run with `bash scripts/test.sh tests/unit/test_secrets_real.py`; without the private
Secret Service these skip (or fail under DESKTOPCHAT_REQUIRE_SECRET_SERVICE=1).
"""

from __future__ import annotations

import pytest
from keyring.backend import KeyringBackend

from desktopchat.secrets import SecretStore

pytestmark = pytest.mark.keyring_real

KEY = "sk-real-0123456789"


@pytest.fixture
def store(real_secret_service: KeyringBackend, real_service_name: str) -> SecretStore:
    return SecretStore(real_secret_service, service=real_service_name)


def test_status_and_check(store: SecretStore) -> None:
    assert store.status().usable
    checked = store.check()
    assert checked.usable, checked.problem
    assert "SecretService" in checked.backend_name


def test_set_get_delete(store: SecretStore) -> None:
    assert store.get_key("work") is None
    store.set_key("work", KEY)
    assert store.get_key("work") == KEY
    store.set_key("work", KEY + "-replaced")
    assert store.get_key("work") == KEY + "-replaced"
    store.delete_key("work")
    assert store.get_key("work") is None
    store.delete_key("work")


def test_rename_moves_key_and_proxy_password(store: SecretStore) -> None:
    store.set_key("before", KEY)
    store.set_proxy_password("before", "proxy-pw")
    store.rename_profile("before", "after")
    assert store.get_key("after") == KEY
    assert store.get_proxy_password("after") == "proxy-pw"
    assert store.get_key("before") is None
    assert store.get_proxy_password("before") is None


def test_proxy_password_and_delete_profile(store: SecretStore) -> None:
    store.set_key("p", KEY)
    store.set_proxy_password("p", "proxy-pw")
    assert store.get_proxy_password("p") == "proxy-pw"
    assert store.get_key("p") == KEY
    store.delete_profile("p")
    assert store.get_key("p") is None and store.get_proxy_password("p") is None


def test_unicode_key_round_trips(store: SecretStore) -> None:
    store.set_key("ünï", "ключ-🔑")
    assert store.get_key("ünï") == "ключ-🔑"
