"""A key a server echoes base64-encoded (an `Authorization` header dumped into an error
body) is redacted like the key itself, whatever surrounds it and in either alphabet."""

from __future__ import annotations

import base64
import contextlib

import pytest

from desktopchat.core.request import ChatMessage, ChatRequest
from desktopchat.core.stream import collect
from desktopchat.errors import AuthError
from desktopchat.redact import redact
from tests.support.loopback import LoopbackServer, ScriptedResponse

KEY = "sk-b64-7Qx2Lm9Vb4Rt8Wz1Kp6Yd3Hn"
SECRET_PART = KEY[3:]  # the part that is random


def decoded_pieces(text: str) -> str:
    """Every base64 word of `text`, decoded as far as it decodes (for the assertion)."""
    out = []
    for word in text.replace("[redacted]", " ").split():
        for alphabet in (base64.b64decode, base64.urlsafe_b64decode):
            with contextlib.suppress(ValueError):
                out.append(alphabet(word + "=" * (-len(word) % 4)).decode("latin-1"))
    return " ".join(out)


@pytest.mark.parametrize("before", ["", "Bearer ", "B", "ab", "user:"])
@pytest.mark.parametrize("encode", [base64.b64encode, base64.urlsafe_b64encode])
def test_a_base64_key_is_redacted(before: str, encode: object) -> None:
    assert callable(encode)
    text = "echo: " + encode((before + KEY + " more").encode()).decode() + " end"
    cleaned = redact(text, KEY)
    assert "[redacted]" in cleaned
    for i in range(len(SECRET_PART) - 7):
        assert SECRET_PART[i : i + 8] not in decoded_pieces(cleaned)


@pytest.mark.anyio
async def test_an_error_body_echoing_the_header_base64_keeps_no_key(
    loopback_server: LoopbackServer,
) -> None:
    echoed = base64.b64encode(f"Bearer {KEY}".encode()).decode()
    loopback_server.enqueue(ScriptedResponse(
        status=401, headers={"Content-Type": "application/json"},
        pieces=[b'{"error": {"message": "bad header ' + echoed.encode() + b'"}}']))  # fmt: skip
    with pytest.raises(AuthError) as info:
        await collect(ChatRequest(loopback_server.url(), (ChatMessage("user", "hi"),)), api_key=KEY)
    assert echoed[12:24] not in info.value.message and "[redacted]" in info.value.message
