"""Full-text search: user text -> a safe FTS5 MATCH expression -> ranked hits with snippets.

We never pass user text to MATCH as written: FTS5 syntax (quotes, AND/OR/NOT/NEAR, *, ^, :,
parentheses) would raise or change meaning. We split the text into word tokens ourselves,
quote each one and make it a prefix term, so every input is a valid query.
"""

from __future__ import annotations

import re
import sqlite3

from .models import HIT_END, HIT_START, SearchHit

# Letters and digits in any script; everything else (punctuation, emoji, operators) separates,
# much as FTS5's unicode61 tokenizer does.
_TOKEN = re.compile(r"[^\W_]+")
MAX_QUERY_CHARS = 1000
MAX_TOKENS = 12
MAX_TOKEN_CHARS = 64
# Tokens shorter than this are matched exactly: a one- or two-letter prefix would expand to a
# large share of the vocabulary and cost a full scan of the index.
MIN_PREFIX_CHARS = 3
# Ranking by bm25 costs time per matching row. Among very common terms we rank the newest
# RANK_WINDOW matches only, which keeps a search on a 500k-message history fast.
RANK_WINDOW = 2000
SNIPPET_TOKENS = 16


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH text for `query`, or None when it holds no searchable word."""
    # Repeated words (in any case: the index folds case) add cost and nothing else.
    seen: dict[str, str] = {}
    for raw in _TOKEN.findall(query[:MAX_QUERY_CHARS]):
        seen.setdefault(raw.casefold(), raw[:MAX_TOKEN_CHARS])
    tokens = list(seen.values())
    terms = []
    for token in tokens[:MAX_TOKENS]:
        # `token` has no quote character (it is letters and digits only); quoting still keeps
        # words such as AND, OR, NEAR and NOT from being read as operators.
        terms.append(f'"{token}"*' if len(token) >= MIN_PREFIX_CHARS else f'"{token}"')
    return " ".join(terms) or None


def search(db: sqlite3.Connection, query: str, *, limit: int = 50) -> list[SearchHit]:
    """Best hits first, in messages and in titles; [] for a query with no word in it."""
    expression = match_expression(query)
    if expression is None or limit <= 0:
        return []
    hits = _message_hits(db, expression, limit) + _title_hits(db, expression, limit)
    hits.sort(key=lambda hit: hit.rank)
    return hits[:limit]


def _message_hits(db: sqlite3.Connection, expression: str, limit: int) -> list[SearchHit]:
    floor_row = db.execute(
        "SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?"
        " ORDER BY rowid DESC LIMIT 1 OFFSET ?",
        (expression, RANK_WINDOW - 1),
    ).fetchone()
    floor = floor_row[0] if floor_row else 0
    # ORDER BY rank LIMIT is sorted inside FTS5, so snippet() runs only for the rows returned,
    # with the query's doclists already loaded (a query per row would reload them each time).
    top = db.execute(
        "SELECT rowid, rank, snippet(messages_fts, -1, ?, ?, '…', ?) FROM messages_fts"
        " WHERE messages_fts MATCH ? AND rowid >= ? ORDER BY rank LIMIT ?",
        (HIT_START, HIT_END, SNIPPET_TOKENS, expression, floor, limit),
    ).fetchall()
    if not top:
        return []
    marks = ",".join("?" * len(top))
    where = {
        row[0]: row[1:]
        for row in db.execute(
            "SELECT m.id, m.conversation_id, c.title, m.role FROM messages AS m"
            f" JOIN conversations AS c ON c.id = m.conversation_id WHERE m.id IN ({marks})",
            [rowid for rowid, _, _ in top],
        )
    }
    hits = []
    for rowid, rank, snippet in top:
        if rowid in where:
            conversation_id, title, role = where[rowid]
            hits.append(SearchHit(conversation_id, title, rowid, role, snippet, float(rank)))
    return hits


def _title_hits(db: sqlite3.Connection, expression: str, limit: int) -> list[SearchHit]:
    rows = db.execute(
        "SELECT rowid, highlight(titles_fts, 0, ?, ?), rank, title FROM titles_fts"
        " WHERE titles_fts MATCH ? ORDER BY rank LIMIT ?",
        (HIT_START, HIT_END, expression, limit),
    ).fetchall()
    return [SearchHit(row[0], row[3], None, None, row[1], float(row[2])) for row in rows]
