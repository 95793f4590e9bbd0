"""The HTTP client we stream over (HTTP error answers -> typed errors: http_errors.py).

One `httpx.AsyncClient` per event loop (built in app.py and handed in). Requests to a
loopback host never go through a proxy, whatever the proxy settings or the environment
say: a proxy would see the key in clear and could answer for a server that is not
there.
"""

from __future__ import annotations

import ssl
from typing import Any

import httpx

from desktopchat.core.http_errors import describe_body, http_error, parse_retry_after
from desktopchat.core.limits import ERROR_BODY_LIMIT
from desktopchat.core.transport import is_loopback_host

__all__ = [
    "ERROR_BODY_LIMIT", "describe_body", "http_error", "make_client", "parse_retry_after"]


class LoopbackDirectClient(httpx.AsyncClient):
    """An AsyncClient whose requests to loopback hosts skip any proxy.

    httpx's own NO_PROXY matching knows exact names only (not 127.0.0.0/8), so loopback
    requests are handed to a second, proxy-free client (made on first use) through the
    public `send` that `stream`, `get` and `post` all call.
    """

    def __init__(self, *, may_proxy: bool,
                 **kwargs: Any) -> None:  # Any: httpx.AsyncClient's options, passed on
        super().__init__(**kwargs)
        self._may_proxy = may_proxy
        self._options = kwargs
        self._direct: httpx.AsyncClient | None = None

    async def send(self, request: httpx.Request,
                   **kwargs: Any) -> httpx.Response:  # Any: as httpx.AsyncClient.send
        if self._may_proxy and is_loopback_host(request.url.host):
            if self._direct is None:
                options = {k: v for k, v in self._options.items() if k not in ("proxy",)}
                self._direct = httpx.AsyncClient(**{**options, "trust_env": False})
            return await self._direct.send(request, **kwargs)
        return await super().send(request, **kwargs)

    async def aclose(self) -> None:
        if self._direct is not None:
            await self._direct.aclose()
        await super().aclose()


def make_client(
    *,
    proxy: str | None = None,
    trust_env: bool = True,
    connect_timeout: float = 15.0,
    tls: ssl.SSLContext | None = None,
) -> httpx.AsyncClient:
    """The app's client. proxy: http://, https:// or socks5:// URL (user:password@ allowed);
    None with trust_env=True uses the system (environment) proxy; trust_env=False = none.
    Loopback hosts are always reached directly.

    tls: the certificate-checking context (default: httpx's, from certifi or SSL_CERT_FILE).
    One context serves the client and its loopback twin: loading the CA file costs ~40 ms."""
    return LoopbackDirectClient(
        may_proxy=bool(proxy) or trust_env,
        proxy=proxy or None,
        trust_env=trust_env,
        verify=tls if tls is not None else httpx.create_ssl_context(trust_env=trust_env),
        timeout=httpx.Timeout(120.0, connect=connect_timeout, pool=connect_timeout),
        follow_redirects=False,  # a redirect would resend the key somewhere else
    )
