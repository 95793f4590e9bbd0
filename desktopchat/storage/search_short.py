"""bm25 of a substring query with a one- or two-character part (`的`, `搜索`, `🚀`).

The substring index finds such a part through the trigrams that begin with it (every indexed
text ends in two spaces, so every character begins one): `的` is the OR of `的。 `, `的一个`,
`的了了`... FTS5's bm25 over that OR scores each trigram as a phrase of its own, weighted by
that trigram's own rarity, so its "best" match for `的` is the message where 的 is followed
by a rare character, not the one where 的 counts most. That ranking is ill-defined as an
answer to `的`, and so as a reference for a first pass (benchmarks/search_scale.py). Both
passes therefore rank these queries as they rank every other: each part is one term,

    score = sum over parts of idf(df) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * size / avgdl))

with tf the part's occurrences in the message (overlapping: each starts one trigram), df the
messages that hold it, size and avgdl FTS5's own token counts. For a part of 3+ characters
(a phrase of trigrams) this is exactly FTS5's bm25 of that phrase.

Everything is read from the index, not the text: fts5vocab's 'instance' view lists every
occurrence of a trigram (message, column, offset), so the trigrams beginning with a short part
give its tf in every message and its df at once (28k occurrences of 的 in ~10 ms at 512k
messages), and a longer part is its trigrams at consecutive offsets. The match set is the
messages where every part occurs: the query's own, without the expression's cap on how many
trigrams a short part expands to.

The first pass gives this a time box (a short part in most messages of a Chinese history has
millions of occurrences); past it, the first pass shows the newest matches and the full pass,
unboxed, ranks them all.
"""

from __future__ import annotations

import heapq
import json
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import Any

from . import search_ranked
from .search_guard import SearchGuard
from .search_lists import K1, B, stats, total

SHORT_CHARS = 3  # parts shorter than a trigram
CHUNK = 900  # ids per IN (...)
NEWEST = 100  # of a first pass's matches past `most`, the newest are scored too

Occurrences = dict[int, int]  # message id -> occurrences of a part


def applies(table: str, needles: Iterable[str]) -> bool:
    """True for a substring-index query with a part shorter than a trigram."""
    return table.endswith("_tri") and any(0 < len(n) < SHORT_CHARS for n in needles)


def ranked(
    db: sqlite3.Connection,
    tables: Iterable[str],
    needles: list[str],
    limit: int,
    guard: SearchGuard,
    budget: float | None,
    keep: Callable[[list[int]], set[int]] | None = None,
    most: int | None = None,
) -> tuple[list[tuple[int, float]], list[int] | None, bool] | None:
    """([(message id, rank)] best first, every match's id, exact); None: out of time.

    Past `most` matches in a table (scoring costs ~4 µs a match: the first pass sets a
    limit) only candidates are scored (_listed), and the result is not exact; None when there
    are none.

    Each table (the messages' and the tool calls' substring index) is ranked on its own; a
    reply found in both keeps its better rank, as search.py merges them. `keep` narrows a
    candidate list to the messages the search's filters allow.
    """
    deadline = None if budget is None else time.perf_counter() + budget
    best: dict[int, float] = {}
    matched: set[int] = set()
    exact = True
    for table in tables:
        done = _table(db, table, [n for n in needles if n], guard, deadline, most)
        if done is None:
            return None
        scored, complete = done
        exact = exact and complete
        matched.update(scored)
        for rowid, rank in scored.items():
            best[rowid] = min(rank, best.get(rowid, rank))
    if keep is None:
        top = heapq.nsmallest(limit, best.items(), key=_rank_order)
        return top, list(matched) if exact else None, exact
    order = _kept(sorted(best.items(), key=_rank_order), keep, limit)
    return order[:limit], None, exact


def _rank_order(item: tuple[int, float]) -> tuple[float, int]:
    return item[1], item[0]


def from_list(
    db: sqlite3.Connection,
    tables: tuple[str, str],
    expression: str,
    text: str,
    limit: int,
    guard: SearchGuard,
    budget: float | None,
) -> list[tuple[int, float]] | None:
    """The first pass of a one-part query whose part has a list of its best matches
    (search_lists builds one for a run in more than LIST_MIN_DF messages): bm25 over the
    listed messages and those added or edited since, merged with the tool calls' matches
    (ranked in full: a small index). None when the part has no list."""
    if len(text) >= SHORT_CHARS:
        return None
    table, calls = tables
    deadline = None if budget is None else time.perf_counter() + budget
    best = search_ranked.ranked(db, table, expression, limit, guard, budget, short=text)
    if best is None:
        return None
    merged = dict(best)
    for rowid, rank in (_table(db, calls, [text], guard, deadline, None) or ({}, True))[0].items():
        merged[rowid] = min(rank, merged.get(rowid, rank))
    return heapq.nsmallest(limit, merged.items(), key=_rank_order)


def best(
    db: sqlite3.Connection, table: str, text: str, n: int
) -> tuple[int, list[tuple[int, int, int]]]:
    """(messages holding `text`, its best n as (message id, occurrences, size)): a list."""
    occurrences = _occurrences(_instances(db, table), text, _Unboxed(db), None) or {}
    scored = (_table(db, table, [text], _Unboxed(db), None, None) or ({}, True))[0]
    top = heapq.nsmallest(n, scored.items(), key=_rank_order)
    ids = [rowid for rowid, _ in top]
    lengths = {
        int(i): total(bytes(sz))
        for i, sz in db.execute(
            f"SELECT id, sz FROM {table}_docsize WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(ids),),
        )
    }
    return len(occurrences), [(i, occurrences[i], lengths.get(i, 0)) for i in ids]


class _Unboxed(SearchGuard):
    """A walk without a time box or a stop of its own (the list builder sets its own)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        super().__init__(db)
        self._plain = db

    def walk(
        self, sql: str, args: tuple[object, ...], budget: float | None
    ) -> tuple[list[tuple[Any, ...]], bool]:  # Any: sqlite3's row values
        return self._plain.execute(sql, args).fetchall(), True


def _kept(
    order: list[tuple[int, float]], keep: Callable[[list[int]], set[int]], limit: int
) -> list[tuple[int, float]]:
    """The best `limit` of `order` that the filters allow (asked chunk by chunk)."""
    out: list[tuple[int, float]] = []
    for start in range(0, len(order), CHUNK):
        chunk = order[start : start + CHUNK]
        allowed = keep([rowid for rowid, _ in chunk])
        out += [item for item in chunk if item[0] in allowed]
        if len(out) >= limit:
            break
    return out


def _table(
    db: sqlite3.Connection,
    table: str,
    needles: list[str],
    guard: SearchGuard,
    deadline: float | None,
    most: int | None,
) -> tuple[dict[int, float], bool] | None:
    """({message id: rank} of every message of `table` holding every part, or of the
    candidates among them past `most`; whether that is every one); None: no time."""
    found = stats(db, table)
    if found is None:
        return {}, True
    view = _instances(db, table)
    parts: list[Occurrences] = []
    for text in needles:
        counted = _occurrences(view, text, guard, deadline)
        if counted is None:
            return None
        if not counted:
            return {}, True  # AND with a part found nowhere
        parts.append(counted)
    parts.sort(key=len)
    common = set(parts[0])
    for other in parts[1:]:
        common &= other.keys()
    matches = list(common)
    complete = most is None or len(matches) <= most
    if not complete:
        # Too many to score now: the candidates are the parts' lists of best matches and the
        # newest matches (search_multi does the same for words); the full pass scores all.
        listed = _listed(db, table, needles)
        if not listed:
            return None
        matches.sort(reverse=True)
        matches = matches[:NEWEST] + [rowid for rowid in matches[NEWEST:] if rowid in listed]
    idfs = [found.idf(len(part)) for part in parts]
    rows = db.execute(
        f"SELECT id, sz FROM {table}_docsize WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(matches),),
    )
    # FTS5's bm25 (search_lists.Stats.score), inlined: this runs once per match.
    base, per_token = K1 * (1 - B), K1 * B / found.avgdl
    if len(parts) == 1:
        (idf,), (tfs,) = idfs, parts
        return {
            int(rowid): -idf * tf * (K1 + 1) / (tf + base + per_token * total(bytes(sz)))
            for rowid, sz in rows
            for tf in (tfs[rowid],)
        }, complete
    weighted = list(zip(idfs, parts, strict=True))
    out = {}
    for rowid, sz in rows:
        norm = base + per_token * total(bytes(sz))
        out[int(rowid)] = -sum(idf * p[rowid] * (K1 + 1) / (p[rowid] + norm) for idf, p in weighted)
    return out, complete


def _listed(db: sqlite3.Connection, table: str, needles: list[str]) -> set[int]:
    """Messages in the lists of the parts' terms: a short run's own, a longer one's trigrams."""
    terms = {t for n in needles for t in ([n] if len(n) <= SHORT_CHARS else _grams(n))}
    marks = ",".join("?" * len(terms))
    rows = db.execute(
        "SELECT h.message_id FROM search_lists AS l JOIN search_list_hits AS h"
        f" ON h.list_id = l.id WHERE l.tbl = ? AND l.term IN ({marks}) AND l.through_id >= 0",
        (table, *terms),
    )
    return {int(r[0]) for r in rows}


def _grams(text: str) -> list[str]:
    return [text[i : i + SHORT_CHARS] for i in range(len(text) - SHORT_CHARS + 1)]


def _instances(db: sqlite3.Connection, table: str) -> str:
    """A temp fts5vocab 'instance' view of `table` on this connection (made once)."""
    view = f"{table}_instances"
    db.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{view} USING fts5vocab(main, {table}, 'instance')"
    )
    return f"temp.{view}"


def _left(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.0, deadline - time.perf_counter())


def _occurrences(
    view: str, text: str, guard: SearchGuard, deadline: float | None
) -> Occurrences | None:
    """Occurrences of `text` in every message of the index; None when time ran out."""
    if len(text) <= SHORT_CHARS:  # the trigrams that begin with it; a trigram: itself
        rows, complete = guard.walk(
            f"SELECT doc FROM {view} WHERE term >= ? AND term < ?",
            (text, text + "\U0010ffff") if len(text) < SHORT_CHARS else (text, text + "\x00"),
            _left(deadline),
        )
        if not complete:
            return None
        return Counter(map(itemgetter(0), rows))
    # A phrase of trigrams: the first at an offset, the j-th at that offset + j.
    grams = _grams(text)
    starts: set[tuple[int, str, int]] | None = None
    for j, gram in enumerate(grams):
        rows, complete = guard.walk(
            f'SELECT doc, col, "offset" FROM {view} WHERE term = ?', (gram,), _left(deadline)
        )
        if not complete:
            return None
        here = {(int(doc), str(col), int(offset) - j) for doc, col, offset in rows}
        starts = here if starts is None else starts & here
        if not starts:
            return {}
    return Counter(map(itemgetter(0), starts or ()))
