"""A profile mapped to the wire: the ChatRequest for one turn and the HTTP client's options.

Settings describe what the user chose and stay plain data; this module turns that into what
core sends. The window, Settings -> Test connection and the command line all build their
requests here, so a profile means the same request wherever it is used. No Qt, no I/O.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import TypedDict

from .core.request import ChatMessage, ChatRequest
from .settings import Profile, ProxyMode


class ClientOptions(TypedDict):
    """Keyword arguments for core.http.make_client: `make_client(**client_options(p, pw))`."""

    proxy: str | None
    trust_env: bool


def chat_request(
    profile: Profile, messages: Sequence[ChatMessage], *, conversation_id: str | None = None
) -> ChatRequest:
    """The core request for one turn: system prompt first, web search only if supported."""
    # Images only where the profile accepts them (an older turn may carry some).
    turn = [m if profile.accepts_images else m.without_images() for m in messages]
    if profile.system_prompt.strip():
        turn.insert(0, ChatMessage("system", profile.system_prompt))
    info = profile.preset_info
    return ChatRequest(
        url=profile.chat_url(),
        messages=tuple(turn),
        model=profile.model.strip() or info.default_model,
        temperature=profile.temperature,
        tools=tuple(copy.deepcopy(profile.tools)),  # a request in flight never changes
        web_search=profile.web_search if info.web_search else None,
        conversation_id=conversation_id,
        extra_headers=dict(profile.extra_headers),
        include_usage=profile.asks_for_usage,
        idle_timeout=float(profile.idle_timeout),
        allow_insecure_http=profile.allow_insecure_http,
    )


def client_options(profile: Profile, proxy_password: str | None = None) -> ClientOptions:
    """system: the environment's proxy; none: no proxy at all; custom: that URL."""
    if profile.proxy.mode == ProxyMode.NONE:
        return {"proxy": None, "trust_env": False}
    if profile.proxy.mode == ProxyMode.CUSTOM:
        return {"proxy": profile.proxy_url(proxy_password), "trust_env": False}
    return {"proxy": None, "trust_env": True}
