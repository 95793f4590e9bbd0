"""Find local OpenAI-compatible servers (Ollama, LM Studio, llama.cpp) on first run.

Each candidate gets one GET <base>/models with a short timeout, all at once; a server
counts as found when it answers 2xx with JSON. Nothing goes through a proxy: these are
loopback addresses, and a system proxy would answer for a server that is not there.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from dataclasses import replace
from urllib.parse import urlsplit, urlunsplit

import httpx

from desktopchat.core.body import ACCEPT_ENCODING, body_pieces, read_capped
from desktopchat.core.limits import MODEL_LIST_LIMIT
from desktopchat.core.providers import Preset, preset

# preset id -> the port its server listens on by default
LOCAL_PORTS: Mapping[str, int] = {"ollama": 11434, "lmstudio": 1234, "llamacpp": 8080}


def _at(info: Preset, host: str, port: int) -> Preset:
    """The preset with its base URL moved to host:port (same path, e.g. /v1)."""
    parts = urlsplit(info.base_url)
    netloc = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return replace(info, base_url=urlunsplit(parts._replace(netloc=netloc)))


async def _answers(client: httpx.AsyncClient, url: str, timeout: float) -> bool:
    headers = {"Accept": "application/json", "Accept-Encoding": ACCEPT_ENCODING}
    try:
        async with client.stream("GET", url, headers=headers, timeout=timeout) as response:
            if not 200 <= response.status_code < 300:
                return False
            body, too_large = await read_capped(body_pieces(response), MODEL_LIST_LIMIT)
        if too_large:
            return False
        json.loads(body)
    except (httpx.HTTPError, httpx.InvalidURL, ValueError, RecursionError):
        return False
    return True


async def detect_local_servers(
    *,
    http: httpx.AsyncClient | None = None,
    timeout: float = 0.5,
    host: str = "127.0.0.1",
    ports: Mapping[str, int] | None = None,
) -> list[Preset]:
    """The local presets whose server answered, in `ports` order, with the URL found.

    ports: preset id -> port (default LOCAL_PORTS); tests pass a loopback server's port.
    """
    chosen = LOCAL_PORTS if ports is None else ports
    candidates = [_at(preset(preset_id), host, port) for preset_id, port in chosen.items()]
    client = http if http is not None else httpx.AsyncClient(trust_env=False)
    try:
        found = await asyncio.gather(
            *(
                _answers(client, candidate.models_url() or "", timeout)
                for candidate in candidates
            )
        )
    finally:
        if http is None:
            await client.aclose()
    return [candidate for candidate, ok in zip(candidates, found, strict=True) if ok]
