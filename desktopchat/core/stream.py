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
import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx

from desktopchat.core.answer import JSON_SPACE, is_json, read_answer
from desktopchat.core.body import ACCEPT_ENCODING, body_pieces, read_capped
from desktopchat.core.chunks import ChunkReader, ErrorInfo, MalformedChunk
from desktopchat.core.events import ConversationId, StreamEvent
from desktopchat.core.headers import acceptable_conversation_id
from desktopchat.core.http import http_error, make_client, parse_retry_after
from desktopchat.core.limits import ERROR_BODY_LIMIT, SSE_LINE_LIMIT
from desktopchat.core.reply import Reply
from desktopchat.core.request import ChatRequest
from desktopchat.core.sse import RawEvent, SSEParser, SSETooLarge
from desktopchat.core.transport import display_host
from desktopchat.errors import (
    ApiError,
    HttpStatusError,
    InterruptedStreamError,
    InvalidRequestError,
    MalformedStreamError,
    NetworkError,
    ProviderError,
    StreamTimeoutError,
)
from desktopchat.redact import redact, redact_truncated

MAX_RETRIES = 2
RETRY_AFTER_CAP = 10.0  # seconds; a longer Retry-After is reported, not waited for
CONNECT_BACKOFF = (0.25, 0.75)  # before retry 1 and 2 after a connection failure
_RETRY_STATUSES = (429, 503)
SNIPPET = 120  # characters of a bad chunk quoted in a message (after redaction)
PROVIDER_MESSAGE_LIMIT = 4000  # characters of a provider's own error message we keep


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


def _encoded_body(request: ChatRequest) -> bytes:
    try:
        return json.dumps(request.body(), ensure_ascii=False).encode()
    except UnicodeEncodeError:  # a lone surrogate (e.g. from an import): escape it as JSON does
        return json.dumps(request.body()).encode()


async def _attempts(
    client: httpx.AsyncClient,
    request: ChatRequest,
    headers: dict[str, str],
    api_key: str | None,
    reply: Reply,
    on_sent: Callable[[], None] | None = None,
) -> AsyncIterator[list[StreamEvent]]:
    content = _encoded_body(request)
    extensions: dict[str, Any] = {}
    if on_sent is not None:

        async def trace(event: str, info: dict[str, Any]) -> None:  # httpcore's trace hook
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
    if status not in _RETRY_STATUSES or wait is None or wait > RETRY_AFTER_CAP:
        wait = None
    return error, wait


async def _events(
    response: httpx.Response, request: ChatRequest, api_key: str | None, reply: Reply
) -> AsyncIterator[list[StreamEvent]]:
    conversation = acceptable_conversation_id(response.headers.get("x-conversation-id"))
    if conversation:
        first: StreamEvent = ConversationId(conversation)
        reply.apply(first)
        yield [first]
    pieces = body_pieces(response)
    try:
        if is_json(response.headers.get("content-type")):
            # Some servers ignore `stream: true` and answer with one chat.completion
            # object. Sniff the first bytes: a mislabelled SSE stream still streams.
            head = bytearray()
            async for piece in pieces:
                head += piece
                if piece.lstrip(JSON_SPACE):
                    break
                if len(head) > SSE_LINE_LIMIT:  # whitespace without end is a line without end
                    raise MalformedStreamError(
                        f"The server sent over {SSE_LINE_LIMIT >> 20} MiB of blank space and "
                        "nothing else; the reply is incomplete.",
                        partial=reply,
                    )
            if bytes(head).lstrip(JSON_SPACE)[:1] in (b"{", b"["):
                events, problem = await read_answer(bytes(head), pieces, reply)
                if events:
                    yield events
                if problem is not None:
                    raise _provider_error(problem, api_key, reply)
                return
            if head:
                pieces = _chain(bytes(head), pieces)
        async for batch in _sse_batches(pieces, request, api_key, reply):
            yield batch
        if reply.done:
            return
    except httpx.ReadTimeout:
        raise StreamTimeoutError(
            f"No data from the server for {request.idle_timeout:g} s; the reply is incomplete.",
            partial=reply,
        ) from None
    except (httpx.TransportError, httpx.DecodingError) as exc:
        if reply.finish_reason is not None:
            return  # the answer was complete; only the goodbye was lost
        raise InterruptedStreamError(
            f"The connection broke before the reply was complete ({_why(exc)}).",
            status=response.status_code,
            partial=reply,
        ) from None
    if reply.finish_reason is None:
        raise InterruptedStreamError(
            "The server closed the stream before the reply was complete "
            "(no [DONE] and no finish reason).",
            status=response.status_code,
            partial=reply,
        )


async def _sse_batches(
    pieces: AsyncIterator[bytes], request: ChatRequest, api_key: str | None, reply: Reply
) -> AsyncIterator[list[StreamEvent]]:
    """The SSE body's events, one batch per network piece, then the end-of-body event.

    One call per piece, not per event: on a fast server the per-event call and
    `Reply.apply` were a third of the decoding cost. Sets `reply.done` at [DONE].
    """
    parser = SSEParser()
    reader = ChunkReader()
    limit = request.keepalive_limit
    last_data = time.monotonic()
    ended = False
    while not ended:
        try:
            piece = await anext(pieces)
            raws = parser.feed(piece)
        except StopAsyncIteration:
            ended = True
            raws = parser.close()
        except SSETooLarge as exc:
            raise MalformedStreamError(
                f"The server sent {exc} ({SSE_LINE_LIMIT >> 20} MiB is the most one line or "
                "event may hold); the reply is incomplete.",
                partial=reply,
            ) from None
        if raws:
            batch, problem = _read(reader, raws, api_key, reply)
            if batch:
                reply.extend(batch)
                yield batch
            if problem is not None:
                raise _provider_error(problem, api_key, reply)
            if reader.done:
                reply.done = True
                return
        if parser.saw_data:
            parser.saw_data = False
            last_data = time.monotonic()
        elif not ended and time.monotonic() - last_data > limit:
            raise StreamTimeoutError(
                f"The server sent only keep-alive comments and no data for {limit:g} s; "
                "the stream has stalled and the reply is incomplete.",
                partial=reply,
            )


def _read(
    reader: ChunkReader, raws: list[RawEvent], api_key: str | None, reply: Reply
) -> tuple[list[StreamEvent], ErrorInfo | None]:
    """The events of some SSE events, up to a provider error or [DONE]."""
    batch: list[StreamEvent] = []
    read = reader.read
    raw = raws[0]
    try:
        for raw in raws:
            events, problem = read(raw.event, raw.data)
            batch += events
            if problem is not None or reader.done:
                return batch, problem
    except (MalformedChunk, TypeError, ValueError, AttributeError, KeyError, RecursionError) as exc:
        if raw.at_eof:
            return batch, None  # a cut-off last event: the end-of-stream rules decide
        reply.extend(batch)  # what came before the bad chunk is part of the partial reply
        raise _malformed(exc, api_key, reply) from None
    return batch, None


def _malformed(exc: Exception, api_key: str | None, reply: Reply) -> MalformedStreamError:
    if isinstance(exc, MalformedChunk):
        quoted = redact_truncated(exc.data.strip(), SNIPPET, api_key) if exc.data else ""
        detail = f"{exc.reason}: {quoted!r}" if quoted else exc.reason
        return MalformedStreamError(
            f"The server sent data that is not a chat-completions stream ({detail}).",
            partial=reply,
        )
    return MalformedStreamError(
        f"The server sent an unreadable chunk ({type(exc).__name__}).", partial=reply
    )


async def _chain(head: bytes, rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    yield head
    async for piece in rest:
        yield piece


def _provider_error(problem: ErrorInfo, api_key: str | None, reply: Reply) -> ProviderError:
    said = redact_truncated(problem.message, PROVIDER_MESSAGE_LIMIT, api_key)
    return ProviderError(
        f"The provider reported an error: {said}",
        code=problem.code,
        error_type=problem.error_type,
        partial=reply,
    )


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
