"""A key a server writes escaped or encoded (JSON `\\u` escapes in any mix, percent,
HTML references, invisible characters between, hex, base64) is redacted like the key,
in text we quote (errors) and text we store (replies), also while a reply grows."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktopchat.core.request import ChatMessage, ChatRequest
from desktopchat.core.stream import collect
from desktopchat.errors import MalformedStreamError
from desktopchat.redact import MASK, GrowingScrub, redact, scrub_secrets
from tests.support.key_forms import FORMS, json_escaped, leaks, percent
from tests.support.loopback import LoopbackServer, ScriptedResponse

KEY = "sk-esc-7Qx2Lm9Vb4Rt8Wz1Kp6Yd3Hn"


@pytest.mark.parametrize("form", sorted(FORMS))
@pytest.mark.parametrize("strength", [redact, lambda t, k: scrub_secrets(t, [k])])
def test_every_form_of_the_key_is_redacted(form: str, strength: object) -> None:
    assert callable(strength)
    text = f"before {FORMS[form](KEY)} after, and a piece: x{FORMS[form](KEY[5:17])}y"
    assert leaks(text, KEY)  # the probe sees it
    cleaned = strength(text, KEY)
    assert leaks(cleaned, KEY) == []
    assert cleaned.startswith("before ") and " after, and a piece: x" in cleaned
    assert MASK in cleaned


def test_base64_of_the_header_in_content_is_scrubbed_for_storage() -> None:
    echoed = base64.b64encode(f"Bearer {KEY}".encode()).decode()
    assert leaks(echoed, KEY) == ["base64"]
    assert leaks(scrub_secrets(f"auth: Basic {echoed}", [KEY]), KEY) == []


def test_escapes_of_escapes_and_other_text_stays() -> None:
    twice = json_escaped(KEY).replace("\\", "%5C")  # a JSON-escaped key, percent-encoded
    assert redact(f"q={twice}&x=1", KEY) == f"q={MASK}&x=1"
    # Escapes that spell something else are left exactly as they were.
    other = "see https://example.com/a%20b?q=%41 and \\u00e9t\\u00e9 &#169; 2024"
    assert scrub_secrets(other + json_escaped(KEY), [KEY]) == other + MASK


@pytest.mark.anyio
async def test_a_key_escaped_in_a_malformed_chunk_is_not_quoted(
        loopback_server: LoopbackServer) -> None:
    escaped = json_escaped(KEY, 2)
    loopback_server.enqueue(ScriptedResponse(
        headers={"Content-Type": "text/event-stream"},
        pieces=[b'data: {"choices": [{"delta": {"content": "hello"}}]}\n\n',
                f'data: {{"choices": [{{"delta": {{"content": "{escaped}" oops\n\n'.encode()]))

    with pytest.raises(MalformedStreamError) as info:
        await collect(ChatRequest(loopback_server.url(), (ChatMessage("user", "hi"),)),
                      api_key=KEY)
    error = info.value
    assert MASK in error.message and "not a chat-completions stream" in error.message
    assert leaks(error.message, KEY) == []
    assert error.partial is not None and error.partial.content == "hello"


PIECES = st.sampled_from([FORMS[name](KEY) for name in sorted(FORMS)]
                         + [" ", "\n", "text", "%20", "\\u0041", "&#65;", KEY[:9], KEY[-9:],
                            "\u200b", "x" * 50])


@settings(max_examples=60, deadline=None)
@given(st.lists(PIECES, max_size=40), st.lists(st.integers(0, 10_000), max_size=8))
def test_a_growing_text_is_scrubbed_as_if_whole(pieces: list[str], cuts: list[int]) -> None:
    text = "".join(pieces)
    scrub = GrowingScrub([KEY], margin=16)  # small, so cuts happen inside these short texts
    for cut in sorted(cuts):
        assert scrub.scrub(text[:cut]) == scrub_secrets(text[:cut], [KEY])
    assert scrub.scrub(text) == scrub_secrets(text, [KEY])


def test_a_growing_text_forgets_what_it_saw_when_the_text_changes() -> None:
    scrub = GrowingScrub([KEY])
    first = "a " * 5000 + KEY
    assert scrub.scrub(first) == "a " * 5000 + MASK
    other = "b " * 5000 + json.dumps(KEY)
    assert scrub.scrub(other) == "b " * 5000 + f'"{MASK}"'


@pytest.mark.anyio
@pytest.mark.parametrize("spelled", [KEY, percent(KEY), "conv-" + KEY[3:20]])
async def test_a_conversation_id_that_spells_the_key_is_not_kept(
        loopback_server: LoopbackServer, spelled: str) -> None:
    loopback_server.enqueue(ScriptedResponse(
        headers={"Content-Type": "text/event-stream", "X-Conversation-Id": spelled},
        pieces=[b'data: {"choices": [{"delta": {"content": "ok"}, "finish_reason": "stop"}]}'
                b"\n\ndata: [DONE]\n\n"]))
    reply = await collect(ChatRequest(loopback_server.url(), (ChatMessage("user", "hi"),)),
                          api_key=KEY)
    assert reply.content == "ok" and reply.conversation_id is None


@pytest.mark.anyio
async def test_a_model_name_that_spells_the_key_is_left_out(
        loopback_server: LoopbackServer) -> None:
    from desktopchat.core.models import list_models

    body = {"data": [{"id": "gpt-ok"}, {"id": KEY}, {"id": json_escaped(KEY)}]}
    loopback_server.enqueue(ScriptedResponse(headers={"Content-Type": "application/json"},
                                             pieces=[json.dumps(body).encode()]), path="/models")
    assert await list_models(loopback_server.url("/models"), api_key=KEY) == ["gpt-ok"]
