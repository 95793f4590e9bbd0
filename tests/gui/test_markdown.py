"""Markdown rendering: safe HTML, highlighted code, and chunks that never move."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktopchat.ui.markdown import Chunker, MarkdownRenderer, chunk_texts, is_safe_link
from desktopchat.ui.theme import theme_named


def render(text: str) -> str:
    return MarkdownRenderer(theme_named("light")).render(text).html


def test_structure_renders() -> None:
    html = render("# Title\n\n- a\n- b\n\n1. x\n\n> quoted\n\n| h1 | h2 |\n|---|---|\n| 1 | 2 |\n")
    for tag in ("<h1>", "<ul>", "<ol>", "<blockquote", "<table", "<td>1</td>"):
        assert tag in html


def test_raw_html_is_escaped_not_interpreted() -> None:
    html = render('<script>alert(1)</script> <img src="http://127.0.0.1:1/x.png"> <b>b</b>')
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&lt;img" in html


def test_images_become_links_never_img_tags() -> None:
    html = render("![a cat](https://example.org/cat.png) ![local](file:///etc/passwd)")
    assert "<img" not in html
    assert '[image: <a href="https://example.org/cat.png">a cat</a>]' in html
    assert "file://" not in html and "[image: local]" in html


def test_only_http_https_mailto_links_survive() -> None:
    html = render("[a](javascript:alert(1)) [b](data:text/html,x) [c](file:///x) "
                  "[d](https://ok.example) [e](mailto:me@example.org) [f](vbscript:x)")
    assert html.count("<a ") == 2
    assert 'href="https://ok.example"' in html and 'href="mailto:me@example.org"' in html
    for word in ("javascript", "data:", "file:", "vbscript"):
        assert word not in html
    assert ">a" not in html.split("<p>")[1][:2] or "a " in html  # the text stays
    assert is_safe_link("HTTPS://x") and not is_safe_link("javascript:x")
    assert not is_safe_link("no-scheme")


def test_code_blocks_are_highlighted_with_a_copy_action() -> None:
    renderer = MarkdownRenderer(theme_named("dark"))
    text = "```python\ndef f():\n    return 1\n```\n\n```\nplain <b>\n```\n"
    renderer.wait_for(renderer.render(text).images_waiting)  # lexers build on their thread
    result = renderer.render(text)
    assert result.codes == ["def f():\n    return 1\n", "plain <b>\n"]
    assert 'href="dc:copy-code/0"' in result.html and 'href="dc:copy-code/1"' in result.html
    assert "<span style=" in result.html  # Pygments colours inline
    assert "plain &lt;b&gt;" in result.html


def test_unknown_language_still_shows_code() -> None:
    assert "x &lt; y" in render("```nosuchlang\nx < y\n```\n")


def test_chunks_join_back_to_the_text() -> None:
    text = ("para " * 200 + "\n\n") * 20 + "```\n" + "code line\n" * 600 + "```\n\ntail"
    chunker = Chunker(min_chars=1000)
    chunker.feed(text)
    assert len(chunker.chunks) > 5
    joined = "".join(text[c.start : c.end] for c in chunker.chunks) + text[chunker.open_start :]
    assert joined == text
    # A split inside a code fence re-opens the fence in the next chunk.
    assert any(c.prefix == "```\n" for c in chunker.chunks[1:]) or chunker.open_prefix
    pieces = chunk_texts(text, min_chars=1000)
    assert len(pieces) == len(chunker.chunks) + 1 and pieces[-1].endswith("tail")


def test_list_continuations_stay_with_their_item() -> None:
    text = "x" * 50 + "\n\n1. step\n\n   more about the step\n\n2. next\n"
    pieces = chunk_texts(text, min_chars=10)
    assert not any(p.startswith("   more") for p in pieces)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["word ", "\n", "\n\n", "```py\n", "```\n", "  indented\n",
                                 "- item\n", "| a | b |\n", "# H\n", "x" * 40]),
                min_size=1, max_size=120),
       st.integers(min_value=1, max_value=7))
def test_streaming_chunks_equal_whole_text_chunks(parts: list[str], step: int) -> None:
    """Fed piece by piece (as while streaming) or whole (as when loaded): same chunks."""
    text = "".join(parts)
    streamed = Chunker(min_chars=30)
    for end in range(0, len(text) + 1, step):
        streamed.feed(text[:end])
    streamed.feed(text)
    whole = Chunker(min_chars=30)
    whole.feed(text)
    assert streamed.chunks == whole.chunks
    assert streamed.open_start == whole.open_start
