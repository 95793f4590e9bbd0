"""Bundled beside the app as `keyring-probe`: proves the frozen keyring backends work.

Stores, reads back and deletes a throwaway secret under the service "desktopchat-probe"
with keyring's default backend, then prints `ok <backend>` (exit 0), or
`fail <backend>: <why>` (exit 1). `--backend` only prints the backend that would be used.
"""

from __future__ import annotations

import secrets
import sys

import keyring

SERVICE = "desktopchat-probe"


def main(argv: list[str]) -> int:
    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if "--backend" in argv:
        print(name, flush=True)
        return 0
    user = f"probe-{secrets.token_hex(4)}"
    value = secrets.token_hex(16)
    try:
        keyring.set_password(SERVICE, user, value)
        try:
            read_back = keyring.get_password(SERVICE, user)
        finally:
            keyring.delete_password(SERVICE, user)
        gone = keyring.get_password(SERVICE, user) is None
    except Exception as exc:  # any backend failure is the answer the probe reports
        print(f"fail {name}: {type(exc).__name__}: {exc}", flush=True)
        return 1
    if read_back != value:
        print(f"fail {name}: the secret read back differs from the one stored", flush=True)
        return 1
    if not gone:
        print(f"fail {name}: the secret is still there after delete", flush=True)
        return 1
    print(f"ok {name}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
