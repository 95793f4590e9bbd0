"""The first pass of a one-term search with too many matches: bm25 over the term's list.

For a term with a list (search_lists.py) the candidates are its listed messages, the matches
added since the list was built, and the messages whose text changed since: every message
that could be in the term's true top LIST_SIZE. Each is scored with FTS5's own formula
(k1 = 1.2, b = 0.75, idf from the term's document count, the length FTS5 stored for the
message), so the order is the one `ORDER BY rank` gives over every match, without reading
them all. Listed messages carry their term count; new and changed ones are counted here.

A prefix or a longer substring is one phrase: search_phrase.py ranks it over the union of its
terms' lists. Queries of several parts (words, quoted phrases) are not answered (None): the
union of per-term lists does not hold their best matches (benchmarks/search_plans.py measures
it), and they keep the newest-first first pass.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from typing import Protocol

from . import search_phrase
from .search_guard import RANK_BUDGET, SearchGuard
from .search_lists import quoted, sizes, stats

NEW_LIMIT = 1_500  # matches added since a list was built, scored here (each one read)
CHANGED_LIMIT = 500  # messages edited since, likewise
MARK = "\ue000"  # a private-use character: highlight() puts it before each instance


class Routed(Protocol):
    """What the first pass needs of a routed query (search._Route)."""

    @property
    def tables(self) -> tuple[str, str]: ...
    @property
    def expression(self) -> str: ...


def first_pass(
    db: sqlite3.Connection, route: Routed, limit: int, guard: SearchGuard, budget: float | None
) -> list[tuple[int, float]] | None:
    """The best `limit` matches in the messages (from the term's list) and in the tool calls
    (a small index, ranked in full when it answers in time); None when there is no list."""
    table = route.tables[0]
    best = ranked(db, table, route.expression, limit, guard, budget)
    if best is None:
        best = search_phrase.ranked(db, table, route.expression, limit, guard, budget)
    return None if best is None else with_calls(db, route, best, limit, guard, budget)


def with_calls(
    db: sqlite3.Connection,
    route: Routed,
    best: list[tuple[int, float]],
    limit: int,
    guard: SearchGuard,
    budget: float | None,
) -> list[tuple[int, float]] | None:
    """The messages' best matches merged with the tool calls' (a small index, ranked in full
    when it answers in time; None when it does not)."""
    calls = route.tables[1]
    rows, complete = guard.walk(
        f"SELECT rowid, rank FROM {calls} WHERE {calls} MATCH ? ORDER BY rank LIMIT ?",
        (route.expression, limit),
        None if budget is None else RANK_BUDGET,
    )
    if not complete:
        return None
    # A reply found by its text and by its calls counts once, with its better rank.
    merged = dict(best)
    for rowid, rank in rows:
        merged[int(rowid)] = min(float(rank), merged.get(int(rowid), float(rank)))
    return sorted(merged.items(), key=lambda item: item[1])[:limit]


def term_of(table: str, expression: str) -> str | None:
    """The one term an expression searches for, as the index spells it; None for any other."""
    inner = expression[1:-1] if expression.startswith("(") and expression.endswith(")") else ""
    text = inner or expression
    if not (text.startswith('"') and text.endswith('"')) or len(text) < 3:
        return None
    body = text[1:-1]
    if '"' in body.replace('""', ""):
        return None  # several quoted strings
    body = body.replace('""', '"')
    if table == "messages_tri":
        return body if len(body) == 3 else None
    if not body or any(not (c.isalnum()) for c in body):
        return None
    # unicode61 with remove_diacritics 2: lower case, accents off. A word this folds otherwise
    # than FTS5 finds no list, or fails the check in `ranked`, and keeps the newest-first pass.
    folded = unicodedata.normalize("NFD", body.lower())
    return "".join(c for c in folded if unicodedata.category(c) != "Mn")


def ranked(
    db: sqlite3.Connection,
    table: str,
    expression: str,
    limit: int,
    guard: SearchGuard,
    budget: float | None,
    short: str | None = None,
) -> list[tuple[int, float]] | None:
    """[(message id, rank)] best first, as FTS5 would rank every match; None: no list.

    `short`: a one- or two-character substring, whose expression is the OR of the trigrams
    that begin with it; its list ranks it as one term (search_short).
    """
    term = short or term_of(table, expression)
    if term is None:
        return None
    match = expression if short else quoted(term)
    row = db.execute(
        "SELECT id, df, through_id FROM search_lists WHERE tbl = ? AND term = ?"
        " AND through_id >= 0",
        (table, term),
    ).fetchone()
    found = stats(db, table)
    if row is None or found is None:
        return None
    list_id, df, through = int(row[0]), int(row[1]), int(row[2])
    listed = {
        int(r[0]): (int(r[1]), int(r[2]))
        for r in db.execute(
            "SELECT message_id, tf, size FROM search_list_hits WHERE list_id = ?", (list_id,)
        )
    }
    changed = [
        int(r[0])
        for r in db.execute(
            "SELECT message_id FROM search_list_changes LIMIT ?", (CHANGED_LIMIT + 1,)
        )
    ]
    if len(changed) > CHANGED_LIMIT:
        return None
    for rowid in changed:
        listed.pop(rowid, None)  # counted again below, from the text as it is now
    rows, complete = guard.walk(
        f"SELECT rowid FROM {table} WHERE {table} MATCH ? AND rowid > ?"
        " ORDER BY rowid DESC LIMIT ?",
        (match, through, NEW_LIMIT + 1),
        budget,
    )
    if not complete or len(rows) > NEW_LIMIT:
        return None
    if changed:
        marks = ",".join("?" * len(changed))
        rows += db.execute(
            f"SELECT rowid FROM {table} WHERE {table} MATCH ? AND rowid IN ({marks})",
            (match, *changed),
        ).fetchall()
    fresh = sorted({int(r[0]) for r in rows})
    if listed:
        # The word folded as FTS5 does: its best listed message matches the query itself.
        best = max(listed, key=lambda i: listed[i][0] / (listed[i][0] + listed[i][1]))
        probe = f"SELECT 1 FROM {table} WHERE {table} MATCH ? AND rowid = ?"
        if db.execute(probe, (expression, best)).fetchone() is None:
            return None
    counts = _counts(db, table, term, fresh)
    lengths = sizes(db, table, fresh)
    for rowid in fresh:
        listed[rowid] = (counts.get(rowid, 1), lengths.get(rowid, 0))
    idf = found.idf(df + len([r for r in fresh if r > through]))
    scored = [(rowid, -found.score(idf, tf, size)) for rowid, (tf, size) in listed.items()]
    scored.sort(key=lambda item: (item[1], item[0]))
    return scored[:limit]


def _counts(db: sqlite3.Connection, table: str, term: str, ids: list[int]) -> dict[int, int]:
    """How often the term occurs in each message, counted as its index tokenizes it."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    if table == "messages_tri":
        # Overlapping occurrences in the indexed text (each column ends with two spaces).
        out = {}
        for rowid, content, reasoning in db.execute(
            f"SELECT id, content, reasoning FROM messages WHERE id IN ({marks})", ids
        ):
            out[int(rowid)] = sum(
                _overlapping((text + "  ").lower(), term) for text in (content, reasoning)
            )
        return out
    # highlight() tokenizes with the index's own tokenizer; one-word instances never overlap.
    rows = db.execute(
        f"SELECT f.rowid, highlight({table}, 0, ?, ''), highlight({table}, 1, ?, ''),"
        f" m.content || m.reasoning FROM {table} AS f JOIN messages AS m ON m.id = f.rowid"
        f" WHERE {table} MATCH ? AND f.rowid IN ({marks})",
        (MARK, MARK, quoted(term), *ids),
    )
    return {
        int(r[0]): max(1, (r[1] or "").count(MARK) + (r[2] or "").count(MARK) - r[3].count(MARK))
        for r in rows
    }


def _overlapping(text: str, needle: str) -> int:
    count, at = 0, text.find(needle)
    while at >= 0:
        count += 1
        at = text.find(needle, at + 1)
    return count
