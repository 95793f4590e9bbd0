"""Search hits for ranked message ids: conversation, role, and a snippet that marks the match."""

from __future__ import annotations

import sqlite3

from .models import HIT_END, HIT_START, SearchHit
from .search_snippets import cut_snippet, marked_terms, patterns
from .search_titles import Routed

SNIPPET_TOKENS = 16


def _snippets(db: sqlite3.Connection, route: Routed, ids: list[int]) -> dict[int, str]:
    """Snippets with HIT_START/HIT_END around every match, for these messages."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    texts = {
        row[0]: (row[1], row[2], row[3] or "")
        for row in db.execute(
            f"SELECT m.id, m.content, m.reasoning, t.calls FROM messages AS m LEFT JOIN"
            f" tool_calls_fts AS t ON t.rowid = m.id WHERE m.id IN ({marks})",
            ids,
        )
    }
    found: dict[int, str] = {}
    # FTS5's snippet knows which words matched (accents folded), but under a prefix query
    # every call re-merges the prefix's doclists: there, as for substrings, we cut our own.
    if route.table == "messages_fts" and all(p.kind != "prefix" for p in route.query.parts):
        for rowid, snippet in db.execute(
            "SELECT rowid, snippet(messages_fts, -1, ?, ?, '…', ?) FROM messages_fts"
            f" WHERE messages_fts MATCH ? AND rowid IN ({marks})",
            (HIT_START, HIT_END, SNIPPET_TOKENS, route.expression, *ids),
        ):
            if HIT_START in snippet:
                found[int(rowid)] = snippet
    for rowid in ids:
        if rowid not in found and rowid in texts:
            found[rowid] = cut_snippet(*texts[rowid], patterns=patterns(route.query))
    return found


def message_hits(
    db: sqlite3.Connection, route: Routed, ranked: list[tuple[int, float]]
) -> dict[int, SearchHit]:
    ids = [rowid for rowid, _ in ranked]
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    where = {
        row[0]: row[1:]
        for row in db.execute(
            "SELECT m.id, m.conversation_id, c.title, m.role FROM messages AS m"
            f" JOIN conversations AS c ON c.id = m.conversation_id WHERE m.id IN ({marks})",
            ids,
        )
    }
    snippets = _snippets(db, route, ids)
    hits = {}
    for rowid, rank in ranked:
        if rowid in where:
            conversation_id, title, role = where[rowid]
            snippet = snippets.get(rowid, "")
            hits[rowid] = SearchHit(
                conversation_id, title, rowid, role, snippet, rank, marked_terms(snippet)
            )
    return hits
