"""Markdown -> safe HTML for QTextDocument, with Pygments-highlighted code.

Model output is untrusted (DESIGN.md §6): raw HTML is escaped (markdown-it with
`html` off), images become plain link text so nothing is ever fetched, and only
http, https and mailto links survive as links. Colours are inlined because
QTextDocument understands only a small subset of CSS.

`Chunker` splits a growing reply at closed block boundaries, so the chat view
renders a finished chunk once and re-renders only the open tail while streaming.
The split is a pure function of the text and never moves once made, so a reply
rendered while streaming and the same reply loaded later look the same.
"""

from __future__ import annotations

import functools
import html
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt

from desktopchat.ui.theme import Theme

SAFE_SCHEMES = ("http", "https", "mailto")
ACTION_SCHEME = "dc"  # links we put in the transcript ourselves: dc:copy-code/3, dc:retry ...
CHUNK_MIN_CHARS = 2500  # a chunk is sealed at the first block boundary after this many chars
FENCE_SPLIT_LINES = 200  # a very long open code block is split so the tail stays small

_FENCE_RE = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$")


def is_safe_link(url: str) -> bool:
    scheme, sep, _ = url.strip().partition(":")
    return bool(sep) and scheme.lower() in SAFE_SCHEMES


@dataclass
class RenderedHtml:
    html: str
    codes: list[str] = field(default_factory=list)  # source of each code block, for Copy


class MarkdownRenderer:
    """One per theme; cheap to call many times (markdown-it and lexers are reused)."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme
        self._md = MarkdownIt("commonmark", {"html": False, "linkify": False})
        self._md.enable(["table", "strikethrough"])
        self._md.validateLink = lambda url: True  # we filter schemes ourselves, visibly
        rules: Any = self._md.renderer.rules
        rules["image"] = self._render_image
        rules["link_open"] = self._render_link_open
        rules["link_close"] = self._render_link_close
        rules["fence"] = self._render_fence
        rules["code_block"] = self._render_fence
        rules["code_inline"] = self._render_code_inline
        rules["table_open"] = self._render_table_open
        rules["blockquote_open"] = self._render_blockquote_open
        self._codes: list[str] = []
        self._link_stack: list[bool] = []
        self._formatter_cache: dict[str, Any] = {}

    # -- public ---------------------------------------------------------------------------

    def render(self, text: str) -> RenderedHtml:
        self._codes = []
        self._link_stack = []
        body = self._md.render(text)
        return RenderedHtml(html=body, codes=self._codes)

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

    def _render_image(self, tokens: Any, idx: int, options: Any, env: Any) -> str:
        # Never an <img>: QTextDocument would try to load it. Show the alt text and the URL
        # as an ordinary link the user may choose to open in the browser.
        token = tokens[idx]
        src = str(token.attrGet("src") or "")
        alt = html.escape(token.content or "image")
        if is_safe_link(src):
            return f'[image: <a href="{html.escape(src, quote=True)}">{alt}</a>]'
        return f"[image: {alt}]"

    def _render_link_open(self, tokens: Any, idx: int, options: Any, env: Any) -> str:
        href = str(tokens[idx].attrGet("href") or "")
        safe = is_safe_link(href)
        self._link_stack.append(safe)
        if not safe:
            return ""  # keep the text, drop the link: javascript:, file:, data: ...
        return f'<a href="{html.escape(href, quote=True)}">'

    def _render_link_close(self, tokens: Any, idx: int, options: Any, env: Any) -> str:
        safe = self._link_stack.pop() if self._link_stack else False
        return "</a>" if safe else ""

    def _render_code_inline(self, tokens: Any, idx: int, options: Any, env: Any) -> str:
        code = html.escape(tokens[idx].content)
        bg = self.theme.code_background
        return f'<code style="background-color: {bg}">{code}</code>'

    def _render_table_open(self, tokens: Any, idx: int, options: Any, env: Any) -> str:
        border = self.theme.card_border
        return (
            f'<table border="1" cellspacing="0" cellpadding="4" '
            f'style="border-collapse: collapse; border-style: solid; border-color: {border}">'
        )

    def _render_blockquote_open(self, tokens: Any, idx: int, options: Any, env: Any) -> str:
        return f'<blockquote style="color: {self.theme.muted}">'

    def _render_fence(self, tokens: Any, idx: int, options: Any, env: Any) -> str:
        token = tokens[idx]
        code = token.content
        lang = (token.info or "").strip().split(" ")[0] if token.type == "fence" else ""
        number = len(self._codes)
        self._codes.append(code)
        t = self.theme
        body = self._highlight(code.rstrip("\n"), lang)
        label = html.escape(lang) if lang else "code"
        return (
            f'<table width="100%" cellspacing="0" cellpadding="8" border="1" '
            f'style="border-collapse: collapse; border-style: solid; '
            f'border-color: {t.code_border}; '
            f'background-color: {t.code_background}">'
            f'<tr><td><span style="color: {t.muted}">{label}</span>'
            f'&nbsp;&nbsp;<a href="{ACTION_SCHEME}:copy-code/{number}">Copy</a>'
            f'<pre style="margin: 0">{body}</pre></td></tr></table>\n'
        )

    def _highlight(self, code: str, lang: str) -> str:
        # Imported lazily: Pygments costs start-up time and only code blocks need it.
        from pygments import highlight
        from pygments.formatters import HtmlFormatter
        from pygments.lexers import get_lexer_by_name
        from pygments.util import ClassNotFound

        if not lang:
            return html.escape(code)
        try:
            lexer = get_lexer_by_name(lang, stripnl=False, ensurenl=False)
        except ClassNotFound:
            return html.escape(code)
        formatter = self._formatter_cache.get("f")
        if formatter is None:
            formatter = HtmlFormatter(noclasses=True, nowrap=True, style=self.theme.pygments_style)
            self._formatter_cache["f"] = formatter
        try:
            return str(highlight(code, lexer, formatter)).rstrip("\n")
        except Exception:  # a lexer bug must not lose the text
            return html.escape(code)


COMMON_LANGUAGES = ("python", "bash", "javascript", "typescript", "json", "rust", "go", "java",
                    "c", "cpp", "html", "css", "sql", "yaml", "diff")


def _warm_up(style: str) -> None:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name

    formatter = HtmlFormatter(noclasses=True, nowrap=True, style=style)
    for name in COMMON_LANGUAGES:
        highlight("x = 1\n", get_lexer_by_name(name), formatter)


@functools.cache
def warm_up_highlighter(style: str = "friendly") -> threading.Thread:
    """Import Pygments and compile the common lexers on a helper thread, once per process.

    Done lazily on the GUI thread, the first code block of a reply costs ~50 ms of
    imports and regex compilation: a visible hitch in the middle of a stream. On a
    thread it holds the GIL only in short slices.
    """
    thread = threading.Thread(target=_warm_up, args=(style,), name="pygments-warm-up",
                              daemon=True)
    thread.start()
    return thread


def plain_html(text: str) -> str:
    """Escaped text keeping line breaks: for user messages and reasoning."""
    return html.escape(text).replace("\n", "<br>")


@dataclass(frozen=True, slots=True)
class Chunk:
    start: int
    end: int
    prefix: str = ""  # a re-opened code fence when a long block was split


class Chunker:
    """Finds sealed chunks in a growing markdown text; feed it the whole text each time.

    Scans only complete lines it has not seen, so the cost follows the new text.
    A chunk boundary is a blank line outside a code fence followed by a line that
    does not start with whitespace (so list continuations stay with their item),
    once the chunk holds at least CHUNK_MIN_CHARS; an open fence longer than
    FENCE_SPLIT_LINES lines is split and re-opened in the next chunk.
    """

    def __init__(self, min_chars: int = CHUNK_MIN_CHARS) -> None:
        self.min_chars = min_chars
        self.chunks: list[Chunk] = []
        self._scan = 0
        self._chunk_start = 0
        self._prefix = ""
        self._fence: tuple[str, int, str] | None = None  # char, length, opener line
        self._fence_lines = 0
        self._pending_boundary: int | None = None

    @property
    def open_start(self) -> int:
        return self._chunk_start

    @property
    def open_prefix(self) -> str:
        return self._prefix

    def feed(self, text: str) -> list[Chunk]:
        """Scan new complete lines of `text`; returns chunks sealed by this call."""
        sealed: list[Chunk] = []
        while True:
            newline = text.find("\n", self._scan)
            if newline < 0:
                break
            line = text[self._scan : newline]
            line_end = newline + 1
            self._line(line, self._scan, line_end, sealed)
            self._scan = line_end
        self.chunks.extend(sealed)
        return sealed

    def _seal(self, end: int, sealed: list[Chunk], next_prefix: str = "") -> None:
        sealed.append(Chunk(self._chunk_start, end, self._prefix))
        self._chunk_start = end
        self._prefix = next_prefix

    def _line(self, line: str, start: int, end: int, sealed: list[Chunk]) -> None:
        blank = not line.strip()
        if self._fence is not None:
            char, length, opener = self._fence
            stripped = line.strip()
            if stripped and set(stripped) == {char} and len(stripped) >= length:
                self._fence = None
                return
            self._fence_lines += 1
            if self._fence_lines >= FENCE_SPLIT_LINES and end - self._chunk_start >= self.min_chars:
                self._seal(end, sealed, next_prefix=opener + "\n")
                self._fence_lines = 0
            return
        if self._pending_boundary is not None and not blank:
            if not line[:1].isspace() and self._pending_boundary - self._chunk_start >= (
                self.min_chars
            ):
                self._seal(self._pending_boundary, sealed)
            self._pending_boundary = None
        if blank:
            self._pending_boundary = end
            return
        match = _FENCE_RE.match(line)
        if match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
            self._fence = (match.group(1)[0], len(match.group(1)), line)
            self._fence_lines = 0


def chunk_texts(text: str, min_chars: int = CHUNK_MIN_CHARS) -> list[str]:
    """The whole text split as the streaming path would split it (for finished messages)."""
    chunker = Chunker(min_chars)
    chunker.feed(text)
    pieces = [c.prefix + text[c.start : c.end] for c in chunker.chunks]
    tail = chunker.open_prefix + text[chunker.open_start :]
    if tail.strip() or not pieces:
        pieces.append(tail)
    return pieces
