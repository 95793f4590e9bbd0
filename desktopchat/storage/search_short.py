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
from collections.abc import Callable, Iterable

from .search_guard import SearchGuard
from .search_lists import K1, B, stats, total

SHORT_CHARS = 3  # parts shorter than a trigram
CHUNK = 900  # ids per IN (...)

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
) -> tuple[list[tuple[int, float]], list[int] | None] | None:
    """([(message id, rank)] best first, every match's id); None: out of time, or more than
    `most` matches in a table (scoring costs ~4 µs a match: the first pass sets a limit).

    Each table (the messages' and the tool calls' substring index) is ranked on its own; a
    reply found in both keeps its better rank, as search.py merges them. `keep` narrows a
    candidate list to the messages the search's filters allow.
    """
    deadline = None if budget is None else time.perf_counter() + budget
    best: dict[int, float] = {}
    matched: set[int] = set()
    for table in tables:
        scored = _table(db, table, [n for n in needles if n], guard, deadline, most)
        if scored is None:
            return None
        matched.update(scored)
        for rowid, rank in scored.items():
            best[rowid] = min(rank, best.get(rowid, rank))
    if keep is None:
        return heapq.nsmallest(limit, best.items(), key=_rank_order), list(matched)
    order = _kept(sorted(best.items(), key=_rank_order), keep, limit)
    return order[:limit], None


def _rank_order(item: tuple[int, float]) -> tuple[float, int]:
    return item[1], item[0]


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
) -> dict[int, float] | None:
    """{message id: rank} of every message of `table` holding every part; None: no time."""
    found = stats(db, table)
    if found is None:
        return {}
    view = _instances(db, table)
    parts: list[Occurrences] = []
    for text in needles:
        counted = _occurrences(view, text, guard, deadline)
        if counted is None:
            return None
        if not counted:
            return {}  # AND with a part found nowhere
        parts.append(counted)
    parts.sort(key=len)
    matches = [rowid for rowid in parts[0] if all(rowid in other for other in parts[1:])]
    if most is not None and len(matches) > most:
        return None
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
        }
    weighted = list(zip(idfs, parts, strict=True))
    out = {}
    for rowid, sz in rows:
        norm = base + per_token * total(bytes(sz))
        out[int(rowid)] = -sum(idf * p[rowid] * (K1 + 1) / (p[rowid] + norm) for idf, p in weighted)
    return out


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
    if len(text) < SHORT_CHARS:
        rows, complete = guard.walk(
            f"SELECT doc FROM {view} WHERE term >= ? AND term < ?",
            (text, text + "\U0010ffff"),
            _left(deadline),
        )
        if not complete:
            return None
        counts: Occurrences = {}
        for (doc,) in rows:
            counts[doc] = counts.get(doc, 0) + 1
        return counts
    # A phrase of trigrams: the first at an offset, the j-th at that offset + j.
    grams = [text[i : i + SHORT_CHARS] for i in range(len(text) - SHORT_CHARS + 1)]
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
    counts = {}
    for doc, _, _ in starts or ():
        counts[doc] = counts.get(doc, 0) + 1
    return counts
