"""The documents around a message's text: its role header, its footer line, and the note a
reply with no text gets. MessageRender stacks them; MessageMarks paints beside them (the
avatar left of the header, the streaming dots at the start of the footer)."""

from __future__ import annotations

import html

from PySide6.QtCore import QRectF

from desktopchat.ui.i18n import translate
from desktopchat.ui.message_marks import HEADER_INDENT, INDICATOR_WIDTH, has_avatar, role_accent
from desktopchat.ui.render_body import Part, new_document
from desktopchat.ui.reply_notes import empty_reply_html
from desktopchat.ui.theme import Theme
from desktopchat.ui.transcript_rows import MessageItem, tool_result_title

MARK_LINE = 20.0  # px: the height of the first line a mark sits beside


def role_name(item: MessageItem) -> str:
    if item.role == "user":
        return translate("MessageChrome", "You")
    if item.role == "assistant":
        return translate("MessageChrome", "Assistant")
    if item.role == "tool":
        return tool_result_title(item.tool_calls)
    return item.role.capitalize()


def _indented(part: Part, left: float, *, vertical: float = 0.0) -> Part:
    assert part.doc is not None  # made with its document just before
    frame = part.doc.rootFrame().frameFormat()
    frame.setLeftMargin(left)
    frame.setTopMargin(vertical)
    frame.setBottomMargin(vertical)
    part.doc.rootFrame().setFrameFormat(frame)
    return part


def role_header(item: MessageItem, theme: Theme, css: str) -> Part:
    """"You" / "Assistant" in the role's colour beside its avatar; tool rows say what ran."""
    name = html.escape(role_name(item))
    if not has_avatar(item):
        return Part("header", new_document(theme, f'<b style="color: {theme.muted}">{name}</b>',
                                           css=css))
    color = role_accent(theme, item.role)
    part = Part("header", new_document(theme, f'<b style="color: {color}">{name}</b>', css=css))
    return _indented(part, HEADER_INDENT, vertical=2)


def footer_part(item: MessageItem, theme: Theme, css: str, footer: str) -> Part | None:
    """The footer line; while the reply streams it makes room for the dots at its start."""
    if item.streaming:
        part = Part("footer", new_document(theme, footer or "&nbsp;", css=css))
        return _indented(part, INDICATOR_WIDTH)
    return Part("footer", new_document(theme, footer, css=css)) if footer else None


def empty_note_part(item: MessageItem, theme: Theme, css: str) -> Part | None:
    note = empty_reply_html(item, theme.muted)
    return Part("note", new_document(theme, note, css=css)) if note else None


def mark_rect(part: Part | None, x: float, width: float, height: float) -> QRectF | None:
    """A mark of this size at the left of `part`'s first line (relative to the card)."""
    if part is None:
        return None
    line = max(MARK_LINE, height)
    if part.height > 0:
        line = min(part.height, line)
    return QRectF(x, part.y + (line - height) / 2, width, height)
