"""After real chats (loopback server), the key's bytes are nowhere on disk or in the logs."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from desktopchat.core.http import make_client
from desktopchat.core.request import ChatMessage
from desktopchat.core.stream import collect
from desktopchat.errors import ApiError
from desktopchat.paths import app_paths
from desktopchat.profile_requests import chat_request
from desktopchat.secrets import SecretStore
from desktopchat.settings import Profile, ProxySettings, Settings, SettingsStore, WindowStateStore
from desktopchat.storage.export import export_json, export_markdown
from desktopchat.storage.store import HistoryStore
from tests.support.loopback import LoopbackServer, ScriptedResponse
from tests.support.sse_script import chat_chunk, sse_body

pytestmark = pytest.mark.anyio

KEY = "sk-leakcheck-7f3a9c2e5b1d"
PROXY_PASSWORD = "proxy-leakcheck-91b2"


def every_file(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.mark.expected_log(r"^desktopchat\.test: ")  # logged on purpose: is the key redacted?
async def test_key_is_nowhere_after_a_full_chat(
    tmp_path: Path,
    loopback_server: LoopbackServer,
    secret_store: SecretStore,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    paths = app_paths(tmp_path).ensure()
    profile = Profile(
        name="Leak check",
        url=loopback_server.url(),
        model="m",
        system_prompt="Be brief.",
        extra_headers={"X-Title": "desktopchat"},
        proxy=ProxySettings(mode="custom", url="socks5h://alice@127.0.0.1:1"),
    )
    settings = Settings(profiles=[profile])
    settings.preferences.active_profile = profile.name
    SettingsStore(paths.settings_file).save(settings)
    WindowStateStore(paths.window_state_file).save({"geometry": "AAAA"})
    secret_store.set_key(profile.name, KEY)
    secret_store.set_proxy_password(profile.name, PROXY_PASSWORD)

    # A good turn, and one where the server echoes the key back inside its error.
    loopback_server.enqueue(
        ScriptedResponse(
            200,
            {"Content-Type": "text/event-stream", "X-Conversation-Id": "conv-9"},
            [sse_body(chat_chunk("The answer"), chat_chunk(" is 42.", finish="stop"))],
        )
    )
    loopback_server.enqueue(
        ScriptedResponse(
            401,
            {"Content-Type": "application/json"},
            [json.dumps({"error": {"message": f"Incorrect API key provided: {KEY}"}}).encode()],
        )
    )
    store = HistoryStore.open(paths.database_file)
    try:
        conversation = store.create_conversation(title="Leak", profile=profile.name, model="m")
        for turn in ("What is the answer?", "And again?"):
            store.add_user_message(conversation.id, turn)
            assistant = store.start_assistant_message(conversation.id)
            request = chat_request(profile, [ChatMessage("user", turn)])
            try:
                async with make_client(trust_env=False) as http:
                    key = secret_store.get_key(profile.name)
                    reply = await collect(request, api_key=key, http=http)
            except ApiError as exc:
                logging.getLogger("desktopchat.test").error("turn failed: %s", exc)
                store.finish_assistant_message(
                    assistant.id, state="error", content="", error=exc.message
                )
            else:
                store.finish_assistant_message(
                    assistant.id,
                    state="complete",
                    content=reply.content,
                    finish_reason=reply.finish_reason,
                    usage=reply.usage,
                )
        messages = store.messages(conversation.id)
        assert [m.state for m in messages if m.role == "assistant"] == ["complete", "error"]
        exported = json.dumps(export_json(store)) + export_markdown(store)
    finally:
        store.close()

    # The key really was sent, so the check below is not vacuous.
    assert loopback_server.requests[0].headers["authorization"] == f"Bearer {KEY}"
    secrets = (KEY, PROXY_PASSWORD)
    for path in every_file(tmp_path):
        data = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in data, f"{secret!r} found in {path}"
    for secret in secrets:
        assert secret not in exported
        assert secret not in caplog.text
    assert "The answer is 42." in exported  # the scan looked at real content
    assert paths.database_file.exists() and paths.settings_file.exists()
