"""A message's Markdown as the plain text a screen reader should speak.

The transcript paints Markdown; assistive technology gets words, not `**` and `|---|`. The
same parser the renderer uses (markdown-it, CommonMark + tables + strikethrough + math) is
walked token by token: inline text, code and formulas keep their characters, blocks end
with a line break, table cells are separated by tabs, images speak their alt text. Data
images never reach the parser (data_url.extract swaps them for a short stand-in, as the
renderer does). A parser failure or limit falls back to the source text: no word is lost.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

from desktopchat.ui.data_url import extract
from desktopchat.ui.math_syntax import MATH_TOKEN, math_plugin

BLOCK_ENDS = {"paragraph_close", "heading_close", "blockquote_close", "tr_close",
              "bullet_list_close", "ordered_list_close", "list_item_close", "hr"}
CELL_ENDS = {"th_close", "td_close"}


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False})
    md.enable(["table", "strikethrough"])
    md.use(math_plugin)
    return md


class MarkdownPlainText:
    """One parser, reused: building a MarkdownIt costs more than a short message."""

    def __init__(self) -> None:
        self._md = _parser()

    def __call__(self, source: str) -> str:
        text, _images = extract(source)
        try:
            tokens = self._md.parse(text)
        except (RecursionError, ValueError, IndexError, KeyError):
            return source.strip()
        if any(t.level >= self._md.options["maxNesting"] - 1 for t in tokens):
            return source.strip()  # markdown-it stops at its nesting limit and drops the rest
        out: list[str] = []
        for token in tokens:
            self._block(token, out)
        return _tidy("".join(out))

    def _block(self, token: Token, out: list[str]) -> None:
        kind = token.type
        if kind == "inline":
            for child in token.children or []:
                _inline(child, out)
        elif kind in ("fence", "code_block"):
            out.append(token.content.rstrip("\n") + "\n")
        elif kind == "list_item_open" and token.info:  # an ordered item: "1."
            out.append(f"{token.info}{token.markup} ")
        elif kind in CELL_ENDS:
            out.append("\t")
        elif kind in BLOCK_ENDS and out and not out[-1].endswith("\n"):
            out.append("\n")


def _inline(token: Token, out: list[str]) -> None:
    kind = token.type
    if kind in ("text", "code_inline", MATH_TOKEN):
        out.append(token.content)
    elif kind == "softbreak":
        out.append(" ")
    elif kind == "hardbreak":
        out.append("\n")
    elif kind == "image":
        out.append(token.content or "")  # the alt text


def _tidy(text: str) -> str:
    lines = [line.rstrip("\t ") for line in text.split("\n")]
    return "\n".join(lines).strip("\n")
