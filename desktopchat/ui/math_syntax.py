"""Where a reply holds LaTeX math: a markdown-it inline rule for four delimiters.

`$…$` and `\\(…\\)` are inline math, `$$…$$` and `\\[…\\]` display math. A lone `$`
is usually money, so `$…$` follows pandoc's rules: no space right after the opening
`$`, none right before the closing one, and the closing `$` not followed by a digit
("costs $5 and $10" stays text). The rule runs inside inline content only, so code spans
and fenced code (parsed before it, or as their own blocks) are never math.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

MATH_TOKEN = "math_inline"
DELIMITERS = (("$$", "$$", True), ("\\[", "\\]", True), ("\\(", "\\)", False))


def _find_dollar_close(src: str, start: int, end: int) -> int:
    """Index of the `$` closing a `$…$` formula opened before `start`, or -1."""
    pos = start
    while True:
        close = src.find("$", pos, end)
        if close < 0:
            return -1
        if src[close - 1] == "\\":
            pos = close + 1  # an escaped dollar inside the formula
            continue
        if src[close - 1].isspace():
            return -1  # "$5 and $" : money, not math
        if close + 1 < end and src[close + 1].isdigit():
            return -1  # "$5 and $10"
        return close


def match_math(src: str, pos: int, end: int) -> tuple[str, bool, int] | None:
    """(formula, display, end of the match) for math starting at `pos`, else None."""
    for opener, closer, display in DELIMITERS:
        if src.startswith(opener, pos):
            close = src.find(closer, pos + len(opener), end)
            formula = src[pos + len(opener) : close] if close >= 0 else ""
            if close < 0 or not formula.strip():
                return None
            return formula.strip(), display, close + len(closer)
    if src.startswith("$", pos):
        inner = pos + 1
        if inner >= end or src[inner].isspace() or src[inner] == "$":
            return None
        close = _find_dollar_close(src, inner + 1, end)
        if close < 0:
            return None
        return src[inner:close], False, close + 1
    return None


def math_rule(state: StateInline, silent: bool) -> bool:
    """markdown-it inline rule: emit a MATH_TOKEN for math at state.pos."""
    src = state.src
    if src[state.pos] not in "$\\":
        return False
    found = match_math(src, state.pos, state.posMax)
    if found is None:
        return False
    formula, display, after = found
    if not silent:
        token = state.push(MATH_TOKEN, "", 0)
        token.content = formula
        token.meta = {"display": display}
        token.markup = src[state.pos : after]
    state.pos = after
    return True


def math_plugin(md: MarkdownIt) -> None:
    # Before "escape": otherwise `\(` would become a literal "(".
    md.inline.ruler.before("escape", "math", math_rule)


def display_only(inline: Token | None) -> bool:
    """The paragraph whose inline content this is holds display math and nothing else (line
    breaks aside): a typeset equation standing on its own, centred like one."""
    children = [c for c in (inline.children or []) if c.type not in ("softbreak", "hardbreak")
                and not (c.type == "text" and not c.content.strip())] if inline else []
    return bool(children) and all(c.type == MATH_TOKEN and c.meta.get("display")
                                  for c in children)
