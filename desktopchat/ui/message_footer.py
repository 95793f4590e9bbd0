"""The line under a message: what produced it, and how it ended.

Plain HTML for the footer document; every value from the server or the file (model name,
finish reason) is escaped. The few links are our own `dc:` links (transcript_input.LinkAction).
"""

from __future__ import annotations

import html

from desktopchat.storage.models import MessageState
from desktopchat.ui.i18n import translate
from desktopchat.ui.markdown import ACTION_SCHEME
from desktopchat.ui.reply_notes import finish_words, stopped_choices_html
from desktopchat.ui.theme import Theme
from desktopchat.ui.transcript_rows import MessageItem

SEPARATOR = " &nbsp;·&nbsp; "


def left_out_note() -> str:
    return translate("MessageFooter", "This reply's tool calls have no results: a message sent "
                     "now goes without this reply (Regenerate asks again).")


def usage_text(usage: dict[str, object] | None) -> str:
    """"12 in / 340 out tokens" (or a total when that is all the server said)."""
    if not usage:
        return ""
    prompt = usage.get("prompt_tokens")
    completion = usage.get("completion_tokens")
    if prompt is None and completion is None:
        total = usage.get("total_tokens")
        return (translate("MessageFooter", "{total} tokens").format(total=total)
                if total is not None else "")
    return translate("MessageFooter", "{prompt} in / {completion} out tokens").format(
        prompt=prompt if prompt is not None else "?",
        completion=completion if completion is not None else "?")


def speed_text(item: MessageItem) -> list[str]:
    parts = []
    if item.first_token_s is not None:
        parts.append(translate("MessageFooter", "first token {seconds} s").format(
            seconds=f"{item.first_token_s:.2f}"))
    if item.tokens_per_s is not None:
        parts.append(translate("MessageFooter", "{speed} tokens/s").format(
            speed=f"{item.tokens_per_s:.1f}"))
    return parts


def _link(action: str, text: str) -> str:
    return f'<a href="{ACTION_SCHEME}:{action}">{text}</a>'


def footer_html(item: MessageItem, theme: Theme, *, is_last: bool) -> str:
    """What wrote the reply and how it ended. The actions are the hover bar's
    (message_actions), the versions switcher ‹ n/m › among them (shown once, as icon
    buttons with tooltips and keys, not a second time here as links), except the choices
    a reply's end calls for: Continue after the length limit, Continue or Regenerate after
    Stop."""
    info: list[str] = []
    done = item.state != MessageState.STREAMING
    if item.role == "assistant":
        if item.model:
            info.append(html.escape(item.model))
        if item.state == MessageState.STOPPED:
            stopped = translate("MessageFooter", "Stopped")  # outside the f-string: lupdate
            info.append(f"<b>{html.escape(stopped)}</b>")
        if item.finish_reason and done:
            finish = translate("MessageFooter", "finish: {reason}")
            info.append(html.escape(finish.format(reason=finish_words(item.finish_reason))))
        usage = usage_text(item.usage)
        if usage:
            info.append(html.escape(usage))
        info.extend(speed_text(item))
    note = ""
    if item.role == "assistant" and item.finish_reason == "length" and (
        item.state == MessageState.COMPLETE
    ) and is_last:
        limit = html.escape(translate("MessageFooter", "The reply hit the length limit."))
        resume = html.escape(translate("MessageFooter", "Continue"))
        note = (f'<table width="100%" cellpadding="6" style="background-color: '
                f'{theme.note_background}"><tr><td>{limit} '
                f'{_link("continue", resume)}</td></tr></table>')
    if is_last and stopped_choices_html(item):
        note += (f'<table width="100%" cellpadding="6" style="background-color: '
                 f'{theme.note_background}"><tr><td>{stopped_choices_html(item)}'
                 f'</td></tr></table>')
    if done and is_last and item.calls_unanswered:
        note += (f'<table width="100%" cellpadding="6" style="background-color: '
                 f'{theme.note_background}"><tr><td>{html.escape(left_out_note())}'
                 f'</td></tr></table>')
    if not (note or info):
        return ""  # no footer line at all: a short message stays a short card
    return f'{note}<span style="color: {theme.muted}">{SEPARATOR.join(info)}</span>'
