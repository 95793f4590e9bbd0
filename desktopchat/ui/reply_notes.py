"""Short notes in a reply's card where its text alone would say nothing.

- A reply that finished with no text (a tool-call-only stream, or an empty answer) says what it
  did: "Called add(a: 1, b: 2)", or "The model sent no text (finish reason: stop)."
- A stopped reply offers one clear pair of choices: Continue (the same reply goes on where it
  stopped) and Regenerate (a new version beside it; this one is kept).

Every value from the server (tool names, arguments, finish reasons) is escaped.
"""

from __future__ import annotations

import html
import json

from desktopchat.safe_json import member
from desktopchat.storage.models import MessageState
from desktopchat.ui.i18n import translate
from desktopchat.ui.markdown import ACTION_SCHEME
from desktopchat.ui.transcript_rows import MessageItem, unnamed_tool

ARGUMENTS_SHOWN = 60  # characters of a call's arguments in the one-line summary
CALLS_SHOWN = 3


def _arguments(raw: object) -> str:
    """`a: 1, b: 2` for JSON object arguments; the raw text otherwise; cut to one line."""
    text = str(raw or "")
    try:
        parsed = json.loads(text) if text else {}
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        text = ", ".join(f"{key}: {json.dumps(value, ensure_ascii=False)}"
                         for key, value in parsed.items())
    text = " ".join(text.split())
    return text if len(text) <= ARGUMENTS_SHOWN else text[: ARGUMENTS_SHOWN - 1] + "…"


def call_summary(tool_calls: list[dict[str, object]]) -> str:
    """"add(a: 1, b: 2), search(q: "x")" (plain text), the first few calls of a reply."""
    shown = []
    for call in tool_calls[:CALLS_SHOWN]:
        function = call.get("function")
        name = str(member(function, "name") or call.get("name") or unnamed_tool())
        arguments = member(function, "arguments") or call.get("arguments")
        shown.append(f"{name}({_arguments(arguments)})")
    more = len(tool_calls) - CALLS_SHOWN
    if more > 0:
        shown.append(translate("ReplyNotes", "{count} more").format(count=more))
    return ", ".join(shown)


def empty_reply_text(item: MessageItem) -> str:
    """What a finished reply with no text did, in words (plain text); "" when it has text."""
    if item.role != "assistant" or item.streaming or (
            item.content and not item.content.isspace()):
        return ""
    if item.state in (MessageState.ERROR, MessageState.INTERRUPTED):
        return ""  # the error card says what happened
    if item.tool_calls:
        return translate("ReplyNotes", "Called {calls}").format(
            calls=call_summary(item.tool_calls))
    if item.state == MessageState.STOPPED:
        return translate("ReplyNotes", "Stopped before the model sent any text.")
    reason = finish_words(item.finish_reason) or translate("ReplyNotes", "none given")
    return translate("ReplyNotes", "The model sent no text (finish reason: {reason}).").format(
        reason=reason)


def finish_words(reason: str | None) -> str:
    """A reply's finish reason in the user's language: the OpenAI API's own words are
    translated (English keeps them as they are, as the API documents them); any other
    reason a server sends is shown as it came."""
    known = {
        "stop": translate("ReplyNotes", "stop"),
        "length": translate("ReplyNotes", "length"),
        "tool_calls": translate("ReplyNotes", "tool_calls"),
        "function_call": translate("ReplyNotes", "function_call"),
        "content_filter": translate("ReplyNotes", "content_filter"),
    }
    return known.get(reason or "", reason or "")


def empty_reply_html(item: MessageItem, muted: str) -> str:
    text = empty_reply_text(item)
    return f'<i style="color: {muted}">{html.escape(text)}</i>' if text else ""


def stopped_choices_html(item: MessageItem) -> str:
    """Under the newest stopped reply: Continue · Regenerate, the one pair of choices."""
    if item.role != "assistant" or item.state != MessageState.STOPPED:
        return ""
    resume = translate("ReplyNotes", "Continue")
    again = translate("ReplyNotes", "Regenerate")
    explain = translate("ReplyNotes", "Stopped. Continue writes on in this reply; Regenerate "
                                      "writes a new version beside it.")
    return (f'{html.escape(explain)} <a href="{ACTION_SCHEME}:continue">{html.escape(resume)}'
            f'</a> · <a href="{ACTION_SCHEME}:regenerate">{html.escape(again)}</a>')
