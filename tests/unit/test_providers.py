"""Presets and the model list."""

from __future__ import annotations

import json

import pytest

from desktopchat.core.models import list_models, parse_models
from desktopchat.core.providers import PRESETS, preset
from desktopchat.errors import AuthError, MalformedStreamError
from tests.support.loopback import LoopbackServer, ScriptedResponse

pytestmark = pytest.mark.anyio
JSON = {"Content-Type": "application/json"}


def test_preset_urls() -> None:
    assert [p.id for p in PRESETS] == [
        "bitseek", "zeebeeai", "tokenhub", "n1n", "openai", "ollama", "lmstudio", "llamacpp",
        "custom",
    ]  # fmt: skip
    assert preset("bitseek").chat_url() == "https://chat-proxy.bitseek.ai/v1/chat/completions"
    assert preset("zeebeeai").chat_url() == "https://api.zeebee.ai/v1/chat/completions/stream"
    assert preset("bitseek").models_url() is None
    assert preset("openai").models_url("https://x/v1/") == "https://x/v1/models"
    assert preset("nope").id == "custom"
    assert preset("bitseek").web_search and not preset("bitseek").include_usage


@pytest.mark.parametrize(
    "data",
    [{"data": [{"id": "b"}, {"id": "a"}]}, ["a", "b"], {"models": [{"name": "a"}, "b"]}],
)
def test_parse_models_shapes(data: object) -> None:
    assert parse_models(data) == ["a", "b"]


async def test_list_models(loopback_server: LoopbackServer) -> None:
    body = json.dumps({"data": [{"id": "m1"}]}).encode()
    loopback_server.enqueue(ScriptedResponse(headers=JSON, pieces=[body]), path="/models")
    assert await list_models(loopback_server.url("/models"), api_key="k") == ["m1"]
    assert loopback_server.requests[0].headers["authorization"] == "Bearer k"


async def test_list_models_errors(loopback_server: LoopbackServer) -> None:
    loopback_server.enqueue(ScriptedResponse(401, JSON, [b'{"error":{"message":"no"}}']))
    with pytest.raises(AuthError):
        await list_models(loopback_server.url("/models"), api_key=None)
    loopback_server.enqueue(ScriptedResponse(200, JSON, [b"<html>"]))
    with pytest.raises(MalformedStreamError):
        await list_models(loopback_server.url("/models"), api_key=None)
