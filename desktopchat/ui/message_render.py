"""Laid-out documents for one message, built once and updated only where text is new.

A message is a stack of parts, each its own QTextDocument: a header, the
reasoning toggle and text, the body split into markdown chunks (markdown.Chunker),
tool-call cards, an error card and a footer with the actions. A sealed chunk is
rendered once; while streaming only the open chunk is re-rendered, and reasoning
is appended as plain text, so a frame costs what the new text costs (DESIGN.md §6).
Resizing only re-wraps the documents of rows the view asks for.

Body chunks are built and laid out within a time budget (render_body); what is left
is done by `work`, which the view's render pump calls in short slices, visible parts
first, so no message, however large or odd, holds the UI thread for long.
"""

from __future__ import annotations

import html
import json
import time
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, QSizeF
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QPainter,
    QPalette,
    QTextCursor,
)

from desktopchat.storage.models import MessageState
from desktopchat.ui.attachment_thumbs import ThumbnailCache
from desktopchat.ui.code_block_paint import draw_part
from desktopchat.ui.code_blocks import to_document
from desktopchat.ui.find_text import tool_call_text
from desktopchat.ui.i18n import translate
from desktopchat.ui.markdown import ACTION_SCHEME, MarkdownRenderer
from desktopchat.ui.message_chrome import (
    empty_note_part,
    footer_part,
    mark_rect,
    role_header,
)
from desktopchat.ui.message_files import files_part
from desktopchat.ui.message_footer import footer_html
from desktopchat.ui.message_marks import AVATAR, DOTS_HEIGHT, INDICATOR_WIDTH
from desktopchat.ui.render_body import (
    KEEP_MARGIN,
    MIN_SYNC_PARTS,
    BodyParts,
    Part,
    Span,
    new_document,
    parts_meeting,
)
from desktopchat.ui.transcript_rows import MessageItem

PAD = 12  # inside a card
Marks = Callable[[Part], list[QAbstractTextDocumentLayout.Selection]]
LAYOUT_BUDGET_S = 0.004  # body layout done inside layout(); the rest is left to `work`


def state_label(state: str) -> str:
    """The heading of a reply's state card ("Failed" for any state without its own)."""
    labels: dict[str, str] = {
        MessageState.STOPPED: translate("MessageRender", "Stopped"),
        MessageState.INTERRUPTED: translate("MessageRender",
                                            "Interrupted — the reply is incomplete"),
        MessageState.STREAMING: translate("MessageRender", "Writing…"),
    }
    return labels.get(state, translate("MessageRender", "Failed"))


def interrupted_body() -> str:
    # The body under the "Interrupted" heading says what happened, not the heading again.
    return translate("MessageRender", "The connection ended before the reply was finished. "
                     "The text so far is kept; Retry asks again.")


class MessageRender:
    """Documents for one MessageItem under one theme; `sync` after the item changes."""

    def __init__(self, item: MessageItem, renderer: MarkdownRenderer, *, is_last: bool,
                 thumbnails: ThumbnailCache | None = None) -> None:
        self.theme = renderer.theme
        self.thumbnails = thumbnails
        self._files_key: tuple[object, ...] = ()
        self._files: Part | None = None
        self.renderer = renderer
        self.css = renderer.document_css()
        self.item_id = item.id
        self.body = BodyParts(renderer, self.css, markdown=item.role == "assistant")
        self._before: list[Part] = []  # header, reasoning: the parts above the body
        self._after: list[Part] = []  # tool calls, error card, footer
        self._reasoning_doc: Part | None = None
        self._reasoning_len = 0
        self._tools_key = ""
        self._tools: Part | None = None
        self._chrome_key: tuple[object, ...] = ()
        self._header: Part | None = None
        self._toggle: Part | None = None
        self._error: Part | None = None
        self._footer: Part | None = None
        self._empty: Part | None = None  # "Called add(…)" where a reply has no text
        self.parts: list[Part] = []
        self.width = -1.0
        self.height = 0.0
        self.is_last = is_last
        self.sync(item)

    # -- building -------------------------------------------------------------------------

    def sync(self, item: MessageItem, *, is_last: bool | None = None) -> None:
        if is_last is not None:
            self.is_last = is_last
        self._sync_body(item)
        self._sync_reasoning(item)
        self._sync_tools(item)
        self._sync_files(item)
        self._sync_chrome(item)
        before: list[Part] = [p for p in (self._header,) if p is not None]
        if item.reasoning and self._toggle is not None:
            before.append(self._toggle)
            if self._reasoning_open(item) and self._reasoning_doc is not None:
                before.append(self._reasoning_doc)
        self._before = before
        self._after = [p for p in (self._empty, self._files, self._tools, self._error,
                                   self._footer) if p is not None]
        self._assemble()
        self.width = -1.0  # heights must be recomputed

    def _assemble(self) -> None:
        self.parts = self._before + self.body.parts() + self._after

    @staticmethod
    def _reasoning_open(item: MessageItem) -> bool:
        return item.streaming if item.reasoning_open is None else item.reasoning_open

    def _sync_body(self, item: MessageItem) -> None:
        # User text is shown as typed (plain, escaped); replies are markdown. Both are
        # chunked, so a pasted or imported 2 MB message costs no more than a reply.
        self.body.sync(item.content)

    def _sync_reasoning(self, item: MessageItem) -> None:
        if not item.reasoning:
            return
        if self._reasoning_doc is None and not self._reasoning_open(item):
            return  # collapsed: built when first opened, not for every message loaded
        if self._reasoning_doc is None:
            doc = new_document(self.theme)
            frame = doc.rootFrame().frameFormat()
            frame.setLeftMargin(14)  # set off from the answer below it
            doc.rootFrame().setFrameFormat(frame)
            self._reasoning_doc = Part("reasoning", doc)
            self._reasoning_len = 0
        if len(item.reasoning) > self._reasoning_len:
            # Appending plain text costs only the new text; no re-parse of what is there.
            thinking = self._reasoning_doc.doc
            assert thinking is not None  # made just above with its document; never dropped
            cursor = QTextCursor(thinking)
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.insertText(item.reasoning[self._reasoning_len :])
            self._reasoning_len = len(item.reasoning)
            self._reasoning_doc.width = -1.0

    def _sync_tools(self, item: MessageItem) -> None:
        key = json.dumps(item.tool_calls, sort_keys=True, default=str)
        if key == self._tools_key:
            return
        self._tools_key = key
        if not item.tool_calls or item.role == "tool":
            self._tools = None  # a tool row's `tool_calls` names the call it answers
            return
        t = self.theme
        cards = []
        tool_call = html.escape(translate("MessageRender", "Tool call"))
        for call in item.tool_calls:
            name, pretty = tool_call_text(call)  # arguments still arriving show as they are
            name = html.escape(name)
            cards.append(
                f'<table width="100%" cellspacing="0" cellpadding="8" border="1" '
                f'style="border-collapse: collapse; border-style: solid; '
            f'border-color: {t.card_border}; '
                f'background-color: {t.code_background}"><tr><td>'
                f'<span style="color: {t.muted}">{tool_call}</span> <b>{name}</b>'
                f'<pre style="margin: 0">{html.escape(pretty)}</pre></td></tr></table>'
            )
        self._tools = Part("tools", new_document(self.theme, "".join(cards), css=self.css))

    def _sync_files(self, item: MessageItem) -> None:
        """Names and sizes under a user message, images as thumbnails (decoded once)."""
        if not item.attachments:
            self._files = None
            return
        made = files_part(item.attachments, self.theme, self.css, self.thumbnails,
                          self._files_key)
        if made is not None:
            self._files_key, self._files = made

    def _sync_chrome(self, item: MessageItem) -> None:
        open_reasoning = self._reasoning_open(item)
        key = (item.role, item.state, item.finish_reason, json.dumps(item.usage, default=str),
               item.error, open_reasoning, bool(item.reasoning), self.is_last, item.model,
               item.first_token_s, item.tokens_per_s, item.versions, bool(item.tool_calls),
               item.calls_unanswered,
               item.streaming and not item.content,
               not item.content or item.content.isspace())  # no text: a note says why
        if key == self._chrome_key:
            return
        self._chrome_key = key
        t = self.theme
        self._header = role_header(item, t, self.css)
        if item.reasoning:
            arrow = "▾" if open_reasoning else "▸"
            # "thinking…" only until the answer itself starts to arrive.
            live = (" " + translate("MessageRender", "(thinking…)")
                    if item.streaming and not item.content else "")
            reasoning = html.escape(translate("MessageRender", "Reasoning"))
            self._toggle = Part("toggle", new_document(
                self.theme,
                f'<a href="{ACTION_SCHEME}:toggle-reasoning" style="color: {t.muted}; '
                f'text-decoration: none">{arrow} {reasoning}{html.escape(live)}</a>',
                css=self.css))
        self._error = None
        failed = item.state in (MessageState.ERROR, MessageState.INTERRUPTED)
        if failed and (item.error or item.state == MessageState.INTERRUPTED):
            # Lines kept: a translated headline, then the server's own words.
            message = html.escape(item.error or interrupted_body()).replace("\n", "<br>")
            # Retry adds a version beside this one: any reply can be retried.
            retry_word = html.escape(translate("MessageRender", "Retry"))
            retry = f'<br><a href="{ACTION_SCHEME}:retry">{retry_word}</a>'
            self._error = Part("error", new_document(
                self.theme,
                f'<table width="100%" cellspacing="0" cellpadding="8" '
                f'style="background-color: {t.error_background}"><tr><td>'
                f'<span style="color: {t.error_text}"><b>'
                f'{html.escape(state_label(item.state))}</b><br>{message}</span>'
                f'{retry}</td></tr></table>', css=self.css))
        self._footer = footer_part(item, t, self.css, footer_html(item, t, is_last=self.is_last))
        self._empty = empty_note_part(item, t, self.css)

    # -- layout and painting ----------------------------------------------------------------

    def layout(self, width: float) -> float:
        """Height at `width`: exact for what fits in the budget, estimated for the rest."""
        inner = max(50.0, width - 2 * PAD)
        if inner == self.width:
            return self.height
        deadline = time.perf_counter() + LAYOUT_BUDGET_S
        done = 0
        for part in self.parts:
            if part.laid_out(inner):
                continue  # its height stands: a streaming frame walks only what changed
            allowed = part.kind != "body" or done < MIN_SYNC_PARTS or (
                time.perf_counter() < deadline)
            if part.kind == "body" and part.ready and part.width != inner and allowed:
                done += 1
            part.layout(inner, allowed=allowed)
        self.width = inner
        return self._place()

    def _place(self) -> float:
        y = float(PAD)
        for part in self.parts:
            part.y = y
            part.placed = True
            y += part.height + 6
        self.height = y - 6 + PAD
        return self.height

    def wants_work(self, span: Span) -> bool:
        """Waiting work near `span` (the visible y range within the card, or None)."""
        return self.width >= 0 and self.body.wants_work(self.width, self._window(span))

    def work(self, deadline: float, span: Span = None) -> bool:
        """Render and lay out waiting body parts near `span` until `deadline` (at least
        one part), visible ones first; True when something changed."""
        if self.width < 0:
            return False
        changed = self.body.work(deadline, self.width, self._window(span))
        if changed:
            self._assemble()
            self._place()
        return changed

    def render_now(self, part: Part) -> None:
        """Render and lay out a waiting body part now (the keyboard went to its code)."""
        self.body.render(part)
        if self.width >= 0:
            part.layout(self.width)
        self._assemble()
        self._place()

    @staticmethod
    def _window(span: Span) -> Span:
        return None if span is None else (span[0] - KEEP_MARGIN, span[1] + KEEP_MARGIN)

    def image_ready(self, key: str) -> bool:
        """A data image this message waited for was decoded: its parts render again."""
        return self.body.image_ready(key)

    def finish(self) -> None:
        """Render every part now (for tests and benchmarks)."""
        self.body.finish()
        self._assemble()
        if self.width >= 0:
            for part in self.parts:
                part.layout(self.width)
            self._place()

    def paint(self, painter: QPainter, origin: QPointF, clip: QRectF, text_color: QColor,
              marks: Marks | None = None) -> None:
        """`marks`: a part's coloured ranges (the selection, find matches), if any."""
        ctx = QAbstractTextDocumentLayout.PaintContext()
        palette = ctx.palette
        palette.setColor(QPalette.ColorRole.Link, QColor(self.theme.link))
        muted = QColor(self.theme.muted)
        # Only the parts meeting the clip (bisected: a reply may have 10,000 of them).
        for part in parts_meeting(self.parts, clip.top() - origin.y(),
                                  clip.bottom() - origin.y()):
            if part.doc is None:
                continue  # not rendered yet: the pump is on it, visible parts first
            # Reasoning is the model thinking aloud: quieter than the answer.
            palette.setColor(QPalette.ColorRole.Text,
                             muted if part.kind == "reasoning" else text_color)
            ctx.palette = palette
            top = origin.y() + part.y
            if top > clip.bottom() or top + part.height < clip.top():
                continue
            painter.save()
            painter.translate(origin.x() + PAD, top)
            local = QRectF(clip).translated(-(origin.x() + PAD), -top)
            painter.setClipRect(local)
            ctx.clip = local
            ctx.selections = marks(part) if marks is not None else []
            draw_part(painter, ctx, part, local, self.theme)  # code blocks scroll inside
            painter.restore()

    def hit(self, point: QPointF) -> tuple[Part, str] | None:
        """The part and anchor under `point` (relative to the card's top-left)."""
        for part in self.parts:
            if part.y <= point.y() <= part.y + part.height and part.doc is not None:
                local = to_document(part, QPointF(point.x() - PAD, point.y() - part.y))
                return part, part.doc.documentLayout().anchorAt(local)
        return None

    def avatar_rect(self) -> QRectF | None:
        """The role mark's square beside the header, relative to the card."""
        return mark_rect(self._header, PAD, AVATAR, AVATAR)

    def indicator_rect(self) -> QRectF | None:
        """The streaming dots' place at the start of the footer line, relative to the card."""
        return mark_rect(self._footer if self._footer in self.parts else None, PAD,
                         INDICATOR_WIDTH, DOTS_HEIGHT)

    def text_size(self) -> QSizeF:
        return QSizeF(self.width, self.height)
