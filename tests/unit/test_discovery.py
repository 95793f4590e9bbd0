"""detect_local_servers against real servers on 127.0.0.1 (ports passed in)."""

from __future__ import annotations

import json

import httpx
import pytest

from desktopchat.core.discovery import LOCAL_PORTS, detect_local_servers
from tests.support.loopback import LoopbackServer, ScriptedResponse, unused_port

pytestmark = pytest.mark.anyio

MODELS = json.dumps({"object": "list", "data": [{"id": "llama3.1"}]}).encode()


def answer(server: LoopbackServer, status: int = 200, body: bytes = MODELS) -> None:
    server.enqueue(
        ScriptedResponse(status, {"Content-Type": "application/json"}, [body], chunked=False),
        path="/v1/models",
    )


async def test_finds_the_server_that_answers(loopback_server: LoopbackServer) -> None:
    answer(loopback_server)
    found = await detect_local_servers(
        ports={"ollama": unused_port(), "lmstudio": loopback_server.port}
    )
    assert [p.id for p in found] == ["lmstudio"]
    assert found[0].base_url == f"http://127.0.0.1:{loopback_server.port}/v1"
    assert found[0].chat_url() == loopback_server.url("/chat/completions")
    assert [r.path for r in loopback_server.requests] == ["/v1/models"]
    assert loopback_server.requests[0].method == "GET"


async def test_several_found_in_port_order(loopback_server: LoopbackServer) -> None:
    answer(loopback_server)
    answer(loopback_server)
    found = await detect_local_servers(
        ports={"llamacpp": loopback_server.port, "ollama": loopback_server.port}
    )
    assert [p.id for p in found] == ["llamacpp", "ollama"]


@pytest.mark.parametrize(
    ("status", "body"),
    [(404, b'{"error": "no"}'), (500, MODELS), (200, b"<html>a web page</html>")],
)
async def test_non_json_or_error_answers_do_not_count(
    loopback_server: LoopbackServer, status: int, body: bytes
) -> None:
    answer(loopback_server, status, body)
    assert await detect_local_servers(ports={"ollama": loopback_server.port}) == []


async def test_a_silent_server_times_out_quickly(loopback_server: LoopbackServer) -> None:
    loopback_server.enqueue(ScriptedResponse(200, {}, [b"{"], stall_after=0), path="/v1/models")
    found = await detect_local_servers(ports={"ollama": loopback_server.port}, timeout=0.2)
    assert found == []


async def test_nothing_listening_and_given_client(loopback_server: LoopbackServer) -> None:
    answer(loopback_server)
    async with httpx.AsyncClient(trust_env=False) as client:
        found = await detect_local_servers(
            http=client, ports={"ollama": unused_port(), "llamacpp": loopback_server.port}
        )
        assert not client.is_closed  # a client that was handed in stays open
    assert [p.id for p in found] == ["llamacpp"]


def test_default_ports() -> None:
    assert dict(LOCAL_PORTS) == {"ollama": 11434, "lmstudio": 1234, "llamacpp": 8080}


async def test_first_run_settings_activate_the_server_found(
    loopback_server: LoopbackServer,
) -> None:
    from desktopchat.local_servers import detect_first_run_settings

    answer(loopback_server)
    settings = await detect_first_run_settings(
        ports={"ollama": unused_port(), "llamacpp": loopback_server.port}
    )
    active = settings.active_profile()
    assert active is not None and active.preset == "llamacpp"
    assert active.chat_url() == loopback_server.url("/chat/completions")
    nothing = await detect_first_run_settings(ports={"ollama": unused_port()})
    assert nothing.preferences.active_profile == "OpenAI"
