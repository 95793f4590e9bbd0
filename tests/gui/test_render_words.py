"""No word of a reply is ever missing from the rendered transcript.

Arbitrary replies are built from the shapes that used to lose or stall text: lists and
quotes nested past markdown-it's limit, tables long enough to be split, code fences,
long lines, links, entities, emphasis. Each reply is rendered by the real MessageRender
(whole, as when opened later, and piece by piece, as while streaming), and every word
must be in the documents' plain text.
"""

from __future__ import annotations

import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktopchat.ui.markdown import MarkdownRenderer
from desktopchat.ui.message_render import MessageRender
from desktopchat.ui.theme import theme_named
from desktopchat.ui.transcript_rows import MessageItem

WORD = st.from_regex(r"[a-z][a-z0-9]{2,9}", fullmatch=True)


def words(n_min: int = 1, n_max: int = 8) -> st.SearchStrategy[list[str]]:
    return st.lists(WORD, min_size=n_min, max_size=n_max)


@st.composite
def block(draw: Any) -> str:
    kind = draw(st.sampled_from(["para", "list", "quote", "table", "code", "long", "links",
                                 "entities", "emphasis", "heading", "html"]))
    w = draw(words())
    if kind == "para":
        return " ".join(w)
    if kind == "list":
        depth = draw(st.integers(1, 16))
        marker = draw(st.sampled_from(["- ", "* ", "1. "]))
        return "\n".join("  " * d * (2 if marker == "1. " else 1) + marker + word
                         for d, word in zip(range(depth), w * depth, strict=False))
    if kind == "quote":
        depth = draw(st.integers(1, 30))
        return "> " * depth + " ".join(w)
    if kind == "table":
        rows = draw(st.integers(1, 45))
        cols = draw(st.integers(1, 4))
        head = "| " + " | ".join(f"h{c}{w[0]}" for c in range(cols)) + " |"
        rule = "|" + "---|" * cols
        body = ["| " + " | ".join(w[(r + c) % len(w)] for c in range(cols)) + " |"
                for r in range(rows)]
        return "\n".join([head, rule, *body])
    if kind == "code":
        lang = draw(st.sampled_from(["", "python", "js", "nosuchlang"]))
        lines = draw(st.integers(1, 130))
        return f"```{lang}\n" + "\n".join(w[i % len(w)] for i in range(lines)) + "\n```"
    if kind == "long":
        return " ".join(w[i % len(w)] for i in range(draw(st.integers(100, 400))))
    if kind == "links":
        return " ".join(f"[{word}](https://example.com/x)" for word in w)
    if kind == "entities":
        return "&amp;&lt;&#x41;&copy;".join(w)
    if kind == "emphasis":
        return "*" + "* *".join(w) + "*" + "*a" * draw(st.integers(0, 50))
    if kind == "heading":
        return "#" * draw(st.integers(1, 6)) + " " + " ".join(w)
    return "<div>" + " ".join(w) + "</div><img src=x>"


REPLIES = st.lists(block(), min_size=1, max_size=8).map("\n\n".join)


def expected_words(text: str) -> set[str]:
    """The words a reader must see: link targets, tags and entities are not words."""
    for markup in ("(https://example.com/x)", "&amp;", "&lt;", "&#x41;", "&copy;", "<div>",
                   "</div>", "<img src=x>"):
        text = text.replace(markup, " ")
    return set(re.findall(r"\b[a-z][a-z0-9]{2,9}\b", text))


def rendered_text(render: MessageRender) -> str:
    render.finish()
    return "\n".join(p.doc.toPlainText() for p in render.parts
                     if p.kind == "body" and p.doc is not None)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=REPLIES, step=st.integers(7, 900))
def test_every_word_is_rendered_whole_and_streamed(qapp: Any, text: str, step: int) -> None:
    renderer = MarkdownRenderer(theme_named("light"))
    whole = MessageRender(MessageItem(id=1, role="assistant", content=text), renderer,
                          is_last=True)
    whole.layout(700)
    shown = rendered_text(whole)
    missing = [w for w in expected_words(text) if w not in shown]
    assert missing == []

    item = MessageItem(id=2, role="assistant", content="", state="streaming")
    streamed = MessageRender(item, renderer, is_last=True)
    for end in range(step, len(text) + step, step):
        item.content = text[:end]
        streamed.sync(item)
        streamed.layout(700)
    shown = rendered_text(streamed)
    assert [w for w in expected_words(text) if w not in shown] == []


def test_a_list_nested_twelve_deep_keeps_every_word(qapp: Any) -> None:
    text = "".join("  " * d + f"- level{d}\n" for d in range(12)) + "\nafterwards\n"
    render = MessageRender(MessageItem(id=1, role="assistant", content=text),
                           MarkdownRenderer(theme_named("light")), is_last=True)
    shown = rendered_text(render)
    assert all(f"level{d}" in shown for d in range(12)) and "afterwards" in shown


def test_a_quote_nested_twenty_five_deep_keeps_every_word(qapp: Any) -> None:
    text = "> " * 25 + "deepest words\n\nafterwards"
    render = MessageRender(MessageItem(id=1, role="assistant", content=text),
                           MarkdownRenderer(theme_named("light")), is_last=True)
    shown = rendered_text(render)
    assert "deepest words" in shown and "afterwards" in shown
