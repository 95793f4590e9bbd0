"""A reply's finish reason reads in the interface's language: the API's own words (stop,
length, tool_calls, ...) are translated in Chinese and kept in English; a reason no API
documents is shown as the server sent it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from desktopchat.settings import Language
from desktopchat.ui.language import install_translators
from desktopchat.ui.message_footer import footer_html
from desktopchat.ui.reply_notes import empty_reply_text
from desktopchat.ui.theme import theme_named
from desktopchat.ui.transcript_rows import MessageItem


@pytest.fixture
def chinese(qapp: Any) -> Iterator[None]:
    install_translators(Language.CHINESE_SIMPLIFIED)
    yield
    install_translators(Language.ENGLISH)


def footer(reason: str) -> str:
    item = MessageItem(id=1, role="assistant", content="Hi", state="complete",
                       finish_reason=reason, model="m")
    return footer_html(item, theme_named("light"), is_last=False)


def test_english_keeps_the_apis_words(qapp: Any) -> None:
    assert "finish: stop" in footer("stop")
    assert "finish: tool_calls" in footer("tool_calls")


def test_chinese_says_each_documented_reason_in_chinese(chinese: None) -> None:
    shown = {reason: footer(reason) for reason in
             ("stop", "length", "tool_calls", "function_call", "content_filter")}
    for reason, html in shown.items():
        assert "结束原因" in html
        assert reason not in html, html  # no API word left untranslated
    assert len({html for html in shown.values()}) == len(shown)  # each its own words
    assert "eos_token" in footer("eos_token")  # a server's own reason: as it came
    empty = MessageItem(id=2, role="assistant", content="", state="complete",
                        finish_reason="content_filter")
    assert "content_filter" not in empty_reply_text(empty)
    assert "结束原因" in empty_reply_text(empty)
