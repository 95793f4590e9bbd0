"""The first pass of a prefix (`stre*`) or of a substring of 4+ characters with too many
matches: bm25 over the union of its terms' lists of best matches.

Both are one FTS5 phrase: a prefix counts every word that starts with it, a substring is the
phrase of its trigrams. A message where the phrase ranks high ranks high for one of those
terms too, so the union of the terms' lists (search_lists) holds the best matches, with the
messages added or edited since. Measured on every such query of benchmarks/search_plans.py
(512k messages): 7 of 8 prefixes and both long substrings 100% top-10 agreement, `stre*` 80%
(its two words share the best matches; lists of 1,000 would reach 100%). Words of a prefix
that have no list (in fewer than LIST_MIN_DF messages) bring no candidates: their best
matches are missed when they are among the best.

FTS5 cannot score candidates cheaply here (`rowid IN` under a prefix merges the prefix's
doclists for every id: 4.5 ms each), so we count in Python, on the text: words starting with
the prefix (folded as unicode61 does for letters and digits), or overlapping occurrences of
the substring in the indexed text; lengths are FTS5's own. The phrase's document count, which
only scales the scores, is taken as its most common term's.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata

from .search_guard import SearchGuard
from .search_lists import sizes, stats

NEW_LIMIT = 1_500  # matches added since the lists were built, scored here
CHANGED_LIMIT = 500
CANDIDATE_LIMIT = 4_000  # lists of 10 common words at most


def fold(text: str) -> str:
    """Lower case without accents, as unicode61 with remove_diacritics 2 (letters, digits)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def _phrase(table: str, expression: str) -> tuple[str, str] | None:
    """('prefix', folded prefix) or ('substring', needle); None for any other expression."""
    if table == "messages_fts" and expression.endswith('"*'):
        body = expression[1:-2]
        if expression.startswith('"') and body.isalnum():
            return "prefix", fold(body)
        return None
    if table == "messages_tri" and expression.startswith('"') and expression.endswith('"'):
        body = expression[1:-1]
        if '"' not in body.replace('""', "") and len(body.replace('""', '"')) >= 4:
            return "substring", body.replace('""', '"')
    return None


def _lists(db: sqlite3.Connection, table: str, kind: str, text: str) -> list[tuple[int, int, int]]:
    """(list id, df, through id) of the phrase's terms that have a list."""
    if kind == "prefix":
        # Its words' lists, and the list of its first three letters (`str*` for `stre*`):
        # a message holds at least as many words of that prefix, so where the query ranks
        # high, that ranks high too.
        rows = db.execute(
            "SELECT id, df, through_id FROM search_lists WHERE tbl = ? AND through_id >= 0"
            " AND (term >= ? AND term < ? AND instr(term, ' ') = 0 OR term = ?)",
            (table, text, text + "\U0010ffff", text[:3] + "*"),
        )
    else:
        grams = sorted({text[i : i + 3] for i in range(len(text) - 2)})
        marks = ",".join("?" * len(grams))
        rows = db.execute(
            "SELECT id, df, through_id FROM search_lists WHERE tbl = ?"
            f" AND term IN ({marks}) AND through_id >= 0",
            (table, *grams),
        )
    return [(int(r[0]), int(r[1]), int(r[2])) for r in rows]


def ranked(
    db: sqlite3.Connection,
    table: str,
    expression: str,
    limit: int,
    guard: SearchGuard,
    budget: float | None,
) -> list[tuple[int, float]] | None:
    """[(message id, rank)] best first; None when the expression is not one such phrase or
    none of its terms has a list."""
    phrase = _phrase(table, expression)
    found = stats(db, table)
    if phrase is None or found is None:
        return None
    kind, text = phrase
    lists = _lists(db, table, kind, text)
    if not lists:
        return None
    ids: set[int] = set()
    for list_id, _, _ in lists:
        ids.update(
            int(r[0])
            for r in db.execute(
                "SELECT message_id FROM search_list_hits WHERE list_id = ?", (list_id,)
            )
        )
    changed = db.execute(
        "SELECT message_id FROM search_list_changes LIMIT ?", (CHANGED_LIMIT + 1,)
    ).fetchall()
    through = min(t for _, _, t in lists)
    rows, complete = guard.walk(
        f"SELECT rowid FROM {table} WHERE {table} MATCH ? AND rowid > ?"
        " ORDER BY rowid DESC LIMIT ?",
        (expression, through, NEW_LIMIT + 1),
        budget,
    )
    if len(changed) > CHANGED_LIMIT or not complete or len(rows) > NEW_LIMIT:
        return None
    ids.update(int(r[0]) for r in changed + rows)
    if len(ids) > CANDIDATE_LIMIT:
        return None
    counts = _counts(db, kind, text, sorted(ids))
    lengths = sizes(db, table, list(counts))
    idf = found.idf(max(df for _, df, _ in lists) + len(rows))
    scored = [(rowid, -found.score(idf, tf, lengths.get(rowid, 0))) for rowid, tf in counts.items()]
    scored.sort(key=lambda item: (item[1], item[0]))
    return scored[:limit]


def _counts(db: sqlite3.Connection, kind: str, text: str, ids: list[int]) -> dict[int, int]:
    """The phrase's count in each candidate that holds it, read from the text."""
    out: dict[int, int] = {}
    # Words (runs of letters and digits) that begin with the prefix.
    starts = re.compile(r"(?<![^\W_])" + re.escape(text))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for rowid, content, reasoning in db.execute(
            "SELECT id, content, reasoning FROM messages WHERE id IN"
            f" ({marks}) AND state != 'streaming'",
            chunk,
        ):
            if kind == "prefix":
                count = len(starts.findall(fold(content + " " + reasoning)))
            else:
                count = sum(_overlapping((t + "  ").lower(), text) for t in (content, reasoning))
            if count:
                out[int(rowid)] = count
    return out


def _overlapping(text: str, needle: str) -> int:
    count, at = 0, text.find(needle)
    while at >= 0:
        count += 1
        at = text.find(needle, at + 1)
    return count
