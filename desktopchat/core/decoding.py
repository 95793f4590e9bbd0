"""One successful response body -> batches of typed events, whatever carries the bytes.

The rules of DESIGN.md §3 for a 2xx body live here once, without I/O, for both senders:
stream.py (httpx, the window and models) and direct.py (the standard library's
http.client, the command line's one request). A sender feeds the decoded body piece by
piece and hands each batch on before it raises the error that came with it.

- a server that ignores `stream: true` and answers one `application/json` object: the
  first bytes are sniffed (a mislabelled SSE stream still streams) and the document is
  read whole (answer.py), capped;
- SSE (sse.py) -> chunks (chunks.py), one batch per network piece; `[DONE]` ends it;
- a stream that sends only keep-alive comments for `request.keepalive_limit` has stalled;
- at the end of the body, a reply with neither `[DONE]` nor a finish_reason is an
  InterruptedStreamError carrying the partial reply;
- every message quoting server data is redacted before it is cut to length.
"""

from __future__ import annotations

import json
import time

from desktopchat.core.answer import JSON_SPACE, AnswerBody, is_json
from desktopchat.core.chunks import ChunkReader, ErrorInfo, MalformedChunk
from desktopchat.core.events import ConversationId, StreamEvent
from desktopchat.core.headers import acceptable_conversation_id
from desktopchat.core.http_errors import describe_body
from desktopchat.core.limits import PROVIDER_MESSAGE_LIMIT, SSE_LINE_LIMIT
from desktopchat.core.reply import Reply
from desktopchat.core.request import ChatRequest
from desktopchat.core.sse import RawEvent, SSEParser, SSETooLarge
from desktopchat.errors import (
    ApiError,
    InterruptedStreamError,
    MalformedStreamError,
    ProviderError,
    StreamTimeoutError,
)
from desktopchat.redact import redact_truncated, scrub_secrets

# Retries (both senders): only before the first response byte.
MAX_RETRIES = 2
RETRY_AFTER_CAP = 10.0  # seconds; a longer Retry-After is reported, not waited for
CONNECT_BACKOFF = (0.25, 0.75)  # before retry 1 and 2 after a connection failure
RETRY_STATUSES = (429, 503)
PAGE_START = 4096  # bytes of a body kept to describe a web page sent instead of a stream
SNIPPET = 120  # characters of a bad chunk quoted in a message (after redaction)

Step = tuple[list[StreamEvent], ApiError | None]  # a batch to hand on, then an error to raise


def request_body(request: ChatRequest) -> bytes:
    """The request's JSON body, as bytes."""
    try:
        return json.dumps(request.body(), ensure_ascii=False).encode()
    except UnicodeEncodeError:  # a lone surrogate (e.g. from an import): escape it as JSON does
        return json.dumps(request.body()).encode()


class BodyDecoder:
    """Feed the decoded body with `feed`, then `end` once it has ended (unless `finished`)."""

    def __init__(
        self,
        request: ChatRequest,
        api_key: str | None,
        reply: Reply,
        *,
        status: int,
        content_type: str | None,
    ) -> None:
        self._request = request
        self._api_key = api_key
        self._reply = reply
        self._status = status
        self._content_type = content_type or ""
        self._start = bytearray()  # the body's first bytes: what a web page instead said
        self._sniffing = is_json(content_type)
        self._head = bytearray()
        self._answer: AnswerBody | None = None
        self._parser = SSEParser()
        self._reader = ChunkReader()
        self._last_data = time.monotonic()
        self.finished = False  # the reply has ended: read no further

    def first(self, conversation_header: str | None) -> list[StreamEvent]:
        """The batch before the body: the conversation id a response header carries."""
        conversation = acceptable_conversation_id(conversation_header)
        if not conversation or scrub_secrets(conversation, [self._api_key]) != conversation:
            return []  # none, or one that spells the key: never stored nor sent back
        event = ConversationId(conversation)
        self._reply.apply(event)
        return [event]

    def feed(self, piece: bytes) -> Step:
        if len(self._start) < PAGE_START:
            self._start += piece[: PAGE_START - len(self._start)]
        if self._answer is not None:
            self._answer.add(piece)
            return [], None
        if self._sniffing:
            # Some servers ignore `stream: true` and answer with one chat.completion
            # object. Sniff the first bytes: a mislabelled SSE stream still streams.
            self._head += piece
            if not piece.lstrip(JSON_SPACE):
                if len(self._head) > SSE_LINE_LIMIT:  # whitespace without end: a line without end
                    raise MalformedStreamError(
                        f"The server sent over {SSE_LINE_LIMIT >> 20} MiB of blank space and "
                        "nothing else; the reply is incomplete.",
                        partial=self._reply,
                    )
                return [], None
            self._sniffing = False
            head, self._head = bytes(self._head), bytearray()
            if head.lstrip(JSON_SPACE)[:1] in (b"{", b"["):
                self._answer = AnswerBody(head, self._reply, self._api_key)
                return [], None
            piece = head
        return self._sse(piece, ended=False)

    def end(self) -> Step:
        """The body has ended: what it still held, then the end-of-stream rules."""
        if self._answer is not None:
            events, problem = self._answer.events()
            self.finished = True
            return events, (self.provider_error(problem) if problem is not None else None)
        if self._sniffing and self._head:
            self._sniffing = False
            batch, error = self._sse(bytes(self._head), ended=False)
            if error is not None or self.finished:
                return batch, error
            more, error = self._sse(None, ended=True)
            batch = batch + more
        else:
            batch, error = self._sse(None, ended=True)
        if error is None and not self.finished and self._reply.finish_reason is None:
            error = self._web_page()
        if error is None and not self.finished and self._reply.finish_reason is None:
            error = InterruptedStreamError(
                "The server closed the stream before the reply was complete "
                "(no [DONE] and no finish reason).",
                status=self._status,
                partial=self._reply,
            )
        self.finished = True
        return batch, error

    def _web_page(self) -> MalformedStreamError | None:
        """A web page where the stream should be (a proxy's sign-in or error page, a wrong
        URL): said so, with the page's title, instead of "closed before the reply"."""
        start = bytes(self._start).lstrip()
        if self._reply.events or not ("html" in self._content_type or start[:1] == b"<"):
            return None
        message, _, _ = describe_body(start, self._content_type or "text/html", self._api_key)
        title = message.split("sent a web page: ", 1)[-1] if message else ""
        said = f" ({title})" if title else ""
        return MalformedStreamError(
            f"The server answered with a web page instead of a stream (HTTP {self._status})"
            f"{said}. Check the URL; a proxy or a sign-in page may be in the way.",
            status=self._status, partial=self._reply)

    def _sse(self, piece: bytes | None, *, ended: bool) -> Step:
        """One network piece's events (one batch: the per-event cost was a third of the
        decoding time on a fast server); at [DONE], `finished` and reply.done are set."""
        parser = self._parser
        try:
            raws = parser.close() if piece is None else parser.feed(piece)
        except SSETooLarge as exc:
            raise MalformedStreamError(
                f"The server sent {exc} ({SSE_LINE_LIMIT >> 20} MiB is the most one line or "
                "event may hold); the reply is incomplete.",
                partial=self._reply,
            ) from None
        batch: list[StreamEvent] = []
        if raws:
            batch, problem = self._read(raws)
            if batch:
                self._reply.extend(batch)
            if problem is not None:
                return batch, self.provider_error(problem)
            if self._reader.done:
                self._reply.done = True
                self.finished = True
                return batch, None
        if parser.saw_data:
            parser.saw_data = False
            self._last_data = time.monotonic()
        elif not ended and time.monotonic() - self._last_data > self._request.keepalive_limit:
            limit = self._request.keepalive_limit
            return batch, StreamTimeoutError(
                f"The server sent only keep-alive comments and no data for {limit:g} s; "
                "the stream has stalled and the reply is incomplete.",
                partial=self._reply,
            )
        return batch, None

    def _read(self, raws: list[RawEvent]) -> tuple[list[StreamEvent], ErrorInfo | None]:
        """The events of some SSE events, up to a provider error or [DONE]."""
        batch: list[StreamEvent] = []
        read = self._reader.read
        raw = raws[0]
        try:
            for raw in raws:
                events, problem = read(raw.event, raw.data)
                batch += events
                if problem is not None or self._reader.done:
                    return batch, problem
        except (MalformedChunk, TypeError, ValueError, AttributeError, KeyError,
                RecursionError) as exc:
            if raw.at_eof:
                return batch, None  # a cut-off last event: the end-of-stream rules decide
            if isinstance(exc, MalformedChunk):
                batch += exc.events  # the bad chunk's own text before the problem: kept
            self._reply.extend(batch)  # what came before the bad chunk is part of the reply
            raise self._malformed(exc) from None
        return batch, None

    def _malformed(self, exc: Exception) -> MalformedStreamError:
        if isinstance(exc, MalformedChunk):
            quoted = (redact_truncated(exc.data.strip(), SNIPPET, self._api_key)
                      if exc.data else "")
            detail = f"{exc.reason}: {quoted!r}" if quoted else exc.reason
            return MalformedStreamError(
                f"The server sent data that is not a chat-completions stream ({detail}).",
                partial=self._reply,
            )
        return MalformedStreamError(
            f"The server sent an unreadable chunk ({type(exc).__name__}).", partial=self._reply
        )

    def provider_error(self, problem: ErrorInfo) -> ProviderError:
        said = redact_truncated(problem.message, PROVIDER_MESSAGE_LIMIT, self._api_key)
        return ProviderError(
            f"The provider reported an error: {said}",
            code=problem.code,
            error_type=problem.error_type,
            partial=self._reply,
        )

    # -- what a sender reports when the connection fails under the body -----------------

    def idle_timeout(self) -> StreamTimeoutError:
        return StreamTimeoutError(
            f"No data from the server for {self._request.idle_timeout:g} s; the reply is "
            "incomplete.",
            partial=self._reply,
        )

    def broken(self, why: str) -> InterruptedStreamError | None:
        """The connection broke: None when the answer was complete (only the goodbye was
        lost), else the error carrying the partial reply."""
        if self._reply.finish_reason is not None:
            return None
        return InterruptedStreamError(
            f"The connection broke before the reply was complete ({why}).",
            status=self._status,
            partial=self._reply,
        )


def why(exc: BaseException, name: str | None = None) -> str:
    """`Name: text` of a transport failure, for a message (`name`: the kind to show)."""
    text = str(exc).strip()
    kind = name or type(exc).__name__
    return f"{kind}: {text}" if text else kind
