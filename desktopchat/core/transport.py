"""The one door every request carrying a key goes through (DESIGN.md §5).

`authorized_headers` applies the transport rule (no key over plain http to a host
other than loopback without the profile's explicit permission), adds the key, and
refuses headers HTTP cannot carry, before anything touches the network. The chat
stream and the model list both call it; nothing else builds an Authorization header.

Loopback means exactly `localhost`, 127.0.0.0/8 and ::1. Names under `.localhost` do
not count: they can be answered by a DNS server. Loopback URLs also bypass every proxy
(see `core.http.make_client`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Protocol
from urllib.parse import urlsplit

from desktopchat.core.headers import unsendable_header
from desktopchat.errors import InsecureTransportError, InvalidRequestError


class Destination(Protocol):
    """Where a request goes: a ChatRequest, a ModelsRequest, or a settings Profile."""

    @property
    def url(self) -> str: ...

    @property
    def allow_insecure_http(self) -> bool: ...


def is_loopback_host(host: str) -> bool:
    host = host.strip().strip("[]").lower().rstrip(".")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_loopback(url: str) -> bool:
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return False
    return is_loopback_host(host)


def display_host(url: str) -> str:
    """host[:port] of a URL, never its user-info (which may name a user or a password)."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "the server"
    if not host:
        return "the server"
    host = f"[{host}]" if ":" in host else host
    return f"{host}:{port}" if port is not None else host


def check_transport(destination: Destination, api_key: str | None) -> None:
    """Raise InsecureTransportError if sending `api_key` there would expose it."""
    if not api_key:
        return
    url = destination.url
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return  # not a URL at all: the request itself will say so, without the key
    if scheme == "http" and not destination.allow_insecure_http and not is_loopback(url):
        raise InsecureTransportError(
            f"Not sending the API key to {display_host(url)} over plain http: anyone on the "
            "network could read it. Use an https:// URL, or allow insecure http for this "
            "profile."
        )


def authorized_headers(
    destination: Destination, api_key: str | None, headers: Mapping[str, str]
) -> dict[str, str]:
    """`headers` plus the key's Authorization header, once the transport rule allows it."""
    check_transport(destination, api_key)
    out = dict(headers)
    if api_key:
        if unsendable_header({"Authorization": api_key}) is not None:
            raise InvalidRequestError(
                "The API key contains characters HTTP cannot send (accents, typographic "
                "quotes or dashes, an ellipsis, or a line break). Paste the key again in "
                "Settings."
            )
        out["Authorization"] = f"Bearer {api_key}"
    bad = unsendable_header(out)
    if bad is not None:
        raise InvalidRequestError(
            f"The header {bad} cannot be sent: header names and values may hold only plain "
            "ASCII characters, on one line. Correct it in Settings → Extra headers."
        )
    return out
