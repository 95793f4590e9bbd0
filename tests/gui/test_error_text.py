"""Errors raised below ui/ (English) as the UI shows them: a translated headline, then
their own words."""

from __future__ import annotations

from collections.abc import Iterator
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
from desktopchat.settings import Language
from desktopchat.ui.error_text import HEADLINES, headline, in_user_language, shown_error
from desktopchat.ui.language import install_translators

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
