"""Markdown -> safe HTML for QTextDocument, with Pygments-highlighted code.

Model output is untrusted (DESIGN.md §6): raw HTML is escaped (markdown-it with
`html` off), images become plain link text so nothing is ever fetched (except data-URL
images, which carry their own bytes: markdown_images), and only
http, https and mailto links survive as links. Colours are inlined because
QTextDocument understands only a small subset of CSS.

The chat view renders a reply in chunks (chunking.Chunker), each small enough to
render within a frame; this module renders one chunk, and never takes long or drops
a word doing it:
- highlighting is capped: a code block past HIGHLIGHT_MAX_CHARS, with a line past
  HIGHLIGHT_MAX_LINE, or whose lexing runs past HIGHLIGHT_BUDGET_S is plain monospace;
  so is one whose lexer the lexers' thread is still building (lexers), until `ready`;
- markdown-it stops parsing blocks nested deeper than its maxNesting (20) and silently
  drops the rest of the text; a chunk that reaches that depth (or that makes the parser
  fail) is shown as plain text instead, so every word stays visible;
- math (math_syntax) becomes formula images (math_render), drawn from SVG that a helper
  process makes (math_worker); a formula not drawn yet shows its source as code, and the
  result names it in `images_waiting` (the worker is on it: render again when it is
  ready) or says `pending` (its drawing did not fit in MATH_BUDGET_S: render again in a
  later slice).
"""

from __future__ import annotations

import html
import io
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from types import MethodType
from typing import TYPE_CHECKING, cast

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from desktopchat.ui.action_links import action_style
from desktopchat.ui.chunking import Chunk, Chunker, chunk_texts
from desktopchat.ui.code_blocks import (
    CODE_PADDING,
    COPY_ACTION,
    WRAP_ACTION,
    copy_label,
    wrap_label,
)
from desktopchat.ui.data_images import DataImages
from desktopchat.ui.data_url import extract
from desktopchat.ui.i18n import translate
from desktopchat.ui.lexers import LEXER_PREFIX, STYLE_PREFIX, Lexers, Unknown, shared_lexers
from desktopchat.ui.markdown_images import ImageWriter
from desktopchat.ui.math_render import MATH_SCHEME, MathImages
from desktopchat.ui.math_syntax import MATH_TOKEN, display_only, math_plugin
from desktopchat.ui.math_worker import MATH_KEY_PREFIX, MathWorker, shared_math_worker
from desktopchat.ui.theme import Theme

if TYPE_CHECKING:  # only for types: Qt stays out of this import
    from PySide6.QtGui import QImage

__all__ = ["Chunk", "Chunker", "MarkdownRenderer", "RenderedHtml", "chunk_texts"]

SAFE_SCHEMES = ("http", "https", "mailto")
ACTION_SCHEME = "dc"  # links we put in the transcript ourselves: dc:copy-code/3, dc:retry ...
HIGHLIGHT_MAX_CHARS = 20_000  # a longer code block is shown in plain monospace
HIGHLIGHT_MAX_LINE = 500  # ... and so is one with a longer line (minified code)
HIGHLIGHT_BUDGET_S = 0.015  # lexing that takes longer falls back to plain monospace
MATH_BUDGET_S = 0.01  # formulas drawn per call (at least one); the rest wait a slice


def is_safe_link(url: str) -> bool:
    scheme, sep, _ = url.strip().partition(":")
    return bool(sep) and scheme.lower() in SAFE_SCHEMES


@dataclass
class RenderedHtml:
    html: str
    codes: list[str] = field(default_factory=list)  # source of each code block, for Copy
    images: dict[str, QImage] = field(default_factory=dict)  # resource name -> formula
    pending: bool = False  # some formula is shown as source until a later render
    # Data images decoding and formulas the math worker is on: render again when ready.
    images_waiting: frozenset[str] = frozenset()


class MarkdownRenderer:
    """One per theme; cheap to call many times (markdown-it and lexers are reused)."""

    def __init__(self, theme: Theme, data_images: DataImages | None = None,
                 math_worker: MathWorker | None = None, lexers: Lexers | None = None) -> None:
        self.theme = theme
        self._image_writer = ImageWriter(data_images, theme.muted)
        self._md = MarkdownIt("commonmark", {"html": False, "linkify": False})
        self._md.enable(["table", "strikethrough"])
        self._md.use(math_plugin)
        # We filter schemes ourselves, visibly. markdown-it-py documents replacing
        # validateLink on the instance.
        self._md.validateLink = lambda url: True  # type: ignore[method-assign]
        assert isinstance(self._md.renderer, RendererHTML)  # the default renderer_cls
        rules = {"image": self._render_image, "link_open": self._render_link_open,
                 "link_close": self._render_link_close, "fence": self._render_fence,
                 "code_block": self._render_fence, "code_inline": self._render_code_inline,
                 "table_open": self._render_table_open,
                 "blockquote_open": self._render_blockquote_open, MATH_TOKEN: self._render_math,
                 "paragraph_open": self._render_paragraph_open}
        for kind, rule in rules.items():
            # markdown-it types its rules as MethodType (what it collects); ours are bound
            # methods too, which mypy sees only as callables.
            self._md.renderer.rules[kind] = cast(MethodType, rule)
        self.math = MathImages(math_worker if math_worker is not None else shared_math_worker())
        self._math_waiting: set[str] = set()
        self._images: dict[str, QImage] = {}
        self._math_pending = False
        self._math_deadline = 0.0
        self._math_done = False
        self._codes: list[str] = []
        self._link_stack: list[bool] = []
        self.lexers = lexers if lexers is not None else shared_lexers()
        self._code_waiting: set[str] = set()  # lexers and formatters being built
        self._allow_highlight = True

    # -- public ---------------------------------------------------------------------------

    def render(self, text: str, *, highlight: bool = True,
               math_budget: float = MATH_BUDGET_S) -> RenderedHtml:
        """HTML for one chunk; `highlight=False` shows its code blocks in plain monospace.
        Formulas are drawn for `math_budget` seconds (at least one), the rest later."""
        self._codes = []
        self._link_stack = []
        self._allow_highlight = highlight
        self._images = {}
        self._math_pending = False
        self._math_waiting = set()
        self._code_waiting = set()
        self._math_done = False
        self._math_deadline = time.perf_counter() + math_budget
        text, found = extract(text)  # markdown-it never scans an image's payload
        self._image_writer.reset(found, self._images)
        try:
            tokens = self._md.parse(text)
            if _too_deep(tokens, self._md.options["maxNesting"]):
                return RenderedHtml(html=verbatim_html(text), codes=[])
            body = self._md.renderer.render(tokens, self._md.options, {})
        except (RecursionError, ValueError, IndexError, KeyError):
            # A parser bug or limit must not cost the user the text: show it as written.
            return RenderedHtml(html=verbatim_html(text), codes=[])
        return RenderedHtml(html=body, codes=self._codes, images=self._images,
                            pending=self._math_pending,
                            images_waiting=frozenset(self._image_writer.waiting
                                                     | self._math_waiting
                                                     | self._code_waiting))

    def wait_for(self, keys: Iterable[str]) -> bool:
        """Block until the formulas and lexers among `keys` are in (for tests and
        benchmarks, never the app); False when there are none, or they did not come."""
        math = {k for k in keys if k.startswith(MATH_KEY_PREFIX)}
        code = {k for k in keys if k.startswith((LEXER_PREFIX, STYLE_PREFIX))}
        if not math and not code:
            return False
        return self.math.worker.wait(math) and self.lexers.wait(code)

    def document_css(self) -> str:
        t = self.theme
        return (
            f"body {{ color: {t.text}; }}"
            f"a {{ color: {t.link}; }}"
            f"h1 {{ font-size: x-large; }} h2 {{ font-size: large; }} h3 {{ font-size: medium; }}"
            f"th {{ background-color: {t.code_background}; }}"
            "p, ul, ol, table, pre, blockquote { margin-top: 4px; margin-bottom: 4px; }"
        )

    # -- rules ----------------------------------------------------------------------------

    def _render_image(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                      env: EnvType) -> str:
        # Data images the reply carries are drawn; nothing else is ever loaded (see there).
        src = str(tokens[idx].attrGet("src") or "")
        return self._image_writer.write(src, tokens[idx].content, is_safe_link(src))

    def _render_link_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                          env: EnvType) -> str:
        href = str(tokens[idx].attrGet("href") or "")
        safe = is_safe_link(href)
        self._link_stack.append(safe)
        if not safe:
            return ""  # keep the text, drop the link: javascript:, file:, data: ...
        return f'<a href="{html.escape(href, quote=True)}">'

    def _render_link_close(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                           env: EnvType) -> str:
        safe = self._link_stack.pop() if self._link_stack else False
        return "</a>" if safe else ""

    def _render_code_inline(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                            env: EnvType) -> str:
        code = html.escape(tokens[idx].content)
        bg = self.theme.code_background
        return f'<code style="background-color: {bg}">{code}</code>'

    def _render_math(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                     env: EnvType) -> str:
        token = tokens[idx]
        display = bool(token.meta.get("display"))
        size = self.theme.font_size * 96 / 72 * (1.15 if display else 1.0)
        # At least one formula drawn per call, so a chunk full of math always progresses.
        deadline = self._math_deadline if self._math_done else float("inf")
        color = self.theme.text
        cached = self.math.cached(token.content, display=display, color=color, size=size)
        waiting = len(self._math_waiting)
        formula = cached or self.math.image(token.content, display=display, color=color,
                                            size=size, deadline=deadline,
                                            waiting=self._math_waiting)
        if formula is None and len(self._math_waiting) == waiting:
            self._math_pending = True  # its SVG is here: drawn in a later slice
        elif formula is not None and cached is None:
            self._math_done = True  # drawn now, not found in the cache: the budget is used
        if formula is None or formula.image is None:
            # Not rendered yet, or LaTeX that does not parse: the source, as code.
            bg = self.theme.code_background
            return f'<code style="background-color: {bg}">{html.escape(token.markup)}</code>'
        name = f"{MATH_SCHEME}:{len(self._images)}"
        self._images[name] = formula.image
        img = (f'<img src="{name}" width="{formula.width:.0f}" height="{formula.height:.0f}" '
               f'title="{html.escape(token.content, quote=True)}" '
               f'style="vertical-align: middle">')
        if not display:
            return img
        # Display math on a line of its own (within the paragraph markdown-it made).
        # (A softbreak beside it is only a space in HTML, so the <br> is always needed.)
        before = "" if idx == 0 else "<br>"
        after = "" if idx == len(tokens) - 1 else "<br>"
        return before + img + after

    def _render_table_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                           env: EnvType) -> str:
        border = self.theme.card_border
        return (
            f'<table border="1" cellspacing="0" cellpadding="4" '
            f'style="border-collapse: collapse; border-style: solid; border-color: {border}">'
        )

    def _render_paragraph_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                               env: EnvType) -> str:
        following = tokens[idx + 1] if idx + 1 < len(tokens) else None
        if not tokens[idx].hidden and display_only(following):
            return '<p align="center">'  # an equation on its own is centred
        renderer = self._md.renderer
        assert isinstance(renderer, RendererHTML)  # (made so in __init__)
        return str(renderer.renderToken(tokens, idx, options, env))

    def _render_blockquote_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                                env: EnvType) -> str:
        return f'<blockquote style="color: {self.theme.muted}">'

    def _render_fence(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                      env: EnvType) -> str:
        token = tokens[idx]
        code = token.content
        lang = (token.info or "").strip().split(" ")[0] if token.type == "fence" else ""
        number = len(self._codes)
        self._codes.append(code)
        t = self.theme
        body = self._highlight(code.rstrip("\n"), lang if self._allow_highlight else "")
        label = html.escape(lang) if lang else translate("CodeBlock", "code")
        action = action_style(t)  # Wrap and Copy: actions, not underlined web links
        # One cell, header line first: code_blocks finds the block by its padding and
        # scrolls or wraps the lines after the header (the <pre> lines never wrap here).
        return (
            f'<table width="100%" cellspacing="0" cellpadding="{CODE_PADDING}" border="1" '
            f'style="border-collapse: collapse; border-style: solid; '
            f'border-color: {t.code_border}; '
            f'background-color: {t.code_background}">'
            f'<tr><td><span style="color: {t.muted}">{label}</span>'
            f'&nbsp;&nbsp;<a href="{ACTION_SCHEME}:{WRAP_ACTION}/{number}" style="{action}">'
            f'{wrap_label(False)}</a>'
            f'&nbsp;&nbsp;<a href="{ACTION_SCHEME}:{COPY_ACTION}/{number}" style="{action}">'
            f'{copy_label()}</a>'
            f'<pre style="margin: 0">{body}</pre></td></tr></table>\n'
        )

    def _highlight(self, code: str, lang: str) -> str:
        if not lang or not highlight_allowed(code):
            return html.escape(code)
        # Built on the lexers' thread: until then the code is plain, rendered again later.
        lexer = self.lexers.lexer(lang)
        if isinstance(lexer, Unknown):
            return html.escape(code)
        formatter = self.lexers.formatter(self.theme.pygments_style)
        if lexer is None or formatter is None:
            if lexer is None:
                self._code_waiting.add(self.lexers.key(lang))
            if formatter is None:
                self._code_waiting.add(STYLE_PREFIX + self.theme.pygments_style)
            return html.escape(code)
        if isinstance(formatter, Unknown):
            return html.escape(code)
        out = io.StringIO()
        try:
            formatter.format(_within_budget(lexer.get_tokens(code)), out)
        except Exception:  # over budget, or a lexer bug: never lose the text
            return html.escape(code)
        return out.getvalue().rstrip("\n")


_Lexed = tuple[object, str]  # a Pygments (token type, text) pair


class _OverBudget(Exception):
    pass


def _within_budget(tokens: Iterator[_Lexed], budget: float = HIGHLIGHT_BUDGET_S
                   ) -> Iterator[_Lexed]:
    deadline = time.perf_counter() + budget
    for count, token in enumerate(tokens):
        if count % 64 == 0 and time.perf_counter() > deadline:
            raise _OverBudget
        yield token


def highlight_allowed(code: str) -> bool:
    """Small enough to highlight: no huge block, no minified line (Pygments is slow there)."""
    if len(code) > HIGHLIGHT_MAX_CHARS:
        return False
    return all(len(line) <= HIGHLIGHT_MAX_LINE for line in code.split("\n"))


def _too_deep(tokens: list[Token], max_nesting: int) -> bool:
    """markdown-it silently stops parsing at maxNesting: did this text get near it?"""
    return any(t.level >= max_nesting - 1 for t in tokens)


def verbatim_html(text: str) -> str:
    """Text exactly as written, indentation and line breaks kept (the markdown fallback)."""
    return f'<p style="white-space: pre-wrap">{html.escape(text)}</p>'


def plain_html(text: str) -> str:
    """Escaped text keeping line breaks: for user messages and reasoning."""
    return html.escape(text).replace("\n", "<br>")
