"""Full-text search: a parsed query -> ranked hits (flat or grouped by conversation).

Ranking is bm25 over every match. A search runs in two passes on the search worker: a first
pass within the latency budget, then, when that pass was not exact (`exact=False`), the
exhaustive ranking, which replaces it (exact counts too) unless a newer query cancelled it.
What the first pass does, by cost (figures at 512k messages, benchmarks/history_scale.py):

1. Exact when affordable. The first pass walks the matches newest first (time-boxed). When
   they are few enough, FTS5 ranks them all (`ORDER BY rank`, time-boxed): one term up to
   FULL_RANK_LIMIT matches, a query of n terms up to 2 x FULL_RANK_LIMIT / n (~1.7 µs a match
   and term: ~20 ms), unless its words' idf walks alone would not fit (_affordable: bm25
   first reads every document of each term; `the` is in 421k messages, 23 ms) or the walk
   that counted the matches was too slow for ranking them to fit (RANK_PACE). A substring
   part of one or two characters (的, 🚀) is ranked as one term (search_short) over every
   match up to FULL_RANK_LIMIT, in both passes: FTS5's bm25 of the OR of the trigrams that
   begin with it ranks by the rarity of the next character, which is no ranking of 的.
2. Otherwise two stages, the first from candidates that hold the best matches, scored with
   FTS5's own bm25 formula: each common term keeps a list of its LIST_SIZE best matches
   (search_lists, built by the idle worker, current through `rowid > through_id` and change
   notes). Candidates by query kind:
   - one word, one trigram, a 3-letter prefix (`qua*`), a one- or two-character run (的), a
     two-word phrase (`"on to"`): its own list, plus messages added or edited since: the
     exact top LIST_SIZE (search_ranked, search_short.from_list);
   - a longer prefix (`stre*`) or substring (テキスト): the lists of its words or trigrams and
     of its first three letters (search_phrase); a message holds at least as many of those;
   - several parts (`python error`, `with the`, `naïve résumé`, longer phrases, `日本語 検索`):
     the parts' lists, ordered by the most each message can score (its exact score for a
     word whose list holds it, the list's weakest otherwise), the newest matches and the 150
     shortest (search_multi, search_short).
   Every kind of history_scale.py's query set agrees with the full ranking on >= 90% of its
   top 10 this way (the per-kind figures are printed there). What stays below: a phrase of
   several common words whose pairs have no list, and terms before their lists are built
   (the first minutes after an upgrade or an import): their first pass shows candidates or
   the newest matches, and the full ranking follows.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import search_multi, search_ranked, search_short
from .models import SearchFilters, SearchGroup, SearchHit, SearchResults
from .search_filters import filter_sql, keeper
from .search_guard import FIRST_PASS_BUDGET, RANK_BUDGET, SearchGuard
from .search_hits import message_hits
from .search_query import Query, needle, parse, substring_expression, word_expression
from .search_titles import title_hits

FULL_RANK_LIMIT = 6_000
IDF_SECONDS_PER_DOCUMENT = 0.05e-6
RANK_PACE = 2.5  # ranking every match takes at least this many times the walk that found them
SHORT_BUDGET = 0.045  # seconds for search_short's first pass (FULL_RANK_LIMIT matches: ~25 ms)
# Hits read for grouping: enough that the first screens of conversations are complete.
GROUP_POOL = 400
SNIPPET_TOKENS = 16
TOOL_CALL_TABLES = {"messages_fts": "tool_calls_fts", "messages_tri": "tool_calls_tri"}


@dataclass(frozen=True)
class _Route:
    table: str  # messages_fts (words) or messages_tri (substrings)
    expression: str
    query: Query

    @property
    def tables(self) -> tuple[str, str]:
        """The message index and the tool-call index of the same kind (tool_call_index)."""
        return self.table, TOOL_CALL_TABLES[self.table]

    @property
    def short_needles(self) -> list[str] | None:
        """The parts of a substring query with a part shorter than a trigram (search_short),
        as the expression searches them (a 1-2 letter word of a spaced script is left out)."""
        texts = [needle(p) for p in self.query.parts if p.unspaced or len(needle(p)) >= 3]
        return texts if search_short.applies(self.table, texts) else None

    @property
    def rank_limit(self) -> int:
        """Matches we can rank in full: bm25 costs per term, and `数` ORs many trigrams."""
        quoted = self.expression.split('"')[1::2]
        terms = sum(max(1, len(text.split())) for text in quoted)
        # FTS5 ranks ~12,000 matches of one term in 20 ms: twice FULL_RANK_LIMIT, which is
        # kept for one term (it has a list, search_lists, past that).
        return max(FULL_RANK_LIMIT // 30, 1, min(FULL_RANK_LIMIT, 2 * FULL_RANK_LIMIT // terms))


def _route(db: sqlite3.Connection, text: str) -> _Route | None:
    query = parse(text)
    if query.substring:
        expression = substring_expression(db, query)
        return _Route("messages_tri", expression, query) if expression else None
    expression = word_expression(query)
    return _Route("messages_fts", expression, query) if expression else None


def _ranked(
    db: sqlite3.Connection,
    route: _Route,
    filters: SearchFilters,
    limit: int,
    exhaustive: bool,
    guard: SearchGuard,
    budget: float | None = None,
) -> tuple[list[tuple[int, float]], list[int] | None, bool]:
    """([(message id, rank)] best first, every match's id when they were few, exact).

    `budget` time-boxes the first pass's walk (seconds; None: no limit).
    """
    conditions, params = filter_sql(filters)
    needles = route.short_needles
    if needles is not None and not exhaustive and not conditions and len(needles) == 1:
        listed = search_short.from_list(
            db, route.tables, route.expression, needles[0], limit, guard, budget
        )
        if listed is not None:
            return listed, None, False
    if needles is not None:
        found = search_short.ranked(
            db,
            route.tables,
            needles,
            limit,
            guard,
            None if exhaustive else budget and SHORT_BUDGET,
            keeper(db, conditions, params),
            None if exhaustive else FULL_RANK_LIMIT,
        )
        if found is not None:
            return found
    join = ""
    if conditions:
        join = (
            " JOIN messages AS m ON m.id = f.rowid"
            " JOIN conversations AS c ON c.id = m.conversation_id"
        )
        conditions = " AND " + conditions
    args = [route.expression, *params]
    cap = route.rank_limit

    def each_table(
        select: str, order: str, limit: int, box: float | None
    ) -> tuple[list[Any], bool]:  # Any: sqlite3 rows (typeshed types their values Any)
        """Rows of `select` on the message index and on the tool-call index; all of them?"""
        found: list[Any] = []  # Any: sqlite3 rows, as above
        complete = True
        for table in route.tables:
            rows, done = guard.walk(
                f"SELECT {select} FROM {table} AS f{join} WHERE {table} MATCH ?{conditions}"
                f" ORDER BY {order} LIMIT ?",
                (*args, limit),
                box,
            )
            found += rows
            complete = complete and done
        return found, complete

    # One walk, newest first, counts the matches (up to cap + 1). The first pass's walk is
    # time-boxed (search_guard).
    started = time.perf_counter()
    walked, complete = each_table(
        "f.rowid", "f.rowid DESC", cap + 1, None if exhaustive else budget
    )
    newest = sorted({int(r[0]) for r in walked}, reverse=True)[: cap + 1]
    pace = _pace(db, newest, time.perf_counter() - started)
    counted = len(newest)
    # A short substring's ranking is search_short's: FTS5's would be another one.
    exact = exhaustive or (complete and counted <= cap and needles is None)
    every = newest if complete and counted <= cap else None
    if not exact or not (exhaustive or _affordable(db, route, pace.seconds)):
        # Too many matches to rank now, or the walk ran out of time: the first pass ranks
        # candidates (search_ranked, search_multi), else shows the newest matches found,
        # unranked; the full pass (worker, cancellable) ranks them all.
        newest_only = bool(conditions) or needles is not None
        chosen = _candidates(db, route, newest, every, limit, guard, budget, newest_only, pace)
        return chosen, None, False
    # ORDER BY rank on the FTS table alone is sorted inside FTS5 (a top-N heap). bm25 first
    # counts every document of each term over the whole index (its idf), 25 ms for `the` at
    # 500k messages even when the AND of all terms matches few: so the first pass gives this
    # a time box too, and falls back to the candidates.
    ranked, ranked_all = each_table(
        "f.rowid, f.rank", "f.rank", limit, None if exhaustive or budget is None else RANK_BUDGET
    )
    if not ranked_all:
        newest_only = bool(conditions)
        chosen = _candidates(db, route, newest, every, limit, guard, budget, newest_only, pace)
        return chosen, every, False
    # A reply found by its text and by its calls counts once, with its better rank.
    best: dict[int, float] = {}
    for rowid, rank in ranked:
        best[int(rowid)] = min(float(rank), best.get(int(rowid), float(rank)))
    return sorted(best.items(), key=lambda item: item[1])[:limit], every, True


def _pace(db: sqlite3.Connection, newest: list[int], seconds: float) -> search_multi.Walked:
    """How far the newest-first walk reached in its time (search_multi predicts from it
    whether a walk of every match can finish in its box)."""
    top = db.execute("SELECT coalesce(max(id), 0) FROM messages").fetchone()[0]
    return search_multi.Walked(seconds, int(top), min(newest, default=int(top)))


def _affordable(db: sqlite3.Connection, route: _Route, walked: float = 0.0) -> bool:
    """Whether FTS5 may rank these matches within the first pass's time: its bm25 first walks
    every document of each term (its idf), ~0.05 µs a document; a term with a list says
    how many (`the`: 421k of 512k messages, 23 ms, however few messages match the query).
    Ranking reads every match again, as the walk that counted them (`walked` seconds) did,
    and a phrase's idf walks them once more: measured 2.3-4.4 times the walk (`"do but"`:
    15 ms, then 42 ms spent for nothing when the ranking ran out of time)."""
    if walked * RANK_PACE > RANK_BUDGET:
        return False
    # Words only: a phrase's idf walks the phrase's matches, not each word's documents.
    words = [w for p in route.query.parts if p.kind == "word" for w in search_multi.words(p)]
    if route.table != "messages_fts" or len(words) < 2:
        return True
    marks = ",".join("?" * len(words))
    row = db.execute(
        f"SELECT coalesce(sum(df), 0) FROM search_lists WHERE tbl = ? AND term IN ({marks})",
        (route.table, *words),
    ).fetchone()
    return int(row[0]) * IDF_SECONDS_PER_DOCUMENT <= RANK_BUDGET / 2


def _candidates(
    db: sqlite3.Connection,
    route: _Route,
    newest: list[int],
    every: list[int] | None,
    limit: int,
    guard: SearchGuard,
    budget: float | None,
    newest_only: bool,
    walked: search_multi.Walked | None = None,
) -> list[tuple[int, float]]:
    """The first pass of a two-stage query: bm25 over candidates, else the newest matches."""
    listed = None
    if not newest_only:
        listed = search_ranked.first_pass(db, route, limit, guard, budget)
        if listed is None:
            listed = search_multi.first_pass(
                db, route, newest, every, limit, guard, budget, walked
            )
    return [(rowid, 0.0) for rowid in newest[:limit]] if listed is None else listed


def search(
    db: sqlite3.Connection,
    query: str,
    *,
    limit: int = 50,
    filters: SearchFilters | None = None,
    exhaustive: bool = False,
) -> list[SearchHit]:
    """Best hits first, in messages and in titles; [] for a query with nothing to find."""
    filters = filters or SearchFilters()
    route = _route(db, query)
    if route is None or limit <= 0:
        return []
    with SearchGuard(db) as guard:
        ranked, _, _ = _ranked(db, route, filters, limit, exhaustive, guard)
    hits = list(message_hits(db, route, ranked).values())
    hits += title_hits(db, route, filters, limit)
    hits.sort(key=lambda hit: hit.rank)
    return hits[:limit]


def search_grouped(
    db: sqlite3.Connection,
    query: str,
    *,
    filters: SearchFilters | None = None,
    max_groups: int = 50,
    hits_per_group: int = 1,
    exhaustive: bool = False,
    stop: Callable[[], bool] | None = None,
) -> SearchResults:
    """Conversations that match, best first; in each, its best hits and the match count.

    `stop` is polled while SQLite works; once it returns True the search ends with
    sqlite3.OperationalError("interrupted").
    """
    with SearchGuard(db, stop) as guard:
        return _grouped(
            db, query, filters or SearchFilters(), max_groups, hits_per_group, exhaustive, guard
        )


def _grouped(
    db: sqlite3.Connection,
    query: str,
    filters: SearchFilters,
    max_groups: int,
    hits_per_group: int,
    exhaustive: bool,
    guard: SearchGuard,
) -> SearchResults:
    route = _route(db, query)
    if route is None:
        return SearchResults(query, (), True)
    ranked, every, exact = _ranked(
        db, route, filters, GROUP_POOL, exhaustive, guard, FIRST_PASS_BUDGET
    )
    order: dict[int, list[tuple[int, float]]] = {}
    owners = _conversations_of(db, [rowid for rowid, _ in ranked])
    for rowid, rank in ranked:
        order.setdefault(owners.get(rowid, -1), []).append((rowid, rank))
    found = title_hits(db, route, filters, max_groups, ranked=exact)
    titles = {hit.conversation_id: hit for hit in found}
    best = {cid: rows[0][1] for cid, rows in order.items()}
    for cid, hit in titles.items():
        best[cid] = min(best.get(cid, hit.rank), hit.rank)
    chosen = sorted(best, key=lambda cid: best[cid])[:max_groups]
    shown = [r for cid in chosen for r in order.get(cid, [])[:hits_per_group]]
    hits = message_hits(db, route, shown)
    counts, counts_exact = _counts(db, route, filters, chosen, order, exact, every)
    groups = []
    for cid in chosen:
        best_rows = order.get(cid, [])[:hits_per_group]
        group_hits = [hits[rowid] for rowid, _ in best_rows if rowid in hits]
        if cid in titles:
            group_hits.insert(0, titles[cid])
        title = group_hits[0].conversation_title if group_hits else ""
        groups.append(SearchGroup(cid, title, tuple(group_hits), counts.get(cid, 0), counts_exact))
    return SearchResults(query, tuple(groups), exact)


def _conversations_of(db: sqlite3.Connection, message_ids: list[int]) -> dict[int, int]:
    if not message_ids:
        return {}
    marks = ",".join("?" * len(message_ids))
    rows = db.execute(
        f"SELECT id, conversation_id FROM messages WHERE id IN ({marks})", message_ids
    )
    return {int(r[0]): int(r[1]) for r in rows}


def _counts(
    db: sqlite3.Connection,
    route: _Route,
    filters: SearchFilters,
    chosen: list[int],
    order: dict[int, list[tuple[int, float]]],
    exact: bool,
    every: list[int] | None,
) -> tuple[dict[int, int], bool]:
    """Matches per conversation: exact once every match was read, else a floor."""
    if not chosen:
        return {}, True
    if not exact:
        return {cid: len(rows) for cid, rows in order.items()}, False
    marks = ",".join("?" * len(chosen))
    if every is not None:  # every match is known: count those in the chosen conversations
        rows = db.execute(
            "SELECT conversation_id, count(*) FROM messages WHERE conversation_id IN"
            f" ({marks}) AND id IN (SELECT value FROM json_each(?)) GROUP BY conversation_id",
            (*chosen, json.dumps(every)),
        ).fetchall()
        return {int(r[0]): int(r[1]) for r in rows}, True
    conditions, params = filter_sql(filters)
    # Driven by the chosen conversations' messages (an index range each), each checked
    # against the set of matches, which SQLite builds once.
    rows = db.execute(
        "SELECT m.conversation_id, count(*) FROM messages AS m"
        " JOIN conversations AS c ON c.id = m.conversation_id"
        f" WHERE m.conversation_id IN ({marks})"
        " AND m.id IN ("
        + " UNION ".join(f"SELECT rowid FROM {t} WHERE {t} MATCH ?" for t in route.tables)
        + ")"
        + (f" AND {conditions}" if conditions else "")
        + " GROUP BY m.conversation_id",
        (*chosen, *[route.expression] * len(route.tables), *params),
    ).fetchall()
    return {int(r[0]): int(r[1]) for r in rows}, True
