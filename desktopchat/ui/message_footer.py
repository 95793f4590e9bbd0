"""The line under a message: what produced it, its versions ‹ 2/3 ›, and what can be done.

Plain HTML for the footer document; every value from the server or the file (model name,
finish reason) is escaped. Actions are our own `dc:` links (transcript_input.LinkAction).
"""

from __future__ import annotations

import html
from typing import Any

from desktopchat.core.history import left_out
from desktopchat.storage.models import MessageState
from desktopchat.ui.markdown import ACTION_SCHEME
from desktopchat.ui.theme import Theme
from desktopchat.ui.transcript_rows import MessageItem

SEPARATOR = " &nbsp;·&nbsp; "
LEFT_OUT_NOTE = (
    "This reply's tool calls have no results: a message sent now goes without this reply "
    "(Regenerate asks again)."
)


def usage_text(usage: dict[str, Any] | None) -> str:
    """"12 in / 340 out tokens" (or a total when that is all the server said)."""
    if not usage:
        return ""
    prompt = usage.get("prompt_tokens")
    completion = usage.get("completion_tokens")
    if prompt is None and completion is None:
        total = usage.get("total_tokens")
        return f"{total} tokens" if total is not None else ""
    return f"{prompt if prompt is not None else '?'} in / " + (
        f"{completion if completion is not None else '?'} out tokens")


def speed_text(item: MessageItem) -> list[str]:
    parts = []
    if item.first_token_s is not None:
        parts.append(f"first token {item.first_token_s:.2f} s")
    if item.tokens_per_s is not None:
        parts.append(f"{item.tokens_per_s:.1f} tokens/s")
    return parts


def _link(action: str, text: str) -> str:
    return f'<a href="{ACTION_SCHEME}:{action}">{text}</a>'


def versions_html(item: MessageItem) -> str:
    """‹ 2/3 › with the arrows as links where there is a version to go to."""
    if item.versions is None:
        return ""
    position, count = item.versions
    back = _link("previous-version", "‹") if position > 1 else "‹"
    forward = _link("next-version", "›") if position < count else "›"
    return f"{back} {position}/{count} {forward}"


def footer_html(item: MessageItem, theme: Theme, *, is_last: bool) -> str:
    info: list[str] = []
    actions: list[str] = []
    versions = versions_html(item)
    done = item.state != MessageState.STREAMING
    if item.role == "assistant":
        if item.model:
            info.append(html.escape(item.model))
        if item.state == MessageState.STOPPED:
            info.append("<b>Stopped</b>")
        elif not done:
            info.append("Writing…")
        if item.finish_reason and done:
            info.append(f"finish: {html.escape(item.finish_reason)}")
        usage = usage_text(item.usage)
        if usage:
            info.append(html.escape(usage))
        info.extend(speed_text(item))
        if done:
            actions.append(_link("copy", "Copy"))
            if item.finish_reason == "length" and item.state == MessageState.COMPLETE:
                actions.append(_link("continue", "Continue"))
            if item.state == MessageState.STOPPED:
                actions.append(_link("retry", "Retry"))
            # A failed reply's card has Retry.
            if item.state not in (MessageState.ERROR, MessageState.INTERRUPTED):
                actions.append(_link("regenerate", "Regenerate"))
    else:
        actions.append(_link("copy", "Copy"))
        if item.role == "user":
            actions.append(_link("edit", "Edit"))
    if done:
        label = "Delete this version" if item.versions else "Delete from here"
        actions.append(_link("delete", label))
    note = ""
    if item.role == "assistant" and item.finish_reason == "length" and (
        item.state == MessageState.COMPLETE
    ) and is_last:
        note = (f'<table width="100%" cellpadding="6" style="background-color: '
                f'{theme.note_background}"><tr><td>The reply hit the length limit. '
                f'{_link("continue", "Continue")}</td></tr></table>')
    if done and is_last and left_out(item):
        note += (f'<table width="100%" cellpadding="6" style="background-color: '
                 f'{theme.note_background}"><tr><td>{LEFT_OUT_NOTE}</td></tr></table>')
    head = f"{versions}&nbsp;&nbsp;&nbsp;" if versions else ""
    return (f'{note}{head}<span style="color: {theme.muted}">{SEPARATOR.join(info)}</span>'
            f'{"&nbsp;&nbsp;&nbsp;" if info else ""}{"&nbsp;&nbsp;".join(actions)}')
