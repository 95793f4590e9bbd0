"""Conversations whose title matches a query: the title index for words, LIKE for substrings."""

from __future__ import annotations

import re
import sqlite3
from typing import Protocol

from .models import HIT_END, HIT_START, SearchFilters, SearchHit
from .search_query import Query, needle
from .search_snippets import cut_snippet, patterns


class Routed(Protocol):
    """What a title search needs of a routed query (search._Route)."""

    @property
    def table(self) -> str: ...
    @property
    def expression(self) -> str: ...
    @property
    def query(self) -> Query: ...


def title_hits(
    db: sqlite3.Connection,
    route: Routed,
    filters: SearchFilters,
    limit: int,
    ranked: bool = True,
) -> list[SearchHit]:
    """Conversations whose title matches; unranked (newest first) for a quick first pass."""
    where, params = [], []
    for sql, value in (
        ("c.id = ?", filters.conversation_id),
        ("c.profile = ?", filters.profile),
        ("c.model = ?", filters.model),
        ("c.updated_at >= ?", filters.since),
        ("c.created_at < ?", filters.until),
    ):
        if value is not None:
            where.append(sql)
            params.append(value)
    extra = "".join(f" AND {w}" for w in where)
    if route.table == "messages_fts":
        rank, order = ("t.rank", "t.rank") if ranked else ("0.0", "t.rowid DESC")
        rows = db.execute(
            f"SELECT t.rowid, highlight(titles_fts, 0, ?, ?), {rank}, c.title FROM titles_fts AS t"
            f" JOIN conversations AS c ON c.id = t.rowid WHERE titles_fts MATCH ?{extra}"
            f" ORDER BY {order} LIMIT ?",
            (HIT_START, HIT_END, route.expression, *params, limit),
        ).fetchall()
        return [SearchHit(r[0], r[3], None, None, r[1], float(r[2])) for r in rows]
    # Titles are few (one per conversation): a LIKE per part is fast enough, and exact.
    parts = [needle(p) for p in route.query.parts if len(needle(p)) >= 1]
    likes = "".join(" AND c.title LIKE ? ESCAPE '\\'" for _ in parts)
    likes_args = ["%" + re.sub(r"([%_\\])", r"\\\1", p) + "%" for p in parts]
    rows = db.execute(
        f"SELECT c.id, c.title FROM conversations AS c WHERE 1{likes}{extra} LIMIT ?",
        (*likes_args, *params, limit),
    ).fetchall()
    regexes = patterns(route.query)
    # Title hits rank with the best substring hits (bm25 ranks are negative, lower is better).
    return [
        SearchHit(r[0], r[1], None, None, cut_snippet(r[1], "", patterns=regexes), -1e9)
        for r in rows
    ]
