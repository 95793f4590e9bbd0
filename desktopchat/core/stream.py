"""stream_chat: one request, a stream of typed events, every failure a typed error.

Rules (DESIGN.md §3):
- a key never travels over plain http to a non-loopback host unless allowed;
- retries happen only before the first response byte: connection errors, and 429/503
  whose Retry-After is at most RETRY_AFTER_CAP; at most MAX_RETRIES; never once a
  response has started streaming;
- the httpx read timeout is the idle timeout between chunks;
- the end is `[DONE]`, or the server closing after a finish_reason (Bitseek); a close
  with neither is an InterruptedStreamError carrying the partial reply;
- a server that ignores `stream: true` and answers one `application/json`
  chat.completion object yields the same events a stream of it would have;
- cancelling the consuming task closes the connection (the `async with` unwinds).
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import httpx

from desktopchat.core.events import ConversationId, StreamEvent
from desktopchat.core.http import (
    ERROR_BODY_LIMIT,
    http_error,
    make_client,
    parse_retry_after,
    redact,
)
from desktopchat.core.reply import Reply
from desktopchat.core.request import ChatRequest
from desktopchat.core.sse import (
    ChunkReader,
    ErrorInfo,
    MalformedChunk,
    RawEvent,
    SSEParser,
    completion_events,
)
from desktopchat.errors import (
    ApiError,
    HttpStatusError,
    InsecureTransportError,
    InterruptedStreamError,
    MalformedStreamError,
    NetworkError,
    ProviderError,
    StreamTimeoutError,
)

MAX_RETRIES = 2
RETRY_AFTER_CAP = 10.0  # seconds; a longer Retry-After is reported, not waited for
CONNECT_BACKOFF = (0.25, 0.75)  # before retry 1 and 2 after a connection failure
_RETRY_STATUSES = (429, 503)
JSON_BODY_LIMIT = 32 * 1024 * 1024  # a whole non-streamed answer; far above any real reply


def is_loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_transport(request: ChatRequest, api_key: str | None) -> None:
    scheme = urlsplit(request.url).scheme.lower()
    if (
        api_key
        and scheme == "http"
        and not request.allow_insecure_http
        and not is_loopback(request.url)
    ):
        host = urlsplit(request.url).hostname or request.url
        raise InsecureTransportError(
            f"Not sending the API key to {host} over plain http: anyone on the network could "
            "read it. Use an https:// URL, or allow insecure http for this profile."
        )


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


async def stream_batches(
    request: ChatRequest,
    *,
    api_key: str | None,
    http: httpx.AsyncClient | None = None,
    reply: Reply | None = None,
) -> AsyncIterator[list[StreamEvent]]:
    """Like stream_chat, but one list per network read (already folded into `reply`).

    Passing a batch instead of each event through the generator layers is what keeps
    decoding at raw httpx-sse speed on fast local servers.
    """
    check_transport(request, api_key)
    reply = Reply() if reply is None else reply
    client = http if http is not None else make_client(connect_timeout=request.connect_timeout)
    try:
        async for batch in _attempts(client, request, api_key, reply):
            yield batch
    finally:
        if http is None:
            await client.aclose()


async def _attempts(
    client: httpx.AsyncClient, request: ChatRequest, api_key: str | None, reply: Reply
) -> AsyncIterator[list[StreamEvent]]:
    content = json.dumps(request.body(), ensure_ascii=False).encode()
    headers = request.headers(api_key)
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
                "POST", request.url, content=content, headers=headers, timeout=timeout
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
                raise _transport_error(exc, request, api_key, reply, attempt) from None
            wait = CONNECT_BACKOFF[attempt]
        except httpx.TransportError as exc:  # before any response: proxy, protocol, ...
            raise _transport_error(exc, request, api_key, reply, attempt) from None
        except httpx.InvalidURL as exc:
            raise NetworkError(
                f"The URL {request.url!r} is not valid: {exc}", partial=reply
            ) from None
        attempt += 1
        await asyncio.sleep(wait)


async def _status_error(
    response: httpx.Response, api_key: str | None, reply: Reply
) -> tuple[HttpStatusError, float | None]:
    """The error for an HTTP error answer, and how long to wait if it may be retried."""
    body = bytearray()
    try:
        async for piece in response.aiter_bytes():
            body += piece
            if len(body) >= ERROR_BODY_LIMIT:
                break
    except (httpx.TransportError, httpx.DecodingError):
        pass  # the status alone still says what happened
    status = response.status_code
    error = http_error(status, response.headers, bytes(body), api_key=api_key, partial=reply)
    wait = parse_retry_after(response.headers.get("retry-after"))
    if status not in _RETRY_STATUSES or wait is None or wait > RETRY_AFTER_CAP:
        wait = None
    return error, wait


async def _events(
    response: httpx.Response, request: ChatRequest, api_key: str | None, reply: Reply
) -> AsyncIterator[list[StreamEvent]]:
    conversation = response.headers.get("x-conversation-id")
    if conversation and conversation.strip():
        first: StreamEvent = ConversationId(conversation.strip())
        reply.apply(first)
        yield [first]
    pieces: AsyncIterator[bytes] = response.aiter_bytes()
    try:
        if _is_json(response.headers.get("content-type")):
            # Some servers ignore `stream: true` and answer with one chat.completion
            # object. Sniff the first bytes: a mislabelled SSE stream still streams.
            head = b""
            async for piece in pieces:
                head += piece
                if head.lstrip(_JSON_SPACE):
                    break
            if head.lstrip(_JSON_SPACE)[:1] in (b"{", b"["):
                events = await _whole_answer(head, pieces, api_key, reply)
                if events:
                    yield events
                return
            if head:
                pieces = _chain(head, pieces)
        parser = SSEParser()
        reader = ChunkReader()
        async for piece in pieces:
            batch, problem = _decode(parser, reader, piece, reply)
            if batch:
                reply.extend(batch)
                yield batch
            if problem is not None:
                raise _provider_error(problem, api_key, reply)
            if reader.done:
                reply.done = True
                return
        for raw in parser.close():
            try:
                events, problem = _read(reader, raw, reply)
            except MalformedStreamError:
                if raw.at_eof:
                    continue  # a cut-off last event: the end rules below decide
                raise
            reply.extend(events)
            if events:
                yield events
            if problem is not None:
                raise _provider_error(problem, api_key, reply)
            if reader.done:
                reply.done = True
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


def _decode(
    parser: SSEParser, reader: ChunkReader, piece: bytes, reply: Reply
) -> tuple[list[StreamEvent], ErrorInfo | None]:
    """The events of one network piece, up to a provider error or [DONE].

    One call per piece, not per event: on a fast server the per-event call and
    `Reply.apply` were a third of the decoding cost.
    """
    batch: list[StreamEvent] = []
    read = reader.read
    try:
        for raw in parser.feed(piece):
            events, problem = read(raw.event, raw.data)
            batch += events
            if problem is not None or reader.done:
                return batch, problem
    except MalformedChunk as exc:
        reply.extend(batch)  # what came before the bad chunk is part of the partial reply
        raise MalformedStreamError(
            f"The server sent data that is not a chat-completions stream ({exc}).", partial=reply
        ) from None
    except (TypeError, ValueError, AttributeError, KeyError, RecursionError) as exc:
        reply.extend(batch)
        raise MalformedStreamError(
            f"The server sent an unreadable chunk ({type(exc).__name__}).", partial=reply
        ) from None
    return batch, None


def _read(
    reader: ChunkReader, raw: RawEvent, reply: Reply
) -> tuple[list[StreamEvent], ErrorInfo | None]:
    try:
        return reader.read(raw.event, raw.data)
    except MalformedChunk as exc:
        raise MalformedStreamError(
            f"The server sent data that is not a chat-completions stream ({exc}).", partial=reply
        ) from None
    except (TypeError, ValueError, AttributeError, KeyError, RecursionError) as exc:
        raise MalformedStreamError(
            f"The server sent an unreadable chunk ({type(exc).__name__}).", partial=reply
        ) from None


_JSON_SPACE = b"\xef\xbb\xbf \t\r\n"  # a BOM's bytes and JSON whitespace, for sniffing


def _is_json(content_type: str | None) -> bool:
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    return kind in ("application/json", "text/json") or kind.endswith("+json")


async def _chain(head: bytes, rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    yield head
    async for piece in rest:
        yield piece


async def _whole_answer(
    head: bytes, pieces: AsyncIterator[bytes], api_key: str | None, reply: Reply
) -> list[StreamEvent]:
    """A whole chat.completion answer (the server ignored `stream: true`) -> events."""
    body = bytearray(head)
    async for piece in pieces:
        body += piece
        if len(body) > JSON_BODY_LIMIT:
            raise MalformedStreamError(
                f"The server answered with a JSON document over {JSON_BODY_LIMIT >> 20} MiB "
                "instead of a stream; not reading it.",
                partial=reply,
            )
    text = body.decode("utf-8", "replace").lstrip("\ufeff")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()):  # the document just stops: the body was cut off
            raise InterruptedStreamError(
                "The server's JSON answer ended before it was complete.", partial=reply
            ) from None
        raise MalformedStreamError(
            f"The server answered with JSON that could not be read ({exc.msg} at "
            f"character {exc.pos}).",
            partial=reply,
        ) from None
    except RecursionError:
        raise MalformedStreamError(
            "The server answered with JSON nested too deeply to read.", partial=reply
        ) from None
    try:
        events, problem = completion_events(value)
    except MalformedChunk as exc:
        raise MalformedStreamError(
            f"The server answered with JSON instead of a stream, and {exc}.", partial=reply
        ) from None
    reply.extend(events)
    if problem is not None:
        raise _provider_error(problem, api_key, reply)
    reply.done = True  # the whole document arrived and was read
    return events


def _provider_error(problem: ErrorInfo, api_key: str | None, reply: Reply) -> ProviderError:
    return ProviderError(
        redact(f"The provider reported an error: {problem.message}", api_key),
        code=problem.code,
        error_type=problem.error_type,
        partial=reply,
    )


def _why(exc: Exception) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _transport_error(
    exc: httpx.TransportError, request: ChatRequest, api_key: str | None, reply: Reply, tries: int
) -> ApiError:
    host = urlsplit(request.url).netloc or request.url
    after = f" after {tries + 1} attempts" if tries else ""
    if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
        return StreamTimeoutError(
            f"Could not connect to {host} within {request.connect_timeout:g} s{after}.",
            partial=reply,
        )
    if isinstance(exc, httpx.TimeoutException):
        return StreamTimeoutError(f"{host} did not answer in time{after}.", partial=reply)
    if isinstance(exc, httpx.ProxyError):
        return NetworkError(
            redact(f"The proxy refused the connection: {_why(exc)}", api_key), partial=reply
        )
    if isinstance(exc, httpx.UnsupportedProtocol):
        return NetworkError(
            f"The URL {request.url!r} must start with http:// or https://.", partial=reply
        )
    return NetworkError(
        redact(f"Could not reach {host}{after} ({_why(exc)}).", api_key), partial=reply
    )
