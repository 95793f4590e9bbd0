"""A profile's proxy and extra headers reach the wire: streamed chats through real proxies.

Two tiny threaded proxies on 127.0.0.1 stand in for the user's: an HTTP forward proxy
(absolute-URI requests, optional Basic Proxy-Authorization) and a SOCKS5 proxy (optional
username/password). Each records that it was used; the chat itself is answered by the
loopback server.

Loopback URLs never go through a proxy (issue 10: the key would pass a proxy in
clear), so the proxied chats here address the loopback server by a name that is not
loopback, REMOTE_NAME, which only the toy proxies resolve (to 127.0.0.1).
"""

from __future__ import annotations

import base64
import contextlib
import socket
import struct
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from desktopchat.core.http import make_client
from desktopchat.core.models import list_models
from desktopchat.core.request import ChatMessage
from desktopchat.core.stream import collect
from desktopchat.errors import ApiError
from desktopchat.profile_requests import chat_request, client_options
from desktopchat.secrets import SecretStore
from desktopchat.settings import Profile, ProxySettings
from tests.support.loopback import LoopbackServer, ScriptedResponse
from tests.support.sse_script import chat_chunk, sse_body

pytestmark = pytest.mark.anyio

HELLO = [ChatMessage("user", "hi")]
REMOTE_NAME = "chat.proxied.test"  # not loopback by name; the toy proxies map it to 127.0.0.1


def _resolve(host: str) -> str:
    return "127.0.0.1" if host == REMOTE_NAME else host
KEY = "sk-proxy-test-key"


def _relay(a: socket.socket, b: socket.socket) -> None:
    """Copy bytes both ways until either side closes."""

    def pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    other = threading.Thread(target=pump, args=(b, a), daemon=True)
    other.start()
    pump(a, b)
    other.join(timeout=5)


def _read_head(sock: socket.socket) -> tuple[bytes, bytes]:
    buf = b""
    while b"\r\n\r\n" not in buf:
        data = sock.recv(65536)
        if not data:
            raise ConnectionError("client went away")
        buf += data
    head, rest = buf.split(b"\r\n\r\n", 1)
    return head, rest


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    out = b""
    while len(out) < n:
        data = sock.recv(n - len(out))
        if not data:
            raise ConnectionError("short read")
        out += data
    return out


@dataclass
class ToyProxy:
    """Base for the two proxies: a listening socket, one thread per connection."""

    user: str | None = None
    password: str | None = None
    used: list[str] = field(default_factory=list)  # target of each accepted request
    refused: int = 0
    listener: socket.socket = field(default_factory=socket.socket)
    threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen()
        self.port = self.listener.getsockname()[1]
        self._spawn(self._accept_loop)

    def _spawn(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        self.threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self._spawn(self._serve, conn)

    def _serve(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError, ValueError):
            self.handle(conn)

    def handle(self, conn: socket.socket) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.listener.close()


class HttpForwardProxy(ToyProxy):
    def handle(self, conn: socket.socket) -> None:
        head, rest = _read_head(conn)
        lines = head.decode("latin-1").split("\r\n")
        method, target, version = lines[0].split(" ")
        headers = [line.split(":", 1) for line in lines[1:]]
        if self.user is not None:
            expected = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            given = [v.strip() for k, v in headers if k.lower() == "proxy-authorization"]
            if given != [f"Basic {expected}"]:
                self.refused += 1
                conn.sendall(
                    b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                    b'Proxy-Authenticate: Basic realm="toy"\r\nContent-Length: 0\r\n'
                    b"Connection: close\r\n\r\n"
                )
                return
        if not target.startswith("http://"):
            raise ValueError("only absolute-URI forwarding is supported")
        hostport, _, path = target[len("http://") :].partition("/")
        host, _, port = hostport.partition(":")
        self.used.append(target)
        kept = [
            f"{k}:{v}"
            for k, v in headers
            if k.lower() not in ("proxy-authorization", "proxy-connection", "connection")
        ]
        upstream_head = "\r\n".join(
            [f"{method} /{path} {version}", *kept, "Connection: close", "", ""]
        ).encode("latin-1")
        with socket.create_connection((_resolve(host), int(port or 80)), timeout=10) as upstream:
            upstream.sendall(upstream_head + rest)
            _relay(conn, upstream)


class Socks5Proxy(ToyProxy):
    def handle(self, conn: socket.socket) -> None:
        version, count = _recv_exact(conn, 2)
        methods = _recv_exact(conn, count)
        wanted = 2 if self.user is not None else 0
        if version != 5 or wanted not in methods:
            conn.sendall(b"\x05\xff")
            self.refused += 1
            return
        conn.sendall(bytes([5, wanted]))
        if wanted == 2:  # RFC 1929 username/password
            _, ulen = _recv_exact(conn, 2)
            user = _recv_exact(conn, ulen).decode()
            (plen,) = _recv_exact(conn, 1)
            password = _recv_exact(conn, plen).decode()
            ok = (user, password) == (self.user, self.password)
            conn.sendall(b"\x01\x00" if ok else b"\x01\x01")
            if not ok:
                self.refused += 1
                return
        _, command, _, atyp = _recv_exact(conn, 4)
        if atyp == 1:
            host = socket.inet_ntoa(_recv_exact(conn, 4))
        elif atyp == 3:
            (length,) = _recv_exact(conn, 1)
            host = _recv_exact(conn, length).decode()
        else:
            raise ValueError("IPv6 not needed here")
        (port,) = struct.unpack("!H", _recv_exact(conn, 2))
        if command != 1:
            raise ValueError("CONNECT only")
        self.used.append(f"{host}:{port}")
        with socket.create_connection((_resolve(host), port), timeout=10) as upstream:
            conn.sendall(b"\x05\x00\x00\x01" + socket.inet_aton("127.0.0.1") + b"\x00\x00")
            _relay(conn, upstream)


@pytest.fixture
def http_proxy() -> Iterator[HttpForwardProxy]:
    proxy = HttpForwardProxy()
    proxy.start()
    yield proxy
    proxy.close()


@pytest.fixture
def socks_proxy() -> Iterator[Socks5Proxy]:
    proxy = Socks5Proxy()
    proxy.start()
    yield proxy
    proxy.close()


def script_reply(server: LoopbackServer) -> None:
    body = sse_body(chat_chunk("Hello"), chat_chunk(" there", finish="stop"))
    server.enqueue(
        ScriptedResponse(200, {"Content-Type": "text/event-stream"}, [body[:20], body[20:]])
    )


def remote_url(server: LoopbackServer) -> str:
    """The loopback server's chat URL under a name that is not loopback."""
    return server.url().replace("127.0.0.1", REMOTE_NAME)


def profile_for(
    server: LoopbackServer, proxy: ProxySettings, *, via_proxy: bool = True
) -> Profile:
    return Profile(
        name="Proxied",
        url=remote_url(server) if via_proxy else server.url(),
        allow_insecure_http=via_proxy,  # the toy chain is plain http end to end
        model="m",
        extra_headers={"X-Title": "desktopchat", "OpenAI-Organization": "org-1"},
        proxy=proxy,
    )


async def chat(profile: Profile, password: str | None) -> str:
    async with make_client(**client_options(profile, password)) as client:
        reply = await collect(chat_request(profile, HELLO), api_key=KEY, http=client)
    return reply.content


async def test_streamed_chat_through_an_http_proxy(
    loopback_server: LoopbackServer, http_proxy: HttpForwardProxy
) -> None:
    script_reply(loopback_server)
    url = f"http://127.0.0.1:{http_proxy.port}"
    profile = profile_for(loopback_server, ProxySettings(mode="custom", url=url))
    assert await chat(profile, None) == "Hello there"
    assert http_proxy.used == [remote_url(loopback_server)]
    (request,) = loopback_server.requests
    assert request.headers["x-title"] == "desktopchat"
    assert request.headers["openai-organization"] == "org-1"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert "proxy-authorization" not in request.headers
    assert request.json()["messages"] == [{"role": "user", "content": "hi"}]


async def test_proxy_password_from_the_keyring(
    loopback_server: LoopbackServer, http_proxy: HttpForwardProxy, secret_store: SecretStore
) -> None:
    http_proxy.user, http_proxy.password = "alice", "s3cret:/@"
    secret_store.set_proxy_password("Proxied", "s3cret:/@")
    script_reply(loopback_server)
    url = f"http://alice@127.0.0.1:{http_proxy.port}"
    profile = profile_for(loopback_server, ProxySettings(mode="custom", url=url))
    assert profile.proxy_needs_password()
    content = await chat(profile, secret_store.get_proxy_password(profile.name))
    assert content == "Hello there"
    assert http_proxy.refused == 0 and len(http_proxy.used) == 1


async def test_wrong_proxy_password_is_an_error_and_nothing_reaches_the_server(
    loopback_server: LoopbackServer, http_proxy: HttpForwardProxy
) -> None:
    http_proxy.user, http_proxy.password = "alice", "right"
    url = f"http://alice@127.0.0.1:{http_proxy.port}"
    profile = profile_for(loopback_server, ProxySettings(mode="custom", url=url))
    with pytest.raises(ApiError) as info:
        await chat(profile, "wrong")
    assert info.value.status == 407
    assert KEY not in info.value.message
    assert http_proxy.refused == 1 and loopback_server.requests == []


@pytest.mark.parametrize("scheme", ["socks5", "socks5h"])
async def test_streamed_chat_through_socks5_with_password(
    loopback_server: LoopbackServer, socks_proxy: Socks5Proxy, scheme: str
) -> None:
    socks_proxy.user, socks_proxy.password = "bob", "pw"
    script_reply(loopback_server)
    url = f"{scheme}://bob@127.0.0.1:{socks_proxy.port}"
    profile = profile_for(loopback_server, ProxySettings(mode="custom", url=url))
    assert await chat(profile, "pw") == "Hello there"
    assert socks_proxy.used == [f"{REMOTE_NAME}:{loopback_server.port}"]
    assert loopback_server.requests[0].headers["x-title"] == "desktopchat"


async def test_system_mode_uses_the_environment_and_none_ignores_it(
    loopback_server: LoopbackServer,
    http_proxy: HttpForwardProxy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{http_proxy.port}")
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{http_proxy.port}")
    script_reply(loopback_server)
    system = profile_for(loopback_server, ProxySettings(mode="system"))
    assert await chat(system, None) == "Hello there"
    assert len(http_proxy.used) == 1

    script_reply(loopback_server)
    direct = profile_for(loopback_server, ProxySettings(mode="none"), via_proxy=False)
    assert await chat(direct, None) == "Hello there"
    assert len(http_proxy.used) == 1  # not used the second time
    assert len(loopback_server.requests) == 2


@pytest.mark.parametrize("mode", ["system", "custom"])
async def test_loopback_bypasses_every_proxy(
    loopback_server: LoopbackServer,
    http_proxy: HttpForwardProxy,
    monkeypatch: pytest.MonkeyPatch,
    mode: str,
) -> None:
    """Issue 10: with HTTP_PROXY set (system) or a proxy configured (custom), a chat and a
    model list to a loopback URL go straight to the server; the key never meets the proxy."""
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    proxy_url = f"http://127.0.0.1:{http_proxy.port}"
    monkeypatch.setenv("HTTP_PROXY", proxy_url)
    monkeypatch.setenv("http_proxy", proxy_url)
    settings = ProxySettings(mode="system") if mode == "system" else ProxySettings(
        mode="custom", url=proxy_url
    )
    profile = profile_for(loopback_server, settings, via_proxy=False)
    script_reply(loopback_server)
    assert await chat(profile, None) == "Hello there"
    loopback_server.enqueue(
        ScriptedResponse(200, {"Content-Type": "application/json"}, [b'{"data": [{"id": "m1"}]}']),
        path="/models",
    )
    async with make_client(**client_options(profile, None)) as client:
        models = await list_models(loopback_server.url("/models"), api_key=KEY, http=client)
    assert models == ["m1"]
    assert http_proxy.used == []
    assert [r.headers["authorization"] for r in loopback_server.requests] == [f"Bearer {KEY}"] * 2
