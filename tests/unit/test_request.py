"""ChatRequest bodies and headers (DESIGN.md §3, seed 001), WebSearchOptions normalisation."""

from __future__ import annotations

import pytest

from desktopchat.core.request import ChatMessage, ChatRequest, WebSearchOptions

HELLO = (ChatMessage("user", "Hello, please introduce yourself."),)


def test_minimal_body_is_exactly_the_bitseek_example() -> None:
    body = ChatRequest("https://x/v1/chat/completions", HELLO).body()
    assert body == {
        "messages": [{"role": "user", "content": "Hello, please introduce yourself."}],
        "stream": True,
    }


def test_zeebee_body_carries_model_and_temperature() -> None:
    msgs = (ChatMessage("system", "You are a helpful assistant."), ChatMessage("user", "Hi"))
    body = ChatRequest("u", msgs, model="gpt-4-turbo", temperature=0.7).body()
    assert body == {
        "messages": [
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": "Hi"},
        ],
        "model": "gpt-4-turbo",
        "temperature": 0.7,
        "stream": True,
    }


@pytest.mark.parametrize(("given", "sent"), [(-1.0, 0.0), (2.5, 2.0), (0.2, 0.2)])
def test_temperature_is_clamped(given: float, sent: float) -> None:
    assert ChatRequest("u", HELLO, temperature=given).body()["temperature"] == sent


def test_nan_temperature_is_left_out() -> None:
    assert "temperature" not in ChatRequest("u", HELLO, temperature=float("nan")).body()


def test_tools_web_search_and_usage_only_when_set() -> None:
    tool = {"type": "function", "function": {"name": "get_weather", "parameters": {}}}
    body = ChatRequest(
        "u",
        HELLO,
        model="  ",
        tools=(tool,),
        web_search=WebSearchOptions(enabled=True, mode="force", max_results=3),
        include_usage=True,
    ).body()
    assert "model" not in body
    assert body["tools"] == [tool]
    assert body["enableWebSearch"] is True
    assert body["webSearch"] == {
        "enabled": True,
        "mode": "force",
        "maxResults": 3,
        "freshness": "week",
        "lang": "auto",
    }
    assert body["stream_options"] == {"include_usage": True}
    plain = ChatRequest("u", HELLO).body()
    assert not {"tools", "enableWebSearch", "webSearch", "stream_options"} & plain.keys()


@pytest.mark.parametrize(
    ("raw", "field", "value"),
    [
        ({"maxResults": 0}, "max_results", 1),
        ({"maxResults": 9}, "max_results", 8),
        ({"maxResults": "x"}, "max_results", 5),
        ({"max_results": "4"}, "max_results", 4),
        ({"max_results": None}, "max_results", 5),
        ({"freshness": "year"}, "freshness", "week"),
        ({"freshness": "DAY"}, "freshness", "day"),
        ({"lang": "fr"}, "lang", "auto"),
        ({"lang": "zh"}, "lang", "zh"),
        ({"mode": "sometimes"}, "mode", "auto"),
        ({"mode": "force"}, "mode", "force"),
        ({"enabled": "0"}, "enabled", False),
        ({"enabled": "true"}, "enabled", True),
        ({"enabled": 1}, "enabled", True),
        ({"enabled": 0}, "enabled", False),
        ({"enabled": "false"}, "enabled", False),
        ({"enabled": "maybe"}, "enabled", False),
        ({"enableWebSearch": True}, "enabled", True),
        ({"enabled": [1]}, "enabled", False),
    ],
)
def test_web_search_normalisation(raw: dict[str, object], field: str, value: object) -> None:
    assert getattr(WebSearchOptions.normalised(raw), field) == value


def test_out_of_range_options_are_clamped_on_the_wire() -> None:
    wire = WebSearchOptions(max_results=99, freshness="year", lang="fr", mode="x").wire()
    assert wire == {
        "enabled": False,
        "mode": "auto",
        "maxResults": 8,
        "freshness": "week",
        "lang": "auto",
    }


def test_headers() -> None:
    request = ChatRequest(
        "u",
        HELLO,
        conversation_id="conv-1",
        extra_headers={"Authorization": "Bearer evil", "content-type": "text/plain", "X-A": "1"},
    )
    assert request.headers("sk-1") == {
        "X-A": "1",
        "Content-Type": "application/json",
        "Accept": "text/event-stream",
        "Authorization": "Bearer sk-1",
        "X-Conversation-Id": "conv-1",
    }
    assert "Authorization" not in request.headers(None)
    assert "X-Conversation-Id" not in ChatRequest("u", HELLO).headers("k")


def test_repr_hides_header_values() -> None:
    request = ChatRequest("u", HELLO, extra_headers={"X-Api-Key": "secret-value"})
    assert "secret-value" not in repr(request)
