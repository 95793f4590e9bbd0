"""ChatRequest: what one chat turn sends — URL, headers and the exact JSON body (DESIGN.md §3).

Providers differ in what they accept; some answer an unknown field with HTTP 400. So the
body carries only what the profile allows: `model` only when set, web-search fields only
when the profile supports them (`web_search` not None), `stream_options` only when the
preset documents that it is accepted.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from desktopchat.attachments import Attachment, Kind
from desktopchat.core.content_parts import content_parts, has_images, inlined_text
from desktopchat.core.headers import RESERVED_HEADERS, acceptable_conversation_id
from desktopchat.core.limits import CONNECT_TIMEOUT, IDLE_TIMEOUT, KEEPALIVE_ONLY_LIMIT
from desktopchat.core.transport import authorized_headers

MODES = ("auto", "force")
FRESHNESS = ("day", "week", "month", "any")
LANGS = ("zh", "en", "auto")
MAX_RESULTS_RANGE = (1, 8)


def _as_bool(value: object, default: bool) -> bool:
    """Bitseek accepts a bool, 0/1 or "true"/"false" (seed 001)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0 if not (isinstance(value, float) and math.isnan(value)) else default
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("true", "1", "yes", "on"):
            return True
        if text in ("false", "0", "no", "off", ""):
            return False
    return default


def _as_choice(value: object, choices: tuple[str, ...], default: str) -> str:
    if isinstance(value, str) and value.strip().lower() in choices:
        return value.strip().lower()
    return default


def _as_max_results(value: object, default: int) -> int:
    if isinstance(value, bool):
        return default
    number: float
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return default
    else:
        return default
    if math.isnan(number):
        return default
    low, high = MAX_RESULTS_RANGE
    if math.isinf(number):
        return high if number > 0 else low
    return min(high, max(low, int(number)))


@dataclass(frozen=True)
class WebSearchOptions:
    """Bitseek's web search switch and its knobs (seed 001)."""

    enabled: bool = False
    mode: str = "auto"
    max_results: int = 5
    freshness: str = "week"
    lang: str = "auto"

    @classmethod
    def normalised(cls, raw: Mapping[str, object]) -> WebSearchOptions:
        """Build from loose input (settings files, UI); bad values fall back, never raise.

        Keys may be snake_case or the wire's camelCase (`maxResults`); `enableWebSearch`
        is accepted as `enabled`.
        """
        d = cls()
        enabled_raw = raw.get("enabled", raw.get("enableWebSearch", d.enabled))
        return cls(
            enabled=_as_bool(enabled_raw, d.enabled),
            mode=_as_choice(raw.get("mode"), MODES, d.mode),
            max_results=_as_max_results(
                raw.get("max_results", raw.get("maxResults", d.max_results)), d.max_results
            ),
            freshness=_as_choice(raw.get("freshness"), FRESHNESS, d.freshness),
            lang=_as_choice(raw.get("lang"), LANGS, d.lang),
        )

    def clean(self) -> WebSearchOptions:
        """The same options with every value forced into its documented range."""
        return WebSearchOptions.normalised(
            {
                "enabled": self.enabled,
                "mode": self.mode,
                "max_results": self.max_results,
                "freshness": self.freshness,
                "lang": self.lang,
            }
        )

    def wire(self) -> dict[str, object]:
        """The `webSearch` object as Bitseek expects it."""
        c = self.clean()
        return {
            "enabled": c.enabled,
            "mode": c.mode,
            "maxResults": c.max_results,
            "freshness": c.freshness,
            "lang": c.lang,
        }


@dataclass(frozen=True)
class ChatMessage:
    role: str
    content: str
    # An assistant turn that called tools: the calls, in the OpenAI shape.
    tool_calls: tuple[Mapping[str, object], ...] = ()
    # A `tool` turn: the id of the call it answers.
    tool_call_id: str = ""
    # A user turn's files: text inlined after `content`, images as content parts.
    attachments: tuple[Attachment, ...] = ()

    @property
    def has_images(self) -> bool:
        return has_images(self.attachments)

    def without_images(self) -> ChatMessage:
        """The same turn for an endpoint that takes string content only: each image is
        named in the text instead (an earlier turn may hold images sent to another profile)."""
        if not self.has_images:
            return self
        notes = [f"[image {a.name} not sent: this profile does not accept images]"
                 for a in self.attachments if a.kind is Kind.IMAGE]
        text = "\n\n".join([self.content, *notes] if self.content else notes)
        kept = tuple(a for a in self.attachments if a.kind is not Kind.IMAGE)
        return dataclasses.replace(self, content=text, attachments=kept)

    def wire(self) -> dict[str, object]:
        """The message as the endpoint reads it."""
        content: str | list[dict[str, object]] = self.content
        if self.attachments:
            content = (content_parts(self.content, self.attachments) if self.has_images
                       else inlined_text(self.content, self.attachments))
        message: dict[str, object] = {"role": self.role, "content": content}
        if self.tool_calls:
            message["tool_calls"] = [dict(call) for call in self.tool_calls]
            if not self.content:
                message["content"] = None  # what OpenAI sends for a turn of calls only
        if self.role == "tool":
            message["tool_call_id"] = self.tool_call_id
        return message


def clamp_temperature(value: float) -> float | None:
    """Temperature clamped to 0..2; NaN means "not set"."""
    if math.isnan(value):
        return None
    return min(2.0, max(0.0, float(value)))


@dataclass(frozen=True)
class ChatRequest:
    """One streamed chat completion request."""

    url: str
    messages: tuple[ChatMessage, ...]
    model: str = ""
    temperature: float | None = None
    tools: tuple[dict[str, object], ...] = ()
    web_search: WebSearchOptions | None = None
    conversation_id: str | None = None
    extra_headers: Mapping[str, str] = field(default_factory=dict)
    include_usage: bool = False
    idle_timeout: float = IDLE_TIMEOUT
    connect_timeout: float = CONNECT_TIMEOUT
    allow_insecure_http: bool = False
    # No data (only keep-alive comments) for this long: the stream has stalled.
    keepalive_limit: float = KEEPALIVE_ONLY_LIMIT

    def body(self) -> dict[str, object]:
        body: dict[str, object] = {
            "messages": [m.wire() for m in self.messages],
            "stream": True,
        }
        if self.model.strip():
            body["model"] = self.model.strip()
        if self.temperature is not None:
            temperature = clamp_temperature(self.temperature)
            if temperature is not None:
                body["temperature"] = temperature
        if self.tools:
            body["tools"] = [dict(tool) for tool in self.tools]
        if self.web_search is not None:
            wire = self.web_search.wire()
            body["enableWebSearch"] = wire["enabled"]
            body["webSearch"] = wire
        if self.include_usage:
            body["stream_options"] = {"include_usage": True}
        return body

    def headers(self, api_key: str | None) -> dict[str, str]:
        """The request's headers, the key's through core.transport's one door.

        Raises InsecureTransportError (key over plain http to a remote host) or
        InvalidRequestError (a header HTTP cannot carry).
        """
        headers: dict[str, str] = {}
        for name, value in self.extra_headers.items():
            if name.strip().lower() not in RESERVED_HEADERS and name.strip():
                headers[name.strip()] = value
        headers["Content-Type"] = "application/json"
        headers["Accept"] = "text/event-stream"
        headers = authorized_headers(self, api_key, headers)
        conversation = acceptable_conversation_id(self.conversation_id)
        if conversation:
            headers = {k: v for k, v in headers.items() if k.lower() != "x-conversation-id"}
            headers["X-Conversation-Id"] = conversation
        return headers

    def __repr__(self) -> str:
        # extra_headers may hold secrets a user pasted in; never print their values.
        return (
            f"ChatRequest(url={self.url!r}, messages=<{len(self.messages)}>, "
            f"model={self.model!r}, extra_headers=<{len(self.extra_headers)}>)"
        )
