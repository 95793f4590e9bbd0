"""The key's one door (issue 10 §2 and §5): the transport rule for chat and the model
list, what counts as loopback, and headers HTTP cannot carry."""

from __future__ import annotations

import pytest

from desktopchat.core.models import list_models
from desktopchat.core.request import ChatMessage, ChatRequest
from desktopchat.core.stream import collect
from desktopchat.core.transport import check_transport, is_loopback
from desktopchat.errors import InsecureTransportError, InvalidRequestError
from desktopchat.settings.validation import headers_problem
from tests.support.loopback import LoopbackServer

pytestmark = pytest.mark.anyio

HELLO = (ChatMessage("user", "hi"),)


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://localhost:1234/v1", True),
        ("http://LOCALHOST./v1", True),
        ("http://127.0.0.1:8080/", True),
        ("http://127.45.6.7/", True),
        ("http://[::1]:11434/v1", True),
        ("http://api.localhost/v1", False),  # a *.localhost name may be answered by DNS
        ("http://localhost.evil.example/", False),
        ("http://10.0.0.5/", False),
        ("http://[::ffff:8.8.8.8]/", False),
        ("not a url", False),
    ],
)
def test_only_localhost_127_8_and_ipv6_one_are_loopback(url: str, loopback: bool) -> None:
    assert is_loopback(url) is loopback


def test_transport_rule_names_no_user_info() -> None:
    request = ChatRequest("http://alice@api.localhost:8000/v1/chat/completions", HELLO)
    with pytest.raises(InsecureTransportError) as info:
        check_transport(request, "sk-key")
    assert "alice" not in info.value.message and "api.localhost:8000" in info.value.message


async def test_model_list_over_plain_http_to_a_remote_host_keeps_the_key() -> None:
    # Nothing listens at example.invalid: the rule must refuse before any connection.
    with pytest.raises(InsecureTransportError):
        await list_models("http://example.invalid/v1/models", api_key="sk-key")
    with pytest.raises(InsecureTransportError):
        await list_models("http://api.localhost/v1/models", api_key="sk-key")


async def test_model_list_with_permission_or_without_key_goes_out(
    loopback_server: LoopbackServer,
) -> None:
    from tests.support.loopback import ScriptedResponse

    for _ in range(2):
        loopback_server.enqueue(
            ScriptedResponse(200, {"Content-Type": "application/json"}, [b'["a"]']),
            path="/models",
        )
    assert await list_models(loopback_server.url("/models"), api_key="sk-k") == ["a"]
    assert await list_models(loopback_server.url("/models"), api_key=None) == ["a"]


@pytest.mark.parametrize("value", ["caf\u00e9", "a\u2026", "tab\tok\x01", "\u201cq\u201d"])
def test_validation_refuses_header_values_http_cannot_send(value: str) -> None:
    problem = headers_problem({"X-Title": value})
    assert problem is not None and "X-Title" in problem
    assert value not in problem  # a value may be secret: never quoted


def test_validation_and_the_wire_share_one_reserved_list() -> None:
    for name in ("Proxy-Authorization", "Accept-Encoding", "Host"):
        assert headers_problem({name: "x"}) is not None
        request = ChatRequest("https://h/v1", HELLO, extra_headers={name: "x"})
        assert name not in request.headers(None)


async def test_unsendable_headers_are_a_readable_error_on_every_path(
    loopback_server: LoopbackServer,
) -> None:
    request = ChatRequest(loopback_server.url(), HELLO, extra_headers={"X-Title": "caf\u00e9"})
    with pytest.raises(InvalidRequestError, match="X-Title cannot be sent"):
        await collect(request, api_key=None)
    with pytest.raises(InvalidRequestError, match="API key contains characters"):
        await collect(ChatRequest(loopback_server.url(), HELLO), api_key="sk-\u2026abc")
    with pytest.raises(InvalidRequestError, match="API key contains characters"):
        await list_models(loopback_server.url("/models"), api_key="sk-\u201ck\u201d")
    assert loopback_server.requests == []
