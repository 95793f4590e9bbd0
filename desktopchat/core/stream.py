"""Send a ChatRequest, yield typed events, every failure a typed error.

Rules (DESIGN.md §3, limits in core/limits.py):
- the key goes through core.transport's one door (transport rule, sendable headers);
- retries happen only before the first response byte: connection errors, and 429/503
  whose Retry-After is at most RETRY_AFTER_CAP; at most MAX_RETRIES; never once a
  response has started streaming;
- the httpx read timeout is the idle timeout between chunks; a stream that sends only
  keep-alive comments for `request.keepalive_limit` has stalled;
- bodies are inflated in bounded steps; one SSE line or event is capped;
- the end is `[DONE]`, or the server closing after a finish_reason (Bitseek); a close
  with neither is an InterruptedStreamError carrying the partial reply;
- a server that ignores `stream: true` and answers one `application/json`
  chat.completion object yields the same events a stream of it would have (answer.py);
- every error message is redacted (the key, its fragments, URL user-info) before it
  leaves, and before any part of server data in it is cut to length;
- cancelling the consuming task closes the connection (the `async with` unwinds).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import httpx

from desktopchat.core.body import ACCEPT_ENCODING, body_pieces, read_capped
from desktopchat.core.decoding import (
    CONNECT_BACKOFF,
    MAX_RETRIES,
    RETRY_AFTER_CAP,
    RETRY_STATUSES,
    BodyDecoder,
    request_body,
)
from desktopchat.core.events import StreamEvent
from desktopchat.core.http import http_error, make_client, parse_retry_after
from desktopchat.core.limits import ERROR_BODY_LIMIT
from desktopchat.core.reply import Reply
from desktopchat.core.request import ChatRequest
from desktopchat.core.transport import display_host
from desktopchat.errors import (
    ApiError,
    HttpStatusError,
    InvalidRequestError,
    NetworkError,
    StreamTimeoutError,
)
from desktopchat.redact import redact

__all__ = ["CONNECT_BACKOFF", "MAX_RETRIES", "RETRY_AFTER_CAP", "collect", "stream_batches",
           "stream_chat"]


async def stream_chat(
    request: ChatRequest,
    *,
    api_key: str | None,
    http: httpx.AsyncClient | None = None,
    reply: Reply | None = None,
) -> AsyncIterator[StreamEvent]:
    """Yield the events of one streamed chat completion; `reply` (if given) is kept folded."""
    async for batch in stream_batches(request, api_key=api_key, http=http, reply=reply):
        for event in batch:
            yield event


async def collect(
    request: ChatRequest, *, api_key: str | None, http: httpx.AsyncClient | None = None
) -> Reply:
    """Consume a whole stream into a Reply (errors carry the partial Reply)."""
    reply = Reply()
    async for batch in stream_batches(request, api_key=api_key, http=http, reply=reply):
        del batch  # already folded into `reply`
    return reply


async def stream_batches(
    request: ChatRequest,
    *,
    api_key: str | None,
    http: httpx.AsyncClient | None = None,
    reply: Reply | None = None,
    on_sent: Callable[[], None] | None = None,
) -> AsyncIterator[list[StreamEvent]]:
    """Like stream_chat, but one list per network read (already folded into `reply`).

    Passing a batch instead of each event through the generator layers is what keeps
    decoding at raw httpx-sse speed on fast local servers.

    `on_sent` is called when a request's body has been handed to the network, before the
    answer is awaited (each attempt; the command line writes its history meanwhile).
    """
    reply = Reply() if reply is None else reply
    headers = request.headers(api_key)  # the transport rule; raises before any I/O
    headers["Accept-Encoding"] = ACCEPT_ENCODING
    client = http if http is not None else make_client(connect_timeout=request.connect_timeout)
    try:
        async for batch in _attempts(client, request, headers, api_key, reply, on_sent):
            yield batch
    except ApiError as exc:
        exc.message = redact(exc.message, api_key)  # the last guard: nothing leaves unredacted
        exc.args = (exc.message,)
        raise
    finally:
        if http is None:
            await client.aclose()


async def _attempts(
    client: httpx.AsyncClient,
    request: ChatRequest,
    headers: dict[str, str],
    api_key: str | None,
    reply: Reply,
    on_sent: Callable[[], None] | None = None,
) -> AsyncIterator[list[StreamEvent]]:
    content = request_body(request)
    extensions: dict[str, object] = {}
    if on_sent is not None:

        async def trace(event: str, info: dict[str, object]) -> None:  # httpcore's trace hook
            if event == "http11.send_request_body.complete":
                on_sent()

        extensions["trace"] = trace
    timeout = httpx.Timeout(
        request.idle_timeout,
        connect=request.connect_timeout,
        pool=request.connect_timeout,
        write=max(request.connect_timeout, 30.0),
    )
    attempt = 0
    while True:
        try:
            async with client.stream(
                "POST", request.url, content=content, headers=headers, timeout=timeout,
                extensions=extensions,
            ) as response:
                if response.status_code >= 300:
                    error, wait = await _status_error(response, api_key, reply)
                    if wait is None or attempt >= MAX_RETRIES:
                        raise error
                else:
                    async for batch in _events(response, request, api_key, reply):
                        yield batch
                    return
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            if attempt >= MAX_RETRIES:
                raise _transport_error(exc, request, reply, attempt) from None
            wait = CONNECT_BACKOFF[attempt]
        except httpx.TransportError as exc:  # before any response: proxy, protocol, ...
            raise _transport_error(exc, request, reply, attempt) from None
        except httpx.InvalidURL as exc:
            raise NetworkError(
                f"The URL {request.url!r} is not valid: {exc}", partial=reply
            ) from None
        except UnicodeEncodeError as exc:  # anything httpx could not encode that we missed
            raise InvalidRequestError(
                f"The request could not be sent: it holds characters HTTP cannot carry "
                f"({exc.reason}). Check the URL and the extra headers in Settings.",
                partial=reply,
            ) from None
        attempt += 1
        await asyncio.sleep(wait)


async def _status_error(
    response: httpx.Response, api_key: str | None, reply: Reply
) -> tuple[HttpStatusError, float | None]:
    """The error for an HTTP error answer, and how long to wait if it may be retried."""
    try:
        body, _ = await read_capped(body_pieces(response), ERROR_BODY_LIMIT)
    except (httpx.TransportError, httpx.DecodingError):
        body = b""  # the status alone still says what happened
    status = response.status_code
    error = http_error(status, response.headers, body, api_key=api_key, partial=reply)
    wait = parse_retry_after(response.headers.get("retry-after"))
    if status not in RETRY_STATUSES or wait is None or wait > RETRY_AFTER_CAP:
        wait = None
    return error, wait


async def _events(
    response: httpx.Response, request: ChatRequest, api_key: str | None, reply: Reply
) -> AsyncIterator[list[StreamEvent]]:
    decoder = BodyDecoder(request, api_key, reply, status=response.status_code,
                          content_type=response.headers.get("content-type"))
    first = decoder.first(response.headers.get("x-conversation-id"))
    if first:
        yield first
    pieces = body_pieces(response)
    try:
        while not decoder.finished:
            try:
                piece = await anext(pieces)
            except StopAsyncIteration:
                batch, error = decoder.end()
            else:
                batch, error = decoder.feed(piece)
            if batch:
                yield batch
            if error is not None:
                raise error
    except httpx.ReadTimeout:
        raise decoder.idle_timeout() from None
    except (httpx.TransportError, httpx.DecodingError) as exc:
        broken = decoder.broken(_why(exc))
        if broken is not None:
            raise broken from None


def _why(exc: Exception) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _transport_error(
    exc: httpx.TransportError, request: ChatRequest, reply: Reply, tries: int
) -> ApiError:
    host = display_host(request.url)
    after = f" after {tries + 1} attempts" if tries else ""
    if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
        return StreamTimeoutError(
            f"Could not connect to {host} within {request.connect_timeout:g} s{after}.",
            partial=reply,
        )
    if isinstance(exc, httpx.TimeoutException):
        return StreamTimeoutError(f"{host} did not answer in time{after}.", partial=reply)
    if isinstance(exc, httpx.ProxyError):
        return NetworkError(f"The proxy refused the connection: {_why(exc)}", partial=reply)
    if isinstance(exc, httpx.UnsupportedProtocol):
        return NetworkError(
            f"The URL {request.url!r} must start with http:// or https://.", partial=reply
        )
    return NetworkError(f"Could not reach {host}{after} ({_why(exc)}).", partial=reply)
