"""Errors raised below ui/ (English) as the UI shows them: a translated headline, then
their own words."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktopchat.errors import (
    ApiError,
    AttachmentError,
    AuthError,
    DesktopChatError,
    NetworkError,
    RateLimitError,
    StorageError,
    ToolServerError,
)
from desktopchat.secrets import SecretStore
from desktopchat.settings import Language, Preferences, Profile, Settings
from desktopchat.storage.store import HistoryStore
from desktopchat.ui.controller import ChatController
from desktopchat.ui.error_text import HEADLINES, headline, in_user_language, shown_error
from desktopchat.ui.language import install_translators
from desktopchat.ui.markdown import MarkdownRenderer
from desktopchat.ui.message_render import MessageRender
from desktopchat.ui.theme import theme_named
from desktopchat.ui.transcript_rows import MessageItem
from tests.support.loopback import ScriptedResponse
from tests.support.qt_loop import QtLoop, wait_signal

SERVER_WORDS = "Incorrect API key provided: sk-…abcd"


@pytest.fixture
def chinese(qapp: Any) -> Iterator[None]:
    install_translators(Language.CHINESE_SIMPLIFIED)
    yield
    install_translators(Language.ENGLISH)


def test_english_shows_the_message_alone(qapp: Any) -> None:
    exc = AuthError(SERVER_WORDS, status=401)
    assert shown_error(exc) == SERVER_WORDS
    assert shown_error(exc, "HTTP 401: " + SERVER_WORDS) == "HTTP 401: " + SERVER_WORDS
    assert headline(exc) == ""


def test_chinese_puts_a_headline_before_the_servers_own_words(chinese: None) -> None:
    exc = AuthError(SERVER_WORDS, status=401)
    assert shown_error(exc) == "服务端拒绝了 API 密钥，或此密钥无权使用该模型。\n" + SERVER_WORDS
    assert shown_error(exc, sep=" ").endswith("。 " + SERVER_WORDS)
    assert shown_error(NetworkError("Could not connect to https://x: refused")).startswith(
        "无法连接到服务端")
    assert shown_error(StorageError("database is locked")) == (
        "无法使用聊天记录。\ndatabase is locked")


def test_the_most_specific_class_wins(chinese: None) -> None:
    assert headline(RateLimitError("slow down", status=429)).startswith("服务端正在限制请求")
    assert headline(ApiError("odd")) == "请求失败。"
    assert headline(ToolServerError("calc crashed")) == "工具服务器出错了。"
    assert headline(DesktopChatError("no class of its own")) == ""  # the message alone
    assert shown_error(DesktopChatError("no class of its own")) == "no class of its own"


def test_a_message_the_ui_translated_itself_is_shown_as_it_is(chinese: None) -> None:
    exc = in_user_language(AttachmentError("无法读取剪贴板中的图片。"))
    assert shown_error(exc) == "无法读取剪贴板中的图片。"


def test_every_headline_is_translated_and_ordered_specific_first(chinese: None) -> None:
    for index, (kind, source) in enumerate(HEADLINES):
        assert headline(kind.__new__(kind)) not in ("", source), kind
        # A class listed after one of its base classes would never be reached.
        assert not any(issubclass(kind, earlier) for earlier, _ in HEADLINES[:index]), kind


def test_a_refused_key_in_chinese_reads_as_chinese_with_the_servers_words(
        tmp_path: Path, loopback_server: Any, memory_keyring: Any, qasync_loop: QtLoop,
        chinese: None) -> None:
    """A real 401 through the controller: the stored error and its card start with the
    Chinese headline, on its own line, and keep the provider's message as it was sent."""
    secrets = SecretStore(memory_keyring)
    secrets.set_key("work", "sk-not-real")
    settings = Settings(profiles=[Profile(name="work", preset="openai",
                                          url=loopback_server.url(), model="m")],
                        preferences=Preferences(active_profile="work"))
    store = HistoryStore.open(tmp_path / "history.db")
    controller = ChatController(store, secrets, settings)
    body = json.dumps({"error": {"message": SERVER_WORDS, "code": "invalid_api_key"}})
    loopback_server.enqueue(ScriptedResponse(
        status=401, headers={"Content-Type": "application/json"}, pieces=[body.encode()]))

    async def chat() -> Any:
        assert controller.send("你好")
        _, final = await wait_signal(controller.message_updated, timeout=20,
                                     check=lambda c, m: m.role == "assistant"
                                     and m.state == "error")
        await controller.aclose()
        return final

    final = qasync_loop.run(chat())
    headline_zh, said = final.error.split("\n", 1)
    assert headline_zh == "服务端拒绝了 API 密钥，或此密钥无权使用该模型。"
    assert SERVER_WORDS in said
    card = MessageRender(MessageItem(id=final.id, role="assistant", content="",
                                     state="error", error=final.error),
                         MarkdownRenderer(theme_named("light")), is_last=True)
    card.layout(600)
    shown = [p.doc.toPlainText() for p in card.parts if p.kind == "error" and p.doc]
    assert len(shown) == 1 and "\n" + headline_zh + "\n" in shown[0]
    assert SERVER_WORDS in shown[0]
    store.close()
