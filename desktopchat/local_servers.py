"""First run: the built-in profiles, with the active one set to a local server that answers.

Kept out of settings (plain data, no I/O): this asks 127.0.0.1 over the network. The
window offers what it finds in ui/first_run.py; the command line can call this directly.
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from .core.discovery import detect_local_servers
from .settings import Settings, first_run_settings


async def detect_first_run_settings(
    *, http: httpx.AsyncClient | None = None, ports: Mapping[str, int] | None = None
) -> Settings:
    """first_run_settings() after asking 127.0.0.1 which local servers are running."""
    return first_run_settings(await detect_local_servers(http=http, ports=ports))
