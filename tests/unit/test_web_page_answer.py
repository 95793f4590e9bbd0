"""HTTP 200 with a web page instead of a stream (a proxy's sign-in page, a wrong URL) is
said to be one, with its title, not "closed the stream before the reply was complete"."""

from __future__ import annotations

import pytest

from desktopchat.core.request import ChatMessage, ChatRequest
from desktopchat.core.stream import collect
from desktopchat.errors import InterruptedStreamError, MalformedStreamError
from tests.support.loopback import LoopbackServer, ScriptedResponse
from tests.support.sse_script import chat_chunk, sse_body

pytestmark = pytest.mark.anyio
HELLO = (ChatMessage("user", "hi"),)
KEY = "sk-page-7Qx2Lm9Vb4Rt8Wz1Kp6Yd3Hn"
PAGE = (b"<!doctype html><html><head><title>Hotel Wi-Fi sign-in</title></head><body>"
        b"<img src=file:///etc/passwd> your key " + KEY.encode() + b"</body></html>")  # fmt: skip


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "text/event-stream"])
async def test_a_web_page_is_named_as_one(
    loopback_server: LoopbackServer, content_type: str
) -> None:
    loopback_server.enqueue(
        ScriptedResponse(headers={"Content-Type": content_type}, pieces=[PAGE[:40], PAGE[40:]])
    )
    with pytest.raises(MalformedStreamError) as info:
        await collect(ChatRequest(loopback_server.url(), HELLO), api_key=KEY)
    message = info.value.message
    assert "web page instead of a stream (HTTP 200)" in message
    assert "Hotel Wi-Fi sign-in" in message
    assert "<img" not in message and KEY[4:12] not in message


async def test_a_stream_that_breaks_off_is_still_interrupted(
    loopback_server: LoopbackServer,
) -> None:
    loopback_server.enqueue(
        ScriptedResponse(
            headers={"Content-Type": "text/html"}, pieces=[sse_body(chat_chunk("Kept"), done=False)]
        )
    )
    with pytest.raises(InterruptedStreamError) as info:
        await collect(ChatRequest(loopback_server.url(), HELLO), api_key=None)
    assert info.value.partial.content == "Kept"
