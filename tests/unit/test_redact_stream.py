"""StreamScrub: text printed as it streams is scrubbed like the stored copy, and what is
printed is never taken back (each step extends the last)."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from desktopchat.redact import MASK, scrub_secrets
from desktopchat.redact_stream import StreamScrub
from tests.support.key_forms import FORMS, leaks

KEY = "sk-str-7Qx2Lm9Vb4Rt8Wz1Kp6Yd3Hn"


def streamed(pieces: list[str], secrets: list[str | None]) -> list[str]:
    """What each step printed: one entry per piece, then the finish."""
    scrub = StreamScrub(secrets)
    return [scrub.feed(piece) for piece in pieces] + [scrub.finish()]


def one_character_at_a_time(text: str) -> list[str]:
    return list(text)


def test_a_key_split_over_many_pieces_is_never_printed_in_any_form() -> None:
    for form, spell in FORMS.items():
        text = f"Here it is: {spell(KEY)} and more words.\nNext {spell(KEY[3:15])}!"
        out = "".join(streamed(one_character_at_a_time(text), [KEY]))
        assert leaks(out, KEY) == [], form
        assert out == scrub_secrets(text, [KEY])
        assert out.startswith("Here it is: ") and " and more words.\nNext " in out


def test_words_are_passed_on_at_each_whitespace_and_only_the_last_word_is_held() -> None:
    scrub = StreamScrub([KEY])
    assert scrub.feed("The capital ") == "The capital "
    assert scrub.feed("is Par") == "is "
    assert scrub.feed("is.") == ""
    assert scrub.feed(f" key={KEY[:10]}") == "Paris. "
    assert scrub.feed(f"{KEY[10:]}\nbye") == f"key={MASK}\n"
    assert scrub.finish() == "bye"
    assert scrub.finish() == ""


def test_a_stream_cut_short_prints_its_held_rest_scrubbed() -> None:
    scrub = StreamScrub([KEY])
    assert scrub.feed(f"partial {KEY[:12]}") == "partial "
    assert scrub.finish() == MASK  # 12 characters of the key: a fragment, masked


def test_without_a_key_nothing_is_held() -> None:
    for secrets in ([], [None], ["abc"]):  # none, or too short to be taken for a key
        scrub = StreamScrub(secrets)
        assert scrub.feed("no space") == "no space"
        assert scrub.feed("abc") == "abc"
        assert scrub.finish() == ""


def test_a_key_holding_whitespace_holds_everything_until_the_end() -> None:
    spaced = "open sesame 12345678"
    scrub = StreamScrub([spaced])
    assert scrub.feed("the words open ") == ""
    assert scrub.feed("sesame 12345678 end ") == ""
    assert scrub.finish() == f"the words {MASK} end "


_ALPHABET = st.sampled_from([
    " ", "\n", "\t", "\u00a0", "\u200b", "\\", "u", "%", "&", "#", ";", "x", "0", "7", "3",
    "a", "Q", "s", "k", "-", "=",
])


@st.composite
def texts_and_splits(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A text mixing noise with forms of the key (and pieces of it), cut anywhere."""
    parts = draw(st.lists(st.one_of(
        st.text(_ALPHABET, max_size=12),
        st.builds(lambda form, a, b: FORMS[form](KEY[a : a + b]),
                  st.sampled_from(sorted(FORMS)), st.integers(0, len(KEY)),
                  st.integers(1, len(KEY))),
    ), max_size=8))
    text = "".join(parts)
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=12)))
    bounds = [0, *cuts, len(text)]
    return text, [text[a:b] for a, b in pairwise(bounds)]


@settings(max_examples=300, deadline=None)
@given(texts_and_splits())
def test_any_split_prints_the_scrub_of_the_whole_text(case: tuple[str, list[str]]) -> None:
    text, pieces = case
    assert "".join(pieces) == text
    steps = streamed(pieces, [KEY])
    final = scrub_secrets(text, [KEY])
    assert "".join(steps) == final
    printed = ""
    for step in steps:
        printed += step
        assert final.startswith(printed)  # never anything the end would take back
