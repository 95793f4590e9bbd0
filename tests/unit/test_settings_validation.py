"""One readable message per invalid field (settings.validation)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from desktopchat.core.request import WebSearchOptions
from desktopchat.settings import (
    Preferences,
    Profile,
    ProxySettings,
    Settings,
    first_run_settings,
    parse_tools,
    validate_preferences,
    validate_profile,
    validate_settings,
)

GOOD_TOOL = {
    "type": "function",
    "function": {"name": "get_weather", "description": "Weather", "parameters": {"type": "object"}},
}


def good() -> Profile:
    return Profile(name="Work", preset="custom", url="https://api.example.com/v1/chat/completions")


def errors_for(**changes: Any) -> dict[str, str]:
    return validate_profile(replace(good(), **changes))


def test_a_good_profile_and_every_first_run_profile_are_valid() -> None:
    assert validate_profile(good()) == {}
    settings = first_run_settings()
    assert validate_settings(settings) == {}
    assert all(validate_profile(p) == {} for p in settings.profiles)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"name": ""}, "name", "Give the profile a name"),
        ({"name": "   "}, "name", "Give the profile a name"),
        ({"name": " padded "}, "name", "leading or trailing spaces"),
        ({"name": "tab\there"}, "name", "control characters"),
        ({"name": "x" * 101}, "name", "at most 100"),
        ({"preset": "nope"}, "preset", "Unknown provider preset"),
        ({"url": ""}, "url", "Enter the endpoint URL"),
        ({"url": "ftp://example.com/v1"}, "url", "must start with http://, https://"),
        ({"url": "example.com/v1"}, "url", "must start with http://"),
        ({"url": "https:///v1/chat"}, "url", "needs a host name"),
        ({"url": "https://exa mple.com"}, "url", "spaces"),
        ({"url": "https://example.com:99999/v1"}, "url", "not valid"),
        ({"url": "https://u:secret@example.com/v1"}, "url", "Leave the password out"),
        ({"model": "a\nb"}, "model", "one line"),
        ({"temperature": 2.5}, "temperature", "from 0 to 2"),
        ({"temperature": -0.1}, "temperature", "from 0 to 2"),
        ({"temperature": float("nan")}, "temperature", "from 0 to 2"),
        ({"temperature": True}, "temperature", "from 0 to 2"),
        ({"web_search": WebSearchOptions(max_results=0)}, "web_search.max_results", "1 to 8"),
        ({"web_search": WebSearchOptions(max_results=9)}, "web_search.max_results", "1 to 8"),
        ({"web_search": WebSearchOptions(mode="always")}, "web_search.mode", "auto or force"),
        (
            {"web_search": WebSearchOptions(freshness="year")},
            "web_search.freshness",
            "day, week, month, any",
        ),
        ({"web_search": WebSearchOptions(lang="fr")}, "web_search.lang", "zh, en, auto"),
        ({"tools": {"type": "function"}}, "tools", "JSON array"),
        ({"tools": ["get_weather"]}, "tools", "Tool 1 must be an object"),
        ({"tools": [{"type": "retrieval"}]}, "tools", '"type": "function"'),
        ({"tools": [{"type": "function"}]}, "tools", 'needs a "function" object'),
        (
            {"tools": [GOOD_TOOL, {"type": "function", "function": {"name": "bad name"}}]},
            "tools",
            "Tool 2 needs a function name",
        ),
        (
            {"tools": [{"type": "function", "function": {"name": "x" * 65}}]},
            "tools",
            "1 to 64",
        ),
        (
            {"tools": [{"type": "function", "function": {"name": "f", "parameters": []}}]},
            "tools",
            "JSON Schema object",
        ),
        (
            {"tools": [{"type": "function", "function": {"name": "f", "description": 3}}]},
            "tools",
            "description",
        ),
        ({"extra_headers": {"Bad Header": "x"}}, "extra_headers", "not a valid header name"),
        ({"extra_headers": {"": "x"}}, "extra_headers", "not a valid header name"),
        ({"extra_headers": {"authorization": "Bearer x"}}, "extra_headers", "API key"),
        ({"extra_headers": {"AUTHORIZATION": "Bearer x"}}, "extra_headers", "keyring"),
        ({"extra_headers": {"Content-Type": "text/plain"}}, "extra_headers", "set by desktopchat"),
        ({"extra_headers": {"Host": "evil"}}, "extra_headers", "set by desktopchat"),
        ({"extra_headers": {"X-Api-Key": "k"}}, "extra_headers", "credential"),
        ({"extra_headers": {"X-Trace": "a\r\nInjected: 1"}}, "extra_headers", "one line"),
        ({"extra_headers": {"X-Trace": 3}}, "extra_headers", "must be text"),
        ({"idle_timeout": 0}, "idle_timeout", "5 to 3600 seconds"),
        ({"idle_timeout": 4000}, "idle_timeout", "5 to 3600 seconds"),
        ({"proxy": ProxySettings(mode="auto")}, "proxy.mode", "system, none or custom"),
        ({"proxy": ProxySettings(mode="custom")}, "proxy.url", "Enter the proxy URL"),
        (
            {"proxy": ProxySettings(mode="custom", url="ftp://p:21")},
            "proxy.url",
            "socks5h://",
        ),
        (
            {"proxy": ProxySettings(mode="custom", url="socks5://")},
            "proxy.url",
            "needs a host",
        ),
        (
            {"proxy": ProxySettings(mode="custom", url="http://u:pw@proxy:8080")},
            "proxy.url",
            "Leave the password out",
        ),
    ],
)
def test_each_bad_field_has_one_message(changes: dict[str, Any], field: str, words: str) -> None:
    errors = errors_for(**changes)
    assert list(errors) == [field], errors
    assert words in errors[field]
    assert errors[field].endswith("."), "messages are sentences"


@pytest.mark.parametrize(
    "changes",
    [
        {"url": ""} | {"preset": "openai"},  # empty URL means the preset's own
        {"temperature": 0},
        {"temperature": 2},
        {"web_search": WebSearchOptions(enabled=True, max_results=8, mode="force")},
        {"tools": [GOOD_TOOL, {"type": "function", "function": {"name": "a-b_C9"}}]},
        {"extra_headers": {"X-Title": "desktopchat", "OpenAI-Organization": "org"}},
        {"proxy": ProxySettings(mode="custom", url="socks5h://alice@127.0.0.1:1080")},
        {"proxy": ProxySettings(mode="custom", url="https://proxy.example.com")},
        {"proxy": ProxySettings(mode="none", url="ignored")},
        {"url": "http://[::1]:8080/v1/chat/completions"},
    ],
)
def test_good_values_pass(changes: dict[str, Any]) -> None:
    assert errors_for(**changes) == {}


def test_several_bad_fields_are_all_reported() -> None:
    errors = errors_for(name="", url="nope", temperature=9, idle_timeout=-1)
    assert set(errors) == {"name", "url", "temperature", "idle_timeout"}


def test_parse_tools_from_text() -> None:
    assert parse_tools("") == ([], None)
    assert parse_tools('[{"type": "function", "function": {"name": "f"}}]')[1] is None
    tools, problem = parse_tools("[{")
    assert tools == [] and problem is not None and "not valid JSON (line 1" in problem
    assert parse_tools('{"type": "function"}')[1] == "Tools must be a JSON array of tool objects."


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"theme": "blue"}, "theme", "system, light or dark"),
        ({"font_size": 3}, "font_size", "6 to 48"),
        ({"font_size": 12.5}, "font_size", "whole number"),
        ({"enter_to_send": "yes"}, "enter_to_send", "on or off"),
        ({"active_profile": 3}, "active_profile", "profile name"),
    ],
)
def test_preference_messages(changes: dict[str, Any], field: str, words: str) -> None:
    errors = validate_preferences(Preferences(**changes))
    assert list(errors) == [field] and words in errors[field]


def test_settings_need_unique_names_and_an_existing_active_profile() -> None:
    settings = Settings(
        profiles=[good(), replace(good(), name="work"), replace(good(), name="Other", url="x")],
        preferences=Preferences(active_profile="Missing"),
    )
    errors = validate_settings(settings)
    assert errors["profiles[1].name"] == "Another profile is already called 'work'."
    assert "profiles[2].url" in errors
    assert errors["preferences.active_profile"] == "There is no profile called 'Missing'."
    assert "profiles[0].name" not in errors
