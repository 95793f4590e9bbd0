"""`ask -p` and the keyring as real processes: the key the window stored is the key sent.

Where keyring could only use the Secret Service with its defaults, `ask` reads the key from
an unlocked Secret Service without loading keyring, secretstorage or cryptography
(secret_service_read.py); anything else (a keyring setting, a locked keyring) goes through
keyring as the window does, with the messages it always had.
"""

from __future__ import annotations

import shlex
import sys
import uuid
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend

from desktopchat.secrets import LOCKED, SecretStore
from desktopchat.settings import ProxySettings
from tests.support.cli_process import (
    cli_env,
    history,
    loopback_profile,
    run_cli,
    run_probed,
    save_profiles,
)
from tests.support.loopback import LoopbackServer, ScriptedResponse
from tests.support.private_keyring import LOCK, STORE, run_in_private_keyring
from tests.support.sse_script import chat_chunk, sse_body
from tests.unit.test_proxy import HttpForwardProxy, remote_url

KEY = "sk-cli-keyring-" + "7" * 24
KEYRING_MODULES = ("keyring", "secretstorage", "cryptography")


def keyed_profile(base: Path, server: LoopbackServer) -> str:
    """A saved profile that needs a key (so a missing one is refused), at the loopback."""
    name = f"cli-{uuid.uuid4().hex[:8]}"  # the shared keyring's `desktopchat` service
    save_profiles(base, loopback_profile(server.url(), name=name, preset="openai"))
    return name


@pytest.mark.keyring_real
def test_ask_p_sends_the_stored_key_without_loading_keyring(
    tmp_path: Path, loopback_server: LoopbackServer, real_secret_service: object
) -> None:
    base = tmp_path / "portable"
    name = keyed_profile(base, loopback_server)
    stored = run_cli("key", "set", name, "--basedir", str(base), input=KEY + "\n")
    assert stored.returncode == 0, stored.stderr
    try:
        loopback_server.enqueue(
            ScriptedResponse(pieces=[sse_body(chat_chunk("ok", finish="stop"))]))
        done = run_probed("ask", "--basedir", str(base), "-p", name, "hi")
        assert done.code == 0, done.stderr
        assert done.stdout == "ok\n"
        assert loopback_server.requests[0].headers["authorization"] == f"Bearer {KEY}"
        assert done.loaded(*KEYRING_MODULES) == []
    finally:
        assert run_cli("key", "delete", name, "--basedir", str(base)).returncode == 0


@pytest.mark.keyring_real
def test_the_proxy_password_is_read_ahead_with_the_key(
    tmp_path: Path, loopback_server: LoopbackServer, real_secret_service: KeyringBackend
) -> None:
    """A custom proxy with a user: its password comes from the keyring like the key, in the
    same read, and the proxy lets the request through."""
    proxy = HttpForwardProxy(user="proxyuser", password="proxy pw ✓")
    proxy.start()
    base = tmp_path / "portable"
    name = f"cli-{uuid.uuid4().hex[:8]}"
    settings = ProxySettings(mode="custom", url=f"http://proxyuser@127.0.0.1:{proxy.port}")
    save_profiles(base, loopback_profile(
        remote_url(loopback_server), name=name, preset="openai", proxy=settings,
        allow_insecure_http=True))  # the toy chain is plain http end to end
    secrets = SecretStore(real_secret_service)
    try:
        secrets.set_key(name, KEY)
        secrets.set_proxy_password(name, "proxy pw ✓")
        loopback_server.enqueue(
            ScriptedResponse(pieces=[sse_body(chat_chunk("via proxy", finish="stop"))]))
        done = run_probed("ask", "--basedir", str(base), "-p", name, "hi")
        assert done.code == 0, done.stderr
        assert done.stdout == "via proxy\n"
        assert (proxy.refused, proxy.used) == (0, [remote_url(loopback_server)])
        assert loopback_server.requests[0].headers["authorization"] == f"Bearer {KEY}"
        assert done.loaded(*KEYRING_MODULES) == []
    finally:
        secrets.delete_profile(name)
        proxy.close()


@pytest.mark.keyring_real
def test_a_keyring_setting_is_followed_even_when_the_secret_service_has_the_key(
    tmp_path: Path, loopback_server: LoopbackServer, real_secret_service: object
) -> None:
    """PYTHON_KEYRING_BACKEND names the fail backend: the window would find no keyring, so
    `ask` must not send the key the Secret Service happens to hold."""
    base = tmp_path / "portable"
    name = keyed_profile(base, loopback_server)
    stored = run_cli("key", "set", name, "--basedir", str(base), input=KEY + "\n")
    assert stored.returncode == 0, stored.stderr
    try:
        refused = run_probed("ask", "--basedir", str(base), "-p", name, "hi",
                             env=cli_env(PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring"))
        assert refused.code == 1
        [line] = refused.stderr.splitlines()
        assert line.startswith("desktopchat: error: No keyring service is running.")
        assert "keyring" in refused.loaded("keyring")  # asked keyring, as the window does
        assert loopback_server.requests == []
    finally:
        assert run_cli("key", "delete", name, "--basedir", str(base)).returncode == 0


def test_a_locked_keyring_is_left_to_keyring_and_said_in_one_line(
    tmp_path: Path, loopback_server: LoopbackServer
) -> None:
    """The read-ahead never prompts: it leaves a locked keyring to keyring, whose unlock
    prompt fails here (no display) and whose error is said as before; nothing is sent."""
    base = tmp_path / "portable"
    name = keyed_profile(base, loopback_server)
    python = shlex.quote(sys.executable)
    script = " && ".join([
        f"{python} -c {shlex.quote(STORE)} {shlex.quote(name)}",
        f"{python} -c {shlex.quote(LOCK)}",
        f"exec {python} -m desktopchat ask --basedir {shlex.quote(str(base))} -p "
        f"{shlex.quote(name)} hi 2>\"$SANDBOX/cli.err\"",
    ])
    script = f"({script}); status=$?; cat \"$SANDBOX/cli.err\" >&2; exit $status"
    done = run_in_private_keyring(script, env=cli_env(KEY=KEY))
    cli_lines = [line for line in done.stderr.splitlines() if line.startswith("desktopchat")]
    assert done.returncode == 1, done.stderr
    assert cli_lines == [f"desktopchat: error: {LOCKED} Or pass the key in an environment "
                         "variable: --key-from-env VAR."]
    assert loopback_server.requests == []
    with history(base) as store:
        assert store.count_conversations() == 0  # refused before anything was written
