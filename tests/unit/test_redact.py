"""redact.py, the one place secrets are scrubbed (issue 10 §2, issue 11 "one of each")."""

from __future__ import annotations

import logging

from desktopchat.redact import (
    MASK,
    SecretRedactor,
    redact,
    redact_truncated,
    scrub_secrets,
)

KEY = "sk-4f1c9a7e2b6d8035aa91c7e2"


def test_whole_keys_and_runs_of_eight_characters_go() -> None:
    text = f"a {KEY} b {KEY[3:11]} c {KEY[-12:]} d {KEY[5:12]} e"
    out = scrub_secrets(text, [KEY])
    assert KEY[3:11] not in out and KEY[-12:] not in out and KEY not in out
    assert out == f"a {MASK} b {MASK} c {MASK} d {KEY[5:12]} e"  # 7 characters are not a leak


def test_overlapping_and_adjacent_fragments_become_one_mask() -> None:
    text = KEY[:10] + KEY[6:20] + "!"
    assert scrub_secrets(text, [KEY]) == MASK + "!"


def test_short_secrets_only_whole_and_empty_ones_never() -> None:
    assert scrub_secrets("pass pw12 x", ["pw12", None, ""]) == f"pass {MASK} x"
    assert scrub_secrets("abc", ["ab"]) == "abc"  # shorter than MIN_SECRET_LENGTH


def test_url_user_info_goes_from_errors_but_not_from_replies() -> None:
    text = "Could not reach https://alice:pw@host.example/v1 or socks5://bob@10.0.0.1:1080"
    out = redact(text)
    assert "alice" not in out and "bob" not in out and "pw@" not in out
    assert f"https://{MASK}@host.example/v1" in out
    assert scrub_secrets("mail me at https://alice@host/", [KEY]) == "mail me at https://alice@host/"


def test_redaction_comes_before_truncation() -> None:
    body = "x" * 490 + KEY + " tail" * 100
    out = redact_truncated(body, 500, KEY)
    assert len(out) <= 500
    for i in range(len(KEY) - 7):
        assert KEY[i : i + 8] not in out
    # A naive cut at 500 would have kept 10 of the key's characters, then missed them.
    assert (body[:500])[-10:] == KEY[:10]


def test_log_filter_scrubs_fragments_token_shapes_and_tracebacks() -> None:
    redactor = SecretRedactor()
    redactor.add(KEY)
    record = logging.LogRecord("t", logging.ERROR, __file__, 1, "got %s via %s", None, None)
    record.args = (KEY[2:15], "http://carol@proxy:3128 Bearer abc.def")
    try:
        raise RuntimeError(f"boom {KEY[-9:]}")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    assert redactor.filter(record)
    text = record.getMessage()
    assert KEY[2:15] not in text and KEY[-9:] not in text
    assert "carol" not in text and "abc.def" not in text and "boom" in text
