"""Chunking: every chunk is small, the text is never altered, and streaming splits the same."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktopchat.ui.chunking import Chunker, chunk_texts

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
