"""Profile -> ChatRequest and HTTP client options; first-run profiles; insecure transport."""

from __future__ import annotations

import pytest

from desktopchat.core.providers import PRESETS, preset
from desktopchat.core.request import ChatMessage, WebSearchOptions
from desktopchat.core.transport import check_transport
from desktopchat.errors import InsecureTransportError
from desktopchat.profile_requests import chat_request, client_options
from desktopchat.settings import Profile, ProxySettings, first_run_settings

HELLO = [ChatMessage("user", "hello")]


def test_chat_request_puts_the_system_prompt_first() -> None:
    profile = Profile(name="p", preset="openai", system_prompt="Be brief.", temperature=0.2)
    request = chat_request(profile, HELLO, conversation_id="conv-1")
    assert request.messages == (ChatMessage("system", "Be brief."), ChatMessage("user", "hello"))
    assert request.url == "https://api.openai.com/v1/chat/completions"
    assert request.model == "gpt-4o-mini"  # the preset's default model when none is set
    assert request.temperature == 0.2
    assert request.conversation_id == "conv-1"
    assert request.include_usage is True  # OpenAI documents stream_options
    assert request.headers("k")["X-Conversation-Id"] == "conv-1"


def test_blank_system_prompt_is_not_sent() -> None:
    request = chat_request(Profile(name="p", preset="openai", system_prompt="  \n"), HELLO)
    assert request.messages == tuple(HELLO)


def test_web_search_only_where_the_preset_supports_it() -> None:
    options = WebSearchOptions(enabled=True, mode="force", max_results=3)
    bitseek = chat_request(Profile(name="b", preset="bitseek", web_search=options), HELLO)
    assert bitseek.web_search == options
    assert bitseek.body()["webSearch"]["maxResults"] == 3
    assert bitseek.include_usage is False and "stream_options" not in bitseek.body()
    other = chat_request(Profile(name="o", preset="tokenhub", web_search=options), HELLO)
    assert other.web_search is None
    assert "webSearch" not in other.body() and "enableWebSearch" not in other.body()
    assert Profile(name="b", preset="bitseek").supports_web_search
    assert not Profile(name="o", preset="openai").supports_web_search


def test_tools_headers_timeout_and_insecure_flag_reach_the_request() -> None:
    tool = {"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}
    profile = Profile(
        name="p",
        url="http://10.0.0.5:8000/v1/chat/completions",
        model=" m ",
        tools=[tool],
        extra_headers={"X-Title": "dc"},
        idle_timeout=300,
        allow_insecure_http=True,
    )
    request = chat_request(profile, HELLO)
    assert request.url == "http://10.0.0.5:8000/v1/chat/completions"
    assert request.model == "m"
    assert request.tools == (tool,)
    assert request.body()["tools"] == [tool]
    assert request.headers(None)["X-Title"] == "dc"
    assert request.idle_timeout == 300.0
    assert request.allow_insecure_http is True
    tool["function"]["name"] = "changed"
    assert chat_request(profile, HELLO).tools[0]["function"]["name"] == "changed"
    assert request.tools[0]["function"]["name"] == "f"  # the request took a copy


def test_a_key_over_plain_http_needs_the_profile_switch() -> None:
    remote = Profile(name="p", url="http://gpu-box.lan:8000/v1/chat/completions")
    with pytest.raises(InsecureTransportError, match="allow insecure http"):
        check_transport(chat_request(remote, HELLO), "sk-key")
    check_transport(chat_request(remote, HELLO), None)  # no key, nothing to leak
    remote.allow_insecure_http = True
    check_transport(chat_request(remote, HELLO), "sk-key")
    local = Profile(name="l", preset="ollama")
    check_transport(chat_request(local, HELLO), "sk-key")  # loopback is fine


def test_models_url_follows_a_changed_chat_url() -> None:
    assert Profile(name="o", preset="openai").models_url() == "https://api.openai.com/v1/models"
    moved = Profile(name="c", url="https://gw.example.com/ai/v1/chat/completions")
    assert moved.models_url() == "https://gw.example.com/ai/v1/models"
    assert Profile(name="c", url="https://gw.example.com/odd").models_url() is None
    assert Profile(name="b", preset="bitseek").models_url() is None


@pytest.mark.parametrize(
    ("proxy", "password", "expected"),
    [
        (ProxySettings(), "pw", {"proxy": None, "trust_env": True}),
        (ProxySettings(mode="none", url="http://x:1"), None, {"proxy": None, "trust_env": False}),
        (
            ProxySettings(mode="custom", url="http://proxy.lan:3128"),
            None,
            {"proxy": "http://proxy.lan:3128", "trust_env": False},
        ),
        (
            ProxySettings(mode="custom", url="socks5h://alice@proxy.lan:1080"),
            "p@ss:/word",
            {"proxy": "socks5h://alice:p%40ss%3A%2Fword@proxy.lan:1080", "trust_env": False},
        ),
        (
            ProxySettings(mode="custom", url="socks5://alice@proxy.lan:1080"),
            None,
            {"proxy": "socks5://alice@proxy.lan:1080", "trust_env": False},
        ),
        (
            ProxySettings(mode="custom", url="http://alice@[::1]:3128"),
            "pw",
            {"proxy": "http://alice:pw@[::1]:3128", "trust_env": False},
        ),
    ],
)
def test_client_options(proxy: ProxySettings, password: str | None, expected: object) -> None:
    profile = Profile(name="p", proxy=proxy)
    assert client_options(profile, password) == expected


def test_proxy_needs_password_only_with_a_user() -> None:
    assert Profile(
        name="p", proxy=ProxySettings(mode="custom", url="http://bob@proxy:1")
    ).proxy_needs_password()
    assert not Profile(
        name="p", proxy=ProxySettings(mode="custom", url="http://proxy:1")
    ).proxy_needs_password()
    assert not Profile(name="p").proxy_needs_password()
    assert Profile(name="p").proxy_url("pw") is None


def test_first_run_has_a_profile_per_preset_and_openai_active() -> None:
    settings = first_run_settings()
    assert [p.preset for p in settings.profiles] == [p.id for p in PRESETS if p.id != "custom"]
    assert [p.name for p in settings.profiles][:2] == ["Bitseek", "ZeebeeAI"]
    assert settings.preferences.active_profile == "OpenAI"
    assert settings.active_profile() is settings.profile("OpenAI")
    assert all(p.url == "" for p in settings.profiles)  # follow the presets' URLs


def test_first_run_prefers_the_first_local_server_found() -> None:
    from dataclasses import replace

    moved = replace(preset("lmstudio"), base_url="http://127.0.0.1:5555/v1")
    settings = first_run_settings([moved, preset("llamacpp")])
    active = settings.active_profile()
    assert active is not None and active.preset == "lmstudio"
    assert active.chat_url() == "http://127.0.0.1:5555/v1/chat/completions"
    llamacpp = next(p for p in settings.profiles if p.preset == "llamacpp")
    assert llamacpp.url == ""  # found where the preset expects it


def test_active_profile_falls_back_to_the_first() -> None:
    settings = first_run_settings()
    settings.preferences.active_profile = "gone"
    assert settings.active_profile() is settings.profiles[0]
    settings.profiles.clear()
    assert settings.active_profile() is None


def test_usage_is_asked_for_by_documented_presets_and_by_the_custom_switch() -> None:
    for local in ("ollama", "lmstudio", "llamacpp", "openai"):
        body = chat_request(Profile(name=local, preset=local, model="m"), HELLO).body()
        assert body["stream_options"] == {"include_usage": True}
    plain = Profile(name="c", preset="custom", url="http://127.0.0.1:9/v1/chat/completions")
    assert "stream_options" not in chat_request(plain, HELLO).body()
    plain.ask_for_usage = True
    assert chat_request(plain, HELLO).body()["stream_options"] == {"include_usage": True}
    # The switch belongs to Custom: a preset that does not document the field never sends it.
    bitseek = Profile(name="b", preset="bitseek", ask_for_usage=True)
    assert "stream_options" not in chat_request(bitseek, HELLO).body()


def test_preset_ids_are_one_enumeration() -> None:
    from desktopchat.core.preset_ids import PresetId

    assert [p.id for p in PRESETS] == [member.value for member in PresetId]
