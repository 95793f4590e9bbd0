"""A real HTTP/1.1 server on 127.0.0.1 that plays scripted, chunked responses.

It runs in a background *thread* (not on the test's event loop) so asyncio tests,
qasync GUI tests and subprocesses can all talk to it. It is written on raw sockets
so a test controls every chunk boundary: each piece of a `ScriptedResponse` is sent
as one HTTP chunk and flushed, a drop closes the socket without the terminating
0-chunk, and a stall holds the response open until the client hangs up or the
fixture tears down.
"""

from __future__ import annotations

import contextlib
import json
import socket
import socketserver
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

# Re-exported for tests that import them from here; the builders live in sse_script.py.
from tests.support.sse_script import chat_chunk as chat_chunk
from tests.support.sse_script import sse_body as sse_body

_MAX_HEADER_BYTES = 64 * 1024


@dataclass
class ScriptedResponse:
    """One response: status, headers, body pieces (one chunk each), faults.

    delay: seconds to wait before each piece. drop_after: close the connection
    after that many pieces without ending the chunked body. stall_after: after that
    many pieces send nothing more until the client disconnects or teardown.
    hold_after: after that many pieces wait for `release` to be set, then go on.
    chunked=False sends the joined pieces with a Content-Length instead.
    """

    status: int = 200
    headers: Mapping[str, str | None] = field(default_factory=dict)  # None: leave it out
    pieces: list[bytes] = field(default_factory=list)
    delay: float = 0.0
    drop_after: int | None = None
    stall_after: int | None = None
    chunked: bool = True
    # After `hold_after` pieces, send nothing more until the test calls `release.set()`:
    # for asserting a mid-stream state without racing a delay on a loaded machine.
    hold_after: int | None = None
    release: threading.Event = field(default_factory=threading.Event)


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


_TEARDOWN_JOIN = 10.0  # seconds close() waits for handler threads after waking them


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        owner = self.server.owner
        if not owner._track(sock):
            return  # accepted during teardown
        try:
            try:
                request = _read_request(sock)
            except (OSError, ValueError):
                return
            if request is None:
                return
            owner._record(request)
            scripted = owner._take(request.path)
            try:
                _play(sock, scripted, owner)
            except OSError:
                pass  # the client went away; that is what some tests are about
            finally:
                # Send our FIN before counting the connection as closed, so a test that
                # sees `connections_closed` go up knows the client can see the end too.
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_WR)
                owner._note_closed()
        finally:
            owner._untrack(sock)


class _Server(socketserver.ThreadingTCPServer):
    # close() wakes every handler (it shuts their sockets down) and joins them with a
    # bound; daemon threads so a handler that still misbehaves can never keep the
    # interpreter from exiting after the run (a silent, CPU-idle hang).
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 64  # a burst of connections on a loaded machine is not refused

    def __init__(self, owner: LoopbackServer, port: int = 0) -> None:
        self.owner = owner
        super().__init__(("127.0.0.1", port), _Handler)


def _read_request(sock: socket.socket) -> RecordedRequest | None:
    buf = b""
    while b"\r\n\r\n" not in buf:
        data = sock.recv(65536)
        if not data:
            return None
        buf += data
        if len(buf) > _MAX_HEADER_BYTES:
            raise ValueError("request head too large")
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, target, _version = lines[0].split(" ", 2)
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = _read_chunked(sock, rest)
    else:
        length = int(headers.get("content-length", "0") or 0)
        body = rest
        while len(body) < length:
            data = sock.recv(65536)
            if not data:
                break
            body += data
        body = body[:length]
    return RecordedRequest(method, target, headers, body)


def _read_chunked(sock: socket.socket, buf: bytes) -> bytes:
    body = b""
    while True:
        while b"\r\n" not in buf:
            buf += _recv_or_fail(sock)
        size_line, _, buf = buf.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        while len(buf) < size + 2:
            buf += _recv_or_fail(sock)
        if size == 0:
            return body
        body += buf[:size]
        buf = buf[size + 2 :]


def _recv_or_fail(sock: socket.socket) -> bytes:
    data = sock.recv(65536)
    if not data:
        raise ValueError("client closed mid-request")
    return data


def _play(sock: socket.socket, scripted: ScriptedResponse, owner: LoopbackServer) -> None:
    reason = _REASONS.get(scripted.status, "Status")
    head = [f"HTTP/1.1 {scripted.status} {reason}"]
    names = {name.lower() for name in scripted.headers}
    for name, value in scripted.headers.items():
        if value is not None and name.lower() not in ("transfer-encoding", "content-length"):
            head.append(f"{name}: {value}")
    if "content-type" not in names:
        head.append("Content-Type: text/event-stream")
    if scripted.chunked:
        head.append("Transfer-Encoding: chunked")
    else:
        head.append(f"Content-Length: {sum(len(p) for p in scripted.pieces)}")
    head.append("Connection: close")
    sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
    for sent, piece in enumerate(scripted.pieces):
        if scripted.drop_after is not None and sent >= scripted.drop_after:
            _drop(sock)
            return
        if scripted.stall_after is not None and sent >= scripted.stall_after:
            owner._stall(sock)
            return
        if sent == scripted.hold_after and not _held(scripted.release, owner._stop):
            return
        if scripted.delay and owner._stop.wait(scripted.delay):
            return
        if not piece:
            continue  # an empty chunk would end the body
        if scripted.chunked:
            sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
        else:
            sock.sendall(piece)
    if scripted.drop_after is not None:
        _drop(sock)
        return
    if scripted.stall_after is not None:
        owner._stall(sock)
        return
    if scripted.chunked:
        sock.sendall(b"0\r\n\r\n")


def _held(release: threading.Event, stop: threading.Event) -> bool:
    """Wait for `release`; False when the server is stopping instead."""
    while not release.wait(0.05):
        if stop.is_set():
            return False
    return True


def _drop(sock: socket.socket) -> None:
    # Shut down without the terminating 0-chunk: the client sees a broken body.
    sock.shutdown(socket.SHUT_RDWR)


class LoopbackServer:
    """The running server. Use the `loopback_server` fixture rather than building one."""

    def __init__(self, port: int = 0) -> None:
        """`port`: 0 for any free port; a former server's port to start it again."""
        self._lock = threading.Lock()
        self._queue: list[tuple[str | None, ScriptedResponse]] = []
        self._stop = threading.Event()
        self._closed = threading.Condition(self._lock)
        self._closed_count = 0
        self._open: set[socket.socket] = set()  # client sockets of running handlers
        self._handlers: list[threading.Thread] = []
        self.requests: list[RecordedRequest] = []
        self._server = _Server(self, port)
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def url(self, path: str = "/chat/completions") -> str:
        return self.base_url + path

    def enqueue(self, response: ScriptedResponse, path: str | None = None) -> None:
        """Queue a response (FIFO); with `path` ("/v1/models" or "/models") only that path."""
        with self._lock:
            self._queue.append((path, response))

    @property
    def connections_closed(self) -> int:
        """How many responses have ended (normally, dropped, or by the client hanging up)."""
        with self._lock:
            return self._closed_count

    def wait_closed(self, count: int = 1, timeout: float = 30.0) -> bool:
        """Block until `count` responses have ended; True if they did within `timeout`."""
        with self._closed:
            return self._closed.wait_for(lambda: self._closed_count >= count, timeout)

    def close(self) -> None:
        """Stop serving and end every connection; never blocks on a client."""
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=_TEARDOWN_JOIN)
        with self._lock:
            still_open = list(self._open)
            handlers = list(self._handlers)
        for sock in still_open:
            # Wakes a handler blocked in recv()/sendall() on a client that neither sends
            # nor reads (a leaked or half-open connection): it returns at once.
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + _TEARDOWN_JOIN
        for thread in handlers:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        stuck = [t.name for t in handlers if t.is_alive()]
        if stuck or self._thread.is_alive():
            raise RuntimeError(f"loopback server threads did not stop: {stuck}")

    # -- used by handler threads --------------------------------------------------------

    def _track(self, sock: socket.socket) -> bool:
        with self._lock:
            if self._stop.is_set():
                return False
            self._open.add(sock)
            self._handlers.append(threading.current_thread())
            return True

    def _untrack(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.discard(sock)

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _take(self, path: str) -> ScriptedResponse:
        with self._lock:
            for i, (wanted, response) in enumerate(self._queue):
                if wanted is None or path in (wanted, "/v1" + wanted):
                    del self._queue[i]
                    return response
        body = f"loopback: no scripted response queued for {path}".encode()
        return ScriptedResponse(500, {"Content-Type": "text/plain"}, [body])

    def _note_closed(self) -> None:
        with self._closed:
            self._closed_count += 1
            self._closed.notify_all()

    def _stall(self, sock: socket.socket) -> None:
        # Hold the response open; end when the client disconnects or at teardown.
        sock.settimeout(0.05)
        while not self._stop.is_set():
            try:
                if not sock.recv(4096):
                    return
            except TimeoutError:
                continue
            except OSError:
                return


# Sockets that keep unused_port() ports taken until the end of the current test.
_reserved_ports: list[socket.socket] = []


def unused_port() -> int:
    """A local port nobody listens on (for connection-refused tests), held until the test ends.

    The port stays bound (never listening) for the rest of the test: connecting to it is
    refused, and neither a LoopbackServer started later (here or in a test session running
    beside this one) nor a client's ephemeral port can take it. Released at once, the kernel
    hands the same port to the next bind(0) about once in 12,000 binds: a "refused"
    request then reaches some other test's loopback server, is recorded there and eats the
    response that test queued.
    """
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    _reserved_ports.append(s)
    return int(s.getsockname()[1])


@pytest.fixture(autouse=True)
def _release_unused_ports() -> Iterator[None]:
    yield
    while _reserved_ports:
        _reserved_ports.pop().close()


@pytest.fixture
def loopback_server() -> Iterator[LoopbackServer]:
    server = LoopbackServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
