"""The substring (trigram) index: text written without spaces, and emoji, found by substring.

The word index (`messages_fts`, unicode61) splits text on spaces and punctuation, so a run of
Chinese or Japanese is one long token and `数据库` inside a sentence is never found; emoji are
not tokens at all. FTS5's trigram tokenizer indexes every 3-character window instead, which
finds any substring of 3 or more characters.

Only messages holding at least one such character are put in it (a GLOB in the trigger, pure
SQL, so any connection that writes a message keeps the index right). An English-only history
pays almost nothing; a Chinese one gets every message indexed.

Each indexed text ends with two spaces, so every character starts at least one trigram: a
one- or two-character query (`検索`, `🚀`) is answered by the trigrams that begin with it,
looked up in the index's vocabulary.

The schema written here is that of migration 003 and never changes; a different index is a
new migration.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

# Scripts written without spaces between words, and emoji/pictographs, as code point ranges.
# The trigger's test below must select exactly the messages holding one of these characters.
UNSPACED_RANGES: tuple[tuple[int, int], ...] = (
    (0x0E00, 0x0FFF),  # Thai, Lao, Tibetan
    (0x1000, 0x109F),  # Myanmar
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x1780, 0x17FF),  # Khmer
    (0x2190, 0x2BFF),  # arrows, technical symbols, dingbats, misc symbols (☀ ✅ ❤)
    (0x2E80, 0x2FFF),  # CJK radicals
    (0x3000, 0xDFFF),  # CJK punctuation, kana, ideographs, Yi, Hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF00, 0xFFEF),  # full-width forms, half-width kana
    (0x10000, 0x3FFFF),  # emoji and pictographs, CJK extensions B and later
)
# Joiners and selectors that belong to an emoji or a CJK run without being searchable alone.
JOINERS = "\u200d\ufe0f\ufe0e"
REGEX_CLASS = "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in UNSPACED_RANGES)


def _glob(*ranges: tuple[int, int]) -> str:
    return "*[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in ranges) + "]*"


def has_unspaced_sql(column: str) -> str:
    """SQL that is true when `column` holds a character of UNSPACED_RANGES.

    A GLOB with a character class costs ~160 µs per message (81 s for 500k), so we look for
    UTF-8 lead bytes first (instr on the bytes is a fast scan): a lead byte E3-ED is U+3000-
    U+DFFF and F0 is U+10000-U+3FFFF, wholly inside the ranges; E0, E1, E2 and EF lead also
    other blocks (E2: curly quotes, dashes), so those are confirmed by a GLOB on their
    ranges alone, and only for the messages that have such a byte.
    """
    b = f"CAST({column} AS BLOB)"
    direct = " OR ".join(f"instr({b}, X'{lead:02X}')" for lead in (0xF0, *range(0xE3, 0xEE)))
    checked = [
        (0xE0, _glob((0x0E00, 0x0FFF))),
        (0xE1, _glob((0x1000, 0x109F), (0x1100, 0x11FF), (0x1780, 0x17FF))),
        (0xE2, _glob((0x2190, 0x2BFF), (0x2E80, 0x2FFF))),
        (0xEF, _glob((0xF900, 0xFAFF), (0xFF00, 0xFFEF))),
    ]
    confirmed = " OR ".join(
        f"(instr({b}, X'{lead:02X}') AND {column} GLOB '{pattern}')" for lead, pattern in checked
    )
    # Every character from U+0800 up takes 3 or more bytes: text without one is skipped at once.
    return f"(length({b}) - length({column}) >= 2 AND ({direct} OR {confirmed}))"


BATCH_ROWS = 25_000


def _wanted(prefix: str) -> str:
    return (
        f"{prefix}.state != 'streaming' AND ({has_unspaced_sql(prefix + '.content')}"
        f" OR {has_unspaced_sql(prefix + '.reasoning')})"
    )


def create(db: sqlite3.Connection) -> None:
    """The table, its vocabulary view and the triggers that keep it in step with `messages`."""
    db.execute(
        "CREATE VIRTUAL TABLE messages_tri USING fts5(content, reasoning, content='messages',"
        " content_rowid='id', tokenize='trigram')"
    )
    db.execute("CREATE VIRTUAL TABLE messages_tri_vocab USING fts5vocab(messages_tri, 'row')")
    values = "new.content || '  ', new.reasoning || '  '"
    old_values = "old.content || '  ', old.reasoning || '  '"
    db.execute(
        f"CREATE TRIGGER messages_tri_insert AFTER INSERT ON messages WHEN {_wanted('new')} "
        f"BEGIN INSERT INTO messages_tri(rowid, content, reasoning) VALUES (new.id, {values}); "
        "END"
    )
    db.execute(
        f"CREATE TRIGGER messages_tri_delete AFTER DELETE ON messages WHEN {_wanted('old')} "
        "BEGIN INSERT INTO messages_tri(messages_tri, rowid, content, reasoning) "
        f"VALUES ('delete', old.id, {old_values}); END"
    )
    # One trigger for both halves: the 'delete' of the old text must run before the insert.
    db.execute(
        "CREATE TRIGGER messages_tri_update AFTER UPDATE OF content, reasoning, state "
        "ON messages BEGIN "
        "INSERT INTO messages_tri(messages_tri, rowid, content, reasoning) "
        f"SELECT 'delete', old.id, {old_values} WHERE {_wanted('old')}; "
        "INSERT INTO messages_tri(rowid, content, reasoning) "
        f"SELECT new.id, {values} WHERE {_wanted('new')}; "
        "END"
    )


def fill(db: sqlite3.Connection, progress: Callable[[float], None]) -> None:
    """Index the messages already stored, in rowid batches so progress can be reported."""
    top = db.execute("SELECT coalesce(max(id), 0) FROM messages").fetchone()[0]
    progress(0.0)
    start = 0
    while start < top:
        end = start + BATCH_ROWS
        db.execute(
            "INSERT INTO messages_tri(rowid, content, reasoning)"
            " SELECT m.id, m.content || '  ', m.reasoning || '  ' FROM messages AS m"
            f" WHERE m.id > ? AND m.id <= ? AND {_wanted('m')}",
            (start, end),
        )
        start = end
        progress(min(1.0, start / top))
    progress(1.0)
