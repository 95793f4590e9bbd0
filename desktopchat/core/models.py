"""The provider's model list: GET <base>/models, bounded and through the key's one door.

Used by the toolbar's model menu and by Settings → Fetch models. The key goes through
`core.transport.authorized_headers` like a chat request's, the body is read in bounded
steps up to MODEL_LIST_LIMIT (a gzip bomb ends as a readable error, not 2 GB of
memory), and every failure is an ApiError subclass with a readable message.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from desktopchat.core.body import ACCEPT_ENCODING, body_pieces, read_capped
from desktopchat.core.chunks import kind_of, shown_json
from desktopchat.core.http import http_error, make_client
from desktopchat.core.limits import ERROR_BODY_LIMIT, MODEL_LIST_LIMIT, MODEL_LIST_TIMEOUT
from desktopchat.core.transport import authorized_headers, display_host
from desktopchat.errors import (
    InvalidRequestError,
    MalformedStreamError,
    NetworkError,
    StreamTimeoutError,
)
from desktopchat.redact import redact, scrub_secrets
from desktopchat.safe_json import loads_mended


@dataclass(frozen=True)
class ModelsRequest:
    """Where the list is, and whether the profile allows a key over plain http there."""

    url: str
    allow_insecure_http: bool = False


def parse_models(data: object) -> list[str]:
    """Model ids from `{"data": [{"id": ...}]}`, `{"models": [...]}` or a bare list."""
    if isinstance(data, dict):
        data = data.get("data", data.get("models"))
        if data is not None and not isinstance(data, list):
            raise ValueError(f"its model list is {kind_of(data)}, not a list: "
                             f"{shown_json(data, 200)}")
    if not isinstance(data, list):
        raise ValueError("no model list in the answer")
    ids: dict[str, None] = {}
    for item in data:
        if isinstance(item, str):
            value = item
        elif isinstance(item, dict):
            raw = item.get("id", item.get("name", item.get("model")))
            value = raw if isinstance(raw, str) else ""
        else:
            value = ""
        if value.strip():
            ids.setdefault(value.strip())
    if data and not ids:  # entries, none of them a model: say what was there
        raise ValueError(f"none of its {len(data)} entries names a model (the first is "
                         f"{kind_of(data[0])}: {shown_json(data[0], 200)})")
    return sorted(ids, key=str.lower)


async def list_models(
    models_url: str,
    *,
    api_key: str | None,
    http: httpx.AsyncClient | None = None,
    allow_insecure_http: bool = False,
) -> list[str]:
    """The model ids the provider lists; raises ApiError subclasses (or InsecureTransportError)."""
    where = ModelsRequest(models_url, allow_insecure_http)
    headers = authorized_headers(
        where, api_key, {"Accept": "application/json", "Accept-Encoding": ACCEPT_ENCODING}
    )
    client = http if http is not None else make_client()
    shown = display_host(models_url)
    try:
        return await _fetch(client, models_url, headers, api_key)
    except httpx.TimeoutException:
        raise StreamTimeoutError(f"{shown} did not send its model list in time.") from None
    except httpx.InvalidURL as exc:
        raise InvalidRequestError(redact(f"The model-list URL is not valid ({exc}).")) from None
    except httpx.HTTPError as exc:
        why = redact(f"{type(exc).__name__}: {exc}".rstrip(": "), api_key)
        raise NetworkError(f"Could not get the model list from {shown} ({why}).") from None
    except (UnicodeEncodeError, ValueError) as exc:  # a request httpx could not encode
        raise InvalidRequestError(
            redact(f"The model-list request could not be sent ({exc}).", api_key)
        ) from None
    finally:
        if http is None:
            await client.aclose()


async def _fetch(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], api_key: str | None
) -> list[str]:
    shown = display_host(url)
    async with client.stream("GET", url, headers=headers, timeout=MODEL_LIST_TIMEOUT) as response:
        if response.status_code >= 300:
            body, _ = await read_capped(body_pieces(response), ERROR_BODY_LIMIT)
            raise http_error(response.status_code, response.headers, body, api_key=api_key)
        body, too_large = await read_capped(body_pieces(response), MODEL_LIST_LIMIT)
    if too_large:
        raise MalformedStreamError(
            f"The model list from {shown} is larger than {MODEL_LIST_LIMIT >> 20} MiB; "
            "not reading it. Type the model name instead."
        )
    try:
        found = parse_models(loads_mended(body.decode("utf-8", "replace")))
        # A name that spells the key would end up in settings.json once chosen: left out.
        return [name for name in found if scrub_secrets(name, [api_key]) == name]
    except (ValueError, RecursionError) as exc:
        raise MalformedStreamError(
            redact(f"The model list from {shown} could not be read ({exc}).", api_key)
        ) from None


__all__ = ["ModelsRequest", "list_models", "parse_models"]
