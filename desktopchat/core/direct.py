"""One chat request sent with the standard library (http.client): no httpx, no asyncio.

The command line sends one request per reply; importing httpx, httpcore, h11, anyio and
asyncio cost it more than half of its start-up (benchmarks/cli_startup.py). This sender
keeps stream.py's rules and shares its parts, so the wire behaves the same:
- headers through core.transport's one door (`request.headers`: the transport rule, the
  key, sendable headers), the same body and Accept-Encoding;
- retries only before the first response byte: connection failures, and 429/503 whose
  Retry-After is at most RETRY_AFTER_CAP; at most MAX_RETRIES; no redirects followed;
- the connect timeout, then the idle timeout as the read timeout between pieces;
- the body inflated in bounded steps (inflate.py) and decoded by decoding.BodyDecoder,
  the one parser (SSE, chunks, a whole JSON answer, stalls, caps, the end rules); error
  answers read capped and worded by http_errors; every message redacted.

It never talks to a proxy: `usable()` says when no proxy can be involved (loopback, which
is never proxied, or no proxy set and none in the environment) and no user-info is in the
URL; otherwise the caller uses stream.py, which knows proxies. Transport failures are
named as httpx names them (ConnectError, ReadError, RemoteProtocolError, ...), so the
messages read the same whichever sender was used.
"""

from __future__ import annotations

import http.client
import os
import ssl
import time
from collections.abc import Callable, Generator, Iterator
from urllib.parse import urlsplit

from desktopchat.core.decoding import (
    CONNECT_BACKOFF,
    MAX_RETRIES,
    RETRY_AFTER_CAP,
    RETRY_STATUSES,
    BodyDecoder,
    request_body,
    why,
)
from desktopchat.core.events import StreamEvent
from desktopchat.core.http_errors import http_error, parse_retry_after
from desktopchat.core.inflate import ACCEPT_ENCODING, DamagedBody, Inflater, content_encoding
from desktopchat.core.limits import ERROR_BODY_LIMIT
from desktopchat.core.reply import Reply
from desktopchat.core.request import ChatRequest
from desktopchat.core.transport import display_host, is_loopback_host
from desktopchat.errors import (
    ApiError,
    HttpStatusError,
    InvalidRequestError,
    NetworkError,
    StreamTimeoutError,
)
from desktopchat.redact import redact

READ_SIZE = 65536
_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy")


def usable(url: str, *, proxy: str | None, trust_env: bool) -> bool:
    """True when a request to `url` goes straight to the server with these proxy settings
    (make_client's rule: loopback is never proxied), so this sender may carry it."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        return False
    if parts.scheme.lower() not in ("http", "https") or not host or "@" in parts.netloc:
        return False  # user-info: httpx would turn it into a Basic login; leave that to it
    if is_loopback_host(host):
        return True
    if proxy:
        return False
    return not (trust_env and any(
        value for name, value in os.environ.items() if name.lower() in _PROXY_VARIABLES))


def default_tls(trust_env: bool) -> ssl.SSLContext:
    """httpx.create_ssl_context(trust_env=...): SSL_CERT_FILE/DIR when trusted, else certifi."""
    if trust_env and os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    if trust_env and os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def stream_batches(
    request: ChatRequest,
    *,
    api_key: str | None,
    reply: Reply | None = None,
    tls: ssl.SSLContext | None = None,
    trust_env: bool = True,
    on_sent: Callable[[], None] | None = None,
) -> Generator[list[StreamEvent], None, None]:
    """stream.stream_batches' events, one list per network read, folded into `reply`.

    `on_sent` is called once the request has been handed to the network (each attempt)."""
    reply = Reply() if reply is None else reply
    headers = request.headers(api_key)  # the transport rule; raises before any I/O
    headers["Accept-Encoding"] = ACCEPT_ENCODING
    try:
        yield from _attempts(request, headers, api_key, reply, tls, trust_env, on_sent)
    except ApiError as exc:
        exc.message = redact(exc.message, api_key)  # the last guard: nothing leaves unredacted
        exc.args = (exc.message,)
        raise


class _Failure(Exception):
    """A transport failure before any response, named as httpx would name it."""

    def __init__(self, kind: str, exc: BaseException) -> None:
        super().__init__(kind)
        self.kind = kind
        self.exc = exc


def _connection(
    request: ChatRequest, tls: ssl.SSLContext | None, trust_env: bool
) -> tuple[http.client.HTTPConnection, str]:
    url = request.url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise NetworkError(f"The URL {request.url!r} is not valid: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise NetworkError(f"The URL {request.url!r} must start with http:// or https://.")
    host = parts.hostname or ""
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection: http.client.HTTPConnection
    if scheme == "https":
        context = tls if tls is not None else default_tls(trust_env)
        connection = http.client.HTTPSConnection(
            host, port, timeout=request.connect_timeout, context=context)
    else:
        connection = http.client.HTTPConnection(host, port, timeout=request.connect_timeout)
    return connection, target


def _attempts(
    request: ChatRequest,
    headers: dict[str, str],
    api_key: str | None,
    reply: Reply,
    tls: ssl.SSLContext | None,
    trust_env: bool,
    on_sent: Callable[[], None] | None,
) -> Iterator[list[StreamEvent]]:
    content = request_body(request)
    attempt = 0
    while True:
        failure: _Failure | None = None
        response: http.client.HTTPResponse | None = None
        connection, target = _connection(request, tls, trust_env)
        try:
            try:
                connection.connect()
            except TimeoutError as exc:
                failure = _Failure("ConnectTimeout", exc)
            except OSError as exc:  # refused, unreachable, a name not found, TLS refused
                failure = _Failure("ConnectError", exc)
            if failure is not None:
                if attempt >= MAX_RETRIES:
                    raise _transport_error(failure, request, reply, attempt) from None
                wait = CONNECT_BACKOFF[attempt]
            else:
                response = _send(connection, target, content, headers, request, reply, on_sent)
                if response.status < 300:
                    yield from _events(response, request, api_key, reply)
                    return
                error, retry_after = _status_error(response, api_key, reply)
                if retry_after is None or attempt >= MAX_RETRIES:
                    raise error
                wait = retry_after
        finally:
            if response is not None:
                response.close()  # a response that will close owns the socket
            connection.close()
        attempt += 1
        time.sleep(wait)


def _send(
    connection: http.client.HTTPConnection,
    target: str,
    content: bytes,
    headers: dict[str, str],
    request: ChatRequest,
    reply: Reply,
    on_sent: Callable[[], None] | None,
) -> http.client.HTTPResponse:
    sock = connection.sock
    try:
        if sock is not None:
            sock.settimeout(max(request.connect_timeout, 30.0))  # the write timeout
        connection.request("POST", target, body=content, headers=headers)
        if on_sent is not None:
            on_sent()
        if sock is not None:
            sock.settimeout(request.idle_timeout)
        return connection.getresponse()
    except UnicodeEncodeError as exc:  # anything we could not encode that the checks missed
        raise InvalidRequestError(
            f"The request could not be sent: it holds characters HTTP cannot carry "
            f"({exc.reason}). Check the URL and the extra headers in Settings.",
            partial=reply,
        ) from None
    except http.client.InvalidURL as exc:
        raise NetworkError(f"The URL {request.url!r} is not valid: {exc}", partial=reply) from None
    except TimeoutError as exc:
        raise _transport_error(_Failure("ReadTimeout", exc), request, reply, 0) from None
    except http.client.RemoteDisconnected as exc:
        raise _transport_error(_Failure("RemoteProtocolError", exc), request, reply, 0) from None
    except http.client.HTTPException as exc:
        raise _transport_error(_Failure("RemoteProtocolError", exc), request, reply, 0) from None
    except OSError as exc:
        raise _transport_error(_Failure("ReadError", exc), request, reply, 0) from None


class _CutShort(http.client.HTTPException):
    """The body ended before its end: worded as h11 words it for the httpx sender."""


_CUT = "peer closed connection without sending complete message body"


def _raw_pieces(response: http.client.HTTPResponse) -> Iterator[bytes]:
    """The body as it arrives; a body cut short is an error, not a quiet end."""
    received = 0
    while True:
        try:
            raw = response.read1(READ_SIZE)
        except http.client.IncompleteRead:
            raise _CutShort(f"{_CUT} (incomplete chunked read)") from None
        if not raw:
            if response.length:  # http.client ends a short Content-Length body quietly
                expected = received + response.length
                raise _CutShort(f"{_CUT} (received {received} bytes, expected {expected})")
            return
        received += len(raw)
        yield raw


def _pieces(response: http.client.HTTPResponse) -> Iterator[bytes]:
    """The decoded body, piece by piece, none larger than DECODE_STEP once inflated."""
    encoding = content_encoding(response.getheader("content-encoding"))
    if encoding not in ("gzip", "x-gzip", "deflate"):
        yield from _raw_pieces(response)
        return
    inflater = Inflater(encoding)
    for raw in _raw_pieces(response):
        yield from inflater.feed(raw)
    tail = inflater.flush()
    if tail:
        yield tail


def _status_error(
    response: http.client.HTTPResponse, api_key: str | None, reply: Reply
) -> tuple[HttpStatusError, float | None]:
    """The error for an HTTP error answer, and how long to wait if it may be retried."""
    body = bytearray()
    try:
        for piece in _pieces(response):
            body += piece[: ERROR_BODY_LIMIT - len(body)]
            if len(body) >= ERROR_BODY_LIMIT:
                break
    except (OSError, http.client.HTTPException, DamagedBody):
        body = bytearray()  # the status alone still says what happened
    headers = {name.lower(): value for name, value in response.getheaders()}
    status = response.status
    error = http_error(status, headers, bytes(body), api_key=api_key, partial=reply)
    wait = parse_retry_after(headers.get("retry-after"))
    if status not in RETRY_STATUSES or wait is None or wait > RETRY_AFTER_CAP:
        wait = None
    return error, wait


def _events(
    response: http.client.HTTPResponse, request: ChatRequest, api_key: str | None, reply: Reply
) -> Iterator[list[StreamEvent]]:
    decoder = BodyDecoder(request, api_key, reply, status=response.status,
                          content_type=response.getheader("content-type"))
    first = decoder.first(response.getheader("x-conversation-id"))
    if first:
        yield first
    pieces = _pieces(response)
    try:
        while not decoder.finished:
            piece = next(pieces, None)
            batch, error = decoder.end() if piece is None else decoder.feed(piece)
            if batch:
                yield batch
            if error is not None:
                raise error
    except TimeoutError:
        raise decoder.idle_timeout() from None
    except (OSError, http.client.HTTPException, DamagedBody) as exc:
        broken = decoder.broken(why(exc, _kind(exc)))
        if broken is not None:
            raise broken from None


def _kind(exc: BaseException) -> str:
    if isinstance(exc, DamagedBody):
        return "DecodingError"
    if isinstance(exc, http.client.HTTPException):
        return "RemoteProtocolError"
    return "ReadError"


def _transport_error(
    failure: _Failure, request: ChatRequest, reply: Reply, tries: int
) -> ApiError:
    host = display_host(request.url)
    after = f" after {tries + 1} attempts" if tries else ""
    if failure.kind == "ConnectTimeout":
        return StreamTimeoutError(
            f"Could not connect to {host} within {request.connect_timeout:g} s{after}.",
            partial=reply,
        )
    if failure.kind == "ReadTimeout":
        return StreamTimeoutError(f"{host} did not answer in time{after}.", partial=reply)
    detail = why(failure.exc, failure.kind)
    return NetworkError(f"Could not reach {host}{after} ({detail}).", partial=reply)

