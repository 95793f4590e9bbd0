"""Test connection and Fetch models against the real loopback server, on the qasync loop."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktopchat.settings import Preferences, Profile, Settings, SettingsStore
from desktopchat.ui.settings_dialog import SettingsDialog
from tests.support.layout_checks import clipped_texts
from tests.support.loopback import ScriptedResponse, unused_port
from tests.support.sse_script import chat_chunk, sse_body

KEY = "sk-loopback-test-key"


@pytest.fixture
def dialog_for(qtbot, tmp_path: Path, secret_store):
    def build(url: str, *, preset: str = "openai", key: str | None = KEY) -> SettingsDialog:
        if key:
            secret_store.set_key("local", key)
        settings = Settings(profiles=[Profile("local", preset=preset, url=url, model="m1")],
                            preferences=Preferences(active_profile="local"))
        dialog = SettingsDialog(settings, SettingsStore(tmp_path / "settings.json"),
                                secret_store)
        qtbot.addWidget(dialog)
        return dialog

    return build


async def click_and_wait(dialog: SettingsDialog, button) -> None:
    button.click()
    assert dialog.last_task is not None
    await dialog.last_task


def test_connection_success_reports_latency(qasync_loop, loopback_server, dialog_for):
    loopback_server.enqueue(ScriptedResponse(pieces=[
        sse_body(chat_chunk("po", role="assistant"), chat_chunk("ng"), chat_chunk(finish="stop"))
    ]))
    dialog = dialog_for(loopback_server.url())
    form = dialog.current_form()
    qasync_loop.run(click_and_wait(dialog, form.test_button))
    text = form.test_result.text()
    assert text.startswith("✔ Connected in ") and " ms" in text and "pong" in text
    request = loopback_server.requests[-1]
    assert request.headers["authorization"] == f"Bearer {KEY}"
    body = request.json()
    assert body["stream"] is True and body["messages"][-1] == {"role": "user", "content": "ping"}
    assert KEY not in text


def test_connection_uses_a_newly_typed_key(qasync_loop, loopback_server, dialog_for):
    loopback_server.enqueue(ScriptedResponse(pieces=[sse_body(chat_chunk("ok",
                                                                          finish="stop"))]))
    dialog = dialog_for(loopback_server.url(), key=None)
    form = dialog.current_form()
    form.key.entry.setText("sk-typed-now")
    qasync_loop.run(click_and_wait(dialog, form.test_button))
    assert form.test_result.text().startswith("✔")
    assert loopback_server.requests[-1].headers["authorization"] == "Bearer sk-typed-now"


def test_connection_401_shows_the_provider_message(qasync_loop, loopback_server, dialog_for):
    error = {"error": {"message": "Incorrect API key provided: sk-lo***key.",
                       "type": "invalid_request_error", "code": "invalid_api_key"}}
    loopback_server.enqueue(ScriptedResponse(
        status=401, headers={"Content-Type": "application/json"},
        pieces=[json.dumps(error).encode()]))
    dialog = dialog_for(loopback_server.url())
    form = dialog.current_form()
    qasync_loop.run(click_and_wait(dialog, form.test_button))
    text = form.test_result.text()
    assert text.startswith("✘")
    assert "Incorrect API key provided" in text
    assert "401" in text
    assert form.test_button.isEnabled()


def test_a_long_answer_to_test_connection_is_shown_whole(qasync_loop, loopback_server,
                                                         dialog_for, qtbot):
    # A wrapped result beside the button kept that row's height and cut the answer off.
    words = "You can find your API key in your account settings on the provider's website. "
    error = {"error": {"message": "Incorrect API key provided. " + words * 3}}
    loopback_server.enqueue(ScriptedResponse(
        status=401, headers={"Content-Type": "application/json"},
        pieces=[json.dumps(error).encode()]))
    dialog = dialog_for(loopback_server.url())
    dialog.show()
    form = dialog.current_form()
    qasync_loop.run(click_and_wait(dialog, form.test_button))
    label = form.test_result
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))
    assert form.test_result.text().count("\n") < 3 and "account settings" in form.test_result.text()
    assert [p for p in clipped_texts(dialog) if "testResult" in p] == []


def test_connection_refused_is_a_network_error(qasync_loop, dialog_for):
    dialog = dialog_for(f"http://127.0.0.1:{unused_port()}/v1/chat/completions")
    form = dialog.current_form()
    qasync_loop.run(click_and_wait(dialog, form.test_button))
    text = form.test_result.text()
    assert text.startswith("✘")
    assert "127.0.0.1" in text


def test_connection_with_invalid_form_does_not_send(qasync_loop, loopback_server, dialog_for):
    dialog = dialog_for(loopback_server.url())
    form = dialog.current_form()
    form.url.setText("not a url")
    qasync_loop.run(click_and_wait(dialog, form.test_button))
    assert "Fix the marked fields" in form.test_result.text()
    assert loopback_server.requests == []


def test_fetch_models_fills_the_model_list(qasync_loop, loopback_server, dialog_for):
    models = {"object": "list", "data": [{"id": "zeta-large"}, {"id": "alpha-small"}]}
    loopback_server.enqueue(ScriptedResponse(headers={"Content-Type": "application/json"},
                                             pieces=[json.dumps(models).encode()]),
                            path="/v1/models")
    dialog = dialog_for(loopback_server.url())
    form = dialog.current_form()
    qasync_loop.run(click_and_wait(dialog, form.fetch_models))
    items = [form.model.itemText(i) for i in range(form.model.count())]
    assert items == ["alpha-small", "zeta-large"]
    assert form.model.currentText() == "m1"  # the chosen model is kept
    assert "2 models" in form.models_status.text()
    request = loopback_server.requests[-1]
    assert request.method == "GET" and request.path == "/v1/models"
    assert request.headers["authorization"] == f"Bearer {KEY}"


def test_fetch_models_error_goes_to_the_inline_label(qasync_loop, loopback_server, dialog_for):
    loopback_server.enqueue(ScriptedResponse(
        status=403, headers={"Content-Type": "application/json"},
        pieces=[b'{"error": {"message": "Project has no access to models"}}']),
        path="/v1/models")
    dialog = dialog_for(loopback_server.url())
    form = dialog.current_form()
    qasync_loop.run(click_and_wait(dialog, form.fetch_models))
    assert "Project has no access to models" in form.models_status.text()
    assert form.fetch_models.isEnabled()


def test_closing_the_dialog_cancels_a_running_test(qasync_loop, loopback_server, dialog_for):
    stalled = ScriptedResponse(pieces=[sse_body(chat_chunk("a"), done=False)], stall_after=1)
    loopback_server.enqueue(stalled)
    dialog = dialog_for(loopback_server.url())
    form = dialog.current_form()

    async def scenario() -> None:
        form.test_button.click()
        task = dialog.last_task
        assert task is not None
        from tests.support.qt_loop import wait_until

        await wait_until(lambda: len(loopback_server.requests) == 1)
        dialog.reject()
        await wait_until(task.done)
        assert task.cancelled()

    qasync_loop.run(scenario())


def test_fetch_models_over_plain_http_keeps_the_key(qasync_loop, dialog_for):
    """Issue 10: the model list goes through the key's one door too. Nothing listens at
    the .invalid host: the transport rule refuses before any connection is tried."""
    dialog = dialog_for("http://gpu-box.invalid:8000/v1/chat/completions", preset="custom")
    form = dialog.current_form()
    qasync_loop.run(click_and_wait(dialog, form.fetch_models))
    assert "Not sending the API key to gpu-box.invalid:8000" in form.models_status.text()
    assert form.fetch_models.isEnabled()
