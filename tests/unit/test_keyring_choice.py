"""keyring_choice.default_backend() gives what keyring's own discovery gives, faster.

Each case runs in a fresh process (keyring caches its choice per process), side by side
with `keyring.get_keyring()` in another fresh process with the same environment: a real
Secret Service (the private gnome-keyring the test command starts), none at all,
PYTHON_KEYRING_BACKEND, and a keyringrc.cfg.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktopchat import keyring_choice

REPO = Path(__file__).resolve().parents[2]
SHOW = "print(type(b).__module__, type(b).__qualname__)"
OURS = "from desktopchat.keyring_choice import default_backend; b = default_backend(); " + SHOW
KEYRINGS = "import keyring; b = keyring.get_keyring(); " + SHOW
STATUS = "from desktopchat.secrets import SecretStore; print(SecretStore().status().problem)"


def run(code: str, **env: str | None) -> str:
    environment = dict(os.environ, PYTHONPATH=str(REPO))  # `env` may replace it
    for name, value in env.items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    done = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def both(**env: str | None) -> tuple[str, str]:
    return run(OURS, **env), run(KEYRINGS, **env)


def test_with_a_secret_service_it_is_the_secret_service_backend() -> None:
    if os.environ.get("DESKTOPCHAT_SECRET_SERVICE") != "1":
        pytest.skip("needs the private Secret Service that /work/tools/pt starts")
    ours, keyrings = both(PYTHON_KEYRING_BACKEND=None)
    assert ours == keyrings == "keyring.backends.SecretService Keyring"


def test_without_any_secret_service_it_is_the_fail_backend_and_says_so(tmp_path: Path) -> None:
    nowhere = f"unix:path={tmp_path / 'no-bus'}"
    ours, keyrings = both(DBUS_SESSION_BUS_ADDRESS=nowhere, PYTHON_KEYRING_BACKEND=None,
                          XDG_CONFIG_HOME=str(tmp_path))
    assert ours == keyrings == "keyring.backends.fail Keyring"
    problem = run(STATUS, DBUS_SESSION_BUS_ADDRESS=nowhere, PYTHON_KEYRING_BACKEND=None,
                  XDG_CONFIG_HOME=str(tmp_path))
    assert problem.startswith("No keyring service is running.")


def test_python_keyring_backend_is_honoured() -> None:
    ours, keyrings = both(PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    assert ours == keyrings == "keyring.backends.null Keyring"
    assert "'null' backend" in run(STATUS, PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")


def test_a_keyringrc_file_is_honoured(tmp_path: Path) -> None:
    config = tmp_path / "python_keyring" / "keyringrc.cfg"
    config.parent.mkdir()
    config.write_text("[backend]\ndefault-keyring=keyring.backends.null.Keyring\n")
    ours, keyrings = both(XDG_CONFIG_HOME=str(tmp_path), PYTHON_KEYRING_BACKEND=None)
    assert ours == keyrings == "keyring.backends.null Keyring"


def test_the_shortcut_is_taken_only_where_nothing_else_could_be_chosen(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setattr(sys, "platform", "linux")
    assert keyring_choice.only_secret_service_possible()
    monkeypatch.setattr(keyring_choice, "_plugins", lambda: ["keyrings.alt.file"])
    assert not keyring_choice.only_secret_service_possible()  # a plugin: discovery decides
    monkeypatch.setattr(keyring_choice, "_plugins", lambda: [])
    monkeypatch.setattr(keyring_choice, "ALTERNATIVE_BINDINGS", ("json",))  # importable
    assert not keyring_choice.only_secret_service_possible()  # e.g. python-dbus: KWallet
    monkeypatch.setattr(keyring_choice, "ALTERNATIVE_BINDINGS", ("dbus", "gi"))
    monkeypatch.setattr(sys, "platform", "darwin")
    assert not keyring_choice.only_secret_service_possible()
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "")  # set at all: keyring reads it
    assert not keyring_choice.only_secret_service_possible()


def test_without_a_session_bus_address_it_is_the_fail_backend_without_loading_dbus(
    tmp_path: Path,
) -> None:
    env = {"DBUS_SESSION_BUS_ADDRESS": None, "PYTHON_KEYRING_BACKEND": None,
           "XDG_CONFIG_HOME": str(tmp_path)}
    ours, keyrings = both(**env)
    assert ours == keyrings == "keyring.backends.fail Keyring"
    loaded = run(OURS + "; import sys; print(sorted(m for m in sys.modules if m.split('.')[0] "
                 "in ('secretstorage', 'jeepney', 'cryptography')))", **env)
    assert loaded.splitlines()[-1] == "[]"
    problem = run(STATUS, **env)
    assert problem.startswith("No keyring service is running.")


ABSENT = ("from desktopchat.keyring_absent import no_keyring_possible; import sys; "
          "print(no_keyring_possible(), 'keyring' in sys.modules)")


def test_no_keyring_possible_agrees_with_keyring_and_never_imports_it(tmp_path: Path) -> None:
    env = {"DBUS_SESSION_BUS_ADDRESS": None, "PYTHON_KEYRING_BACKEND": None,
           "XDG_CONFIG_HOME": str(tmp_path)}
    assert run(ABSENT, **env) == "True False"
    assert run(KEYRINGS, **env) == "keyring.backends.fail Keyring"


@pytest.mark.parametrize("setting", ["bus", "backend", "config file", "plugin"])
def test_anything_that_could_give_a_keyring_means_asking_keyring(
    tmp_path: Path, setting: str
) -> None:
    env: dict[str, str | None] = {"DBUS_SESSION_BUS_ADDRESS": None,
                                  "PYTHON_KEYRING_BACKEND": None,
                                  "XDG_CONFIG_HOME": str(tmp_path)}
    if setting == "bus":
        env["DBUS_SESSION_BUS_ADDRESS"] = f"unix:path={tmp_path / 'no-bus'}"
    elif setting == "backend":
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    elif setting == "config file":
        folder = tmp_path / "python_keyring"
        folder.mkdir()
        (folder / "keyringrc.cfg").write_text("[backend]\ndefault-keyring=x.Keyring\n")
    else:
        plugin = tmp_path / "site" / "keyrings_toy-1.0.dist-info"
        plugin.mkdir(parents=True)
        (plugin / "entry_points.txt").write_text("[keyring.backends]\ntoy = keyrings_toy.backend\n")
        env["PYTHONPATH"] = f"{REPO}{os.pathsep}{tmp_path / 'site'}"
    assert run(ABSENT, **env) == "False False"


def test_keyrings_own_backends_are_not_plugins() -> None:
    from desktopchat.keyring_absent import _foreign_backends_in

    own = "[keyring.backends]\nSecretService = keyring.backends.SecretService\n[other]\nx = y\n"
    assert not _foreign_backends_in(own)
    assert _foreign_backends_in(own + "[keyring.backends]\nfile = keyrings.alt.file\n")
    assert not _foreign_backends_in("[console_scripts]\nk = keyrings.alt:main\n")
