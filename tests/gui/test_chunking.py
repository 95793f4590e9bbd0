"""Chunking: every chunk is small, the text is never altered, and streaming splits the same."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktopchat.ui.chunking import CUTS_PER_CHECK, Chunker, chunk_texts, closes_fence

SMALL = {"max_chars": 60, "line_chars": 40, "table_rows": 3, "fence_lines": 4}


def pieces_of(chunker: Chunker, text: str) -> list[str]:
    return [text[c.start : c.end] for c in chunker.chunks] + [text[chunker.open_start :]]


PARTS = st.lists(st.sampled_from(
    ["word ", "\n", "\n\n", "```py\n", "```\n", "  indented\n", "- item\n", "| a | b |\n",
     "|---|---|\n", "# H\n", "x" * 40, "y" * 90 + " ", "&amp;" * 20, "*a" * 30, "> q\n"]),
    min_size=1, max_size=150)


@settings(max_examples=120, deadline=None)
@given(PARTS, st.integers(min_value=1, max_value=9))
def test_small_chunks_streamed_or_whole_are_the_same(parts: list[str], step: int) -> None:
    text = "".join(parts)
    streamed = Chunker(min_chars=30, **SMALL)
    for end in range(0, len(text) + 1, step):
        streamed.feed(text[:end])
    streamed.feed(text)
    whole = Chunker(min_chars=30, **SMALL)
    whole.feed(text)
    assert streamed.chunks == whole.chunks
    assert streamed.open_start == whole.open_start
    assert "".join(pieces_of(whole, text)) == text  # cuts only, nothing added or lost
    for chunk in whole.chunks:
        # Bounded: a chunk ends at the first line end past max_chars, and a line is cut
        # into pieces of at most line_chars.
        longest_line = max(len(line) for line in text[chunk.start : chunk.end].split("\n"))
        assert longest_line <= SMALL["line_chars"] + 40


@settings(max_examples=40, deadline=None)
@given(PARTS, st.integers(min_value=1, max_value=50))
def test_a_deadline_only_delays_the_same_chunks(parts: list[str], seed: int) -> None:
    text = "".join(parts) * 20
    sliced = Chunker(min_chars=30, **SMALL)
    while True:
        sliced.feed(text, deadline=0.0)  # stops at every check
        if sliced.caught_up:
            break
    whole = Chunker(min_chars=30, **SMALL)
    whole.feed(text)
    assert sliced.chunks == whole.chunks


def test_a_long_table_repeats_its_header_in_every_piece() -> None:
    rows = "".join(f"| r{i} | v{i} |\n" for i in range(100))
    text = "intro\n\n| name | value |\n|---|---|\n" + rows + "\nafter\n"
    pieces = chunk_texts(text)
    tables = [p for p in pieces if "| r" in p]
    assert len(tables) >= 4
    assert all(p.startswith("| name | value |\n|---|---|\n") for p in tables[1:])
    assert all(f"| r{i} |" in "".join(pieces) for i in range(100))


def test_a_two_megabyte_line_is_cut_at_word_boundaries() -> None:
    text = "```js\n" + "let value = 1; " * 140_000 + "\n```\n"
    chunker = Chunker()
    chunker.feed(text)
    assert len(chunker.chunks) > 1000
    assert all(c.end - c.start <= 1000 for c in chunker.chunks)
    # Each piece re-opens the fence, so it is still shown as code.
    assert all(c.prefix == "```js\n" for c in chunker.chunks[1:])
    assert all(text[c.end - 1] == " " for c in chunker.chunks[1:-1])
    # Past the highlighting cap, pieces know how far into their block they are.
    assert chunker.chunks[-1].code_offset > 1_000_000


def test_a_two_megabyte_line_is_cut_in_slices_with_the_same_result() -> None:
    text = "```js\n" + "let value = 1; " * 140_000 + "\n```\n"
    sliced = Chunker()
    calls = 0
    while True:
        sealed = sliced.feed(text, deadline=0.0)  # stops at every check
        calls += 1
        assert len(sealed) <= CUTS_PER_CHECK + 1  # one call never cuts the whole line
        if sliced.caught_up:
            break
    whole = Chunker()
    whole.feed(text)
    assert calls > 50 and sliced.chunks == whole.chunks


IMAGE = "![dot](data:image/png;base64," + "QUJD" * 60 + ")"  # 270 chars, one token
BIG_IMAGE = "![big](data:image/png;base64," + "QUJD" * 200 + ")"  # over image_chars below
IMAGE_PARTS = st.lists(st.sampled_from(
    ["word ", "\n", "\n\n", "```py\n", "```\n", "x" * 40, "y" * 90 + " ", IMAGE, BIG_IMAGE,
     "![alt](data:image/png;base64,QUJD", ")", "![a](https://example.org/a.png) "]),
    min_size=1, max_size=60)
IMAGE_LIMITS = {**SMALL, "image_chars": 400}


def shown_pieces(chunker: Chunker, text: str) -> list[str]:
    return [c.shown if c.shown is not None else text[c.start : c.end] for c in chunker.chunks]


@settings(max_examples=120, deadline=None)
@given(IMAGE_PARTS, st.integers(min_value=1, max_value=97))
def test_data_images_stay_whole_streamed_or_not(parts: list[str], step: int) -> None:
    text = "".join(parts)
    streamed = Chunker(min_chars=30, **IMAGE_LIMITS)
    for end in range(0, len(text) + 1, step):
        streamed.feed(text[:end])
    streamed.feed(text)
    whole = Chunker(min_chars=30, **IMAGE_LIMITS)
    whole.feed(text)
    assert streamed.chunks == whole.chunks
    assert streamed.open_start == whole.open_start
    # Cuts only: the pieces join back to the text (an over-cap image is one piece).
    assert "".join(pieces_of(whole, text)) == text
    outside_fences = "```" not in text
    for piece in shown_pieces(whole, text):
        if outside_fences and "![dot](data:" in piece:
            assert IMAGE in piece  # a data image is never cut
        assert "QUJD" * 120 not in piece  # an over-cap payload is never in a piece shown


def test_a_data_image_on_a_long_line_is_one_piece() -> None:
    text = "See " + "word " * 300 + IMAGE + " and " + "more " * 300 + "\n"
    chunker = Chunker(min_chars=30, **IMAGE_LIMITS)
    chunker.feed(text)
    pieces = [*shown_pieces(chunker, text), text[chunker.open_start :]]
    assert sum(IMAGE in piece for piece in pieces) == 1
    assert all(len(piece) <= IMAGE_LIMITS["line_chars"] + len(IMAGE) + 40 for piece in pieces)


def test_an_over_cap_data_image_is_one_stand_in_piece() -> None:
    text = "Before it " + BIG_IMAGE + " after it\n"
    chunker = Chunker(min_chars=30, **IMAGE_LIMITS)
    start, close = text.index("![big]"), text.index(")")
    waited = 0
    for end in range(0, len(text), 50):  # while it streams in, the tail shows a stand-in
        chunker.feed(text[:end])
        if start + IMAGE_LIMITS["image_chars"] < end <= close:
            assert chunker.open_shown == "![big](dcimg-wait:)"
            waited += 1
    assert waited
    chunker.feed(text)
    shown = [c.shown for c in chunker.chunks if c.shown is not None]
    assert shown == [f"![big](dcimg-large:{len('QUJD' * 200) * 3 // 4})"]
    assert text[chunker.chunks[0].start : chunker.chunks[0].end] == "Before it "
    assert text[chunker.open_start :] == " after it\n"


def test_a_data_url_inside_a_code_fence_is_still_cut() -> None:
    text = "```\n" + IMAGE * 5 + "\n```\n"
    chunker = Chunker(min_chars=30, **IMAGE_LIMITS)
    chunker.feed(text)
    assert all(c.end - c.start <= IMAGE_LIMITS["line_chars"] + 10 for c in chunker.chunks)


def test_a_fence_closes_only_on_a_line_of_its_own_char() -> None:
    assert closes_fence("```", "`", 3) and closes_fence("  ````  ", "`", 3)
    assert closes_fence("~~~~", "~", 4)
    assert not closes_fence("``", "`", 3)  # shorter than the opener
    assert not closes_fence("```x", "`", 3) and not closes_fence("x```", "`", 3)
    assert not closes_fence("~~~", "`", 3) and not closes_fence("", "`", 3)
    # A 2 MB line of code inside a fence does not close it, streamed or whole.
    text = "```python\n" + "total = total + value * 3; " * 80_000 + "\nafter\n```\ndone\n"
    chunker = Chunker()
    chunker.feed(text)
    assert chunker.open_fence == -1 and text[chunker.open_start :].endswith("done\n")
