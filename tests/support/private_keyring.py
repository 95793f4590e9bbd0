"""A D-Bus session with a gnome-keyring of its own, for a test that must change the keyring
itself (lock it) without touching the one every other test shares.

`run_in_private_keyring(script)` runs `sh -c script` inside `dbus-run-session`, after
starting gnome-keyring-daemon there with a fresh, unlocked login keyring (password `pw`),
in a temporary HOME, XDG_DATA_HOME and XDG_RUNTIME_DIR. No password prompt can be shown
there (no display): a prompt fails at once, as if the user had dismissed it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.support.cli_process import cli_env

STORE = ("import os, sys; from keyring.backends import SecretService; "
         "SecretService.Keyring().set_password('desktopchat', sys.argv[1], os.environ['KEY'])")
LOCK = ("import secretstorage; from contextlib import closing\n"
        "with closing(secretstorage.dbus_init()) as bus:\n"
        "    secretstorage.get_default_collection(bus).lock()\n")


def run_in_private_keyring(
    script: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """The finished `sh -c script` (its exit status is the script's); `$SANDBOX` in the
    script names a private folder that lives as long as the run."""
    missing = [tool for tool in ("dbus-run-session", "gnome-keyring-daemon")
               if shutil.which(tool) is None]
    if missing:
        reason = f"no {', '.join(missing)} here: a private keyring cannot be started"
        if os.environ.get("DESKTOPCHAT_REQUIRE_SECRET_SERVICE") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    with tempfile.TemporaryDirectory(prefix="private-keyring-") as folder:
        sandbox = Path(folder)
        for name in ("home", "data", "runtime", "config"):
            (sandbox / name).mkdir(mode=0o700)
        environment = dict(
            env or cli_env(), SANDBOX=str(sandbox), HOME=str(sandbox / "home"),
            XDG_DATA_HOME=str(sandbox / "data"), XDG_RUNTIME_DIR=str(sandbox / "runtime"),
            XDG_CONFIG_HOME=str(sandbox / "config"))
        environment.pop("DBUS_SESSION_BUS_ADDRESS", None)  # dbus-run-session sets its own
        unlock = "printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null"
        return subprocess.run(
            ["dbus-run-session", "--", "sh", "-c", f"{unlock} && {script}"],
            env=environment, stdin=subprocess.DEVNULL, capture_output=True, text=True,
            timeout=timeout, check=False)
