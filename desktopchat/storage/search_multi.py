"""The first pass of a word query of several parts (`python error`, `naïve résumé`, a
phrase `"on to"`) with too many matches to rank at once: bm25 over candidates.

Candidates, each scored as FTS5 scores the query:
- the lists of best matches (search_lists) of the parts' words, of a phrase's two-word pairs
  and of a prefix's words: ordered by the most a message can score (for each part, its exact
  score where a list of that part's word or pair holds it, else that list's weakest score:
  a message outside a word's top LIST_SIZE scores at most that for it), the best
  CANDIDATE_LIMIT;
- the SHORTEST shortest matches (a time-boxed walk of every match's size, sorted by FTS5's
  size record): where every word is common, the best matches hold each once in few words,
  and are in no word's list (`how do you install the`, `naïve résumé`); that walk is not
  tried when the newest-first walk's pace predicts it cannot finish in its box (`with the`);
- the NEWEST newest matches (the first pass walked them).
Those that match every part count (tf > 0 for each). The score:

    sum over parts of idf(part) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * size / avgdl))

with size FTS5's own token count, tf counted on the text as unicode61 folds it (lower case,
accents off; a word, the words starting with a prefix, a phrase's words in a row, overlapping
like FTS5's phrase instances), idf from the part's document count: a word's list's or, with
no list, the vocabulary's (at most LIST_MIN_DF documents: a quick look-up); a two-word
phrase's list's. FTS5 counts a longer phrase's or a prefix's documents by walking them all;
here a phrase takes its rarest word's count and a prefix its commonest word's, which only
weighs parts against each other (one part alone ranks the same whatever its idf).
"""

from __future__ import annotations

import heapq
import itertools
import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from typing import Protocol

from .search_guard import SearchGuard
from .search_lists import K1, B, stats, total
from .search_query import Part, Query
from .search_ranked import Routed, with_calls

CANDIDATE_LIMIT = 300  # listed messages scored (their text read and counted): ~30 µs each
NEWEST = 100  # of the newest matches walked, scored too (messages just written rank)
SHORTEST = 150  # the shortest matches, scored too
SHORTEST_BUDGET = 0.020  # seconds for finding them (every match's size is read)
# Not tried when the newest-first walk's pace predicts more than this many times the box: the
# prediction runs up to ~1.6x over (at 512k messages `naïve résumé` predicts 16-21 ms for a
# 12-16 ms walk, `with the` 85-118 ms for 52-58 ms).
PACE_MARGIN = 2.0
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_EDGE_AFTER = r"(?![^\W_])"  # no letter or digit follows


def fold(text: str) -> str:
    """Lower case without accents, as unicode61 with remove_diacritics 2 folds letters."""
    if text.isascii():
        return text.lower()
    return _MARKS.sub("", unicodedata.normalize("NFD", text.lower()))


def _pattern(part: Part) -> re.Pattern[str]:
    """Occurrences of a part in folded text (overlapping, as FTS5 counts phrase instances).

    The pattern starts with the first word itself, so the regex engine finds it by a fast
    literal search; where a word starts is checked after (a look-behind), the rest of a
    phrase is a look-ahead (so occurrences may overlap).
    """
    escaped = [re.escape(w) for w in words(part)]
    first = escaped[0] + f"(?<![^\\W_]{escaped[0]})"
    if part.kind == "prefix":
        return re.compile(first)
    rest = "".join(r"[\W_]+" + word for word in escaped[1:])
    return re.compile(first + f"(?={rest}{_EDGE_AFTER})")


def words(part: Part) -> list[str]:
    """The words of a part, folded as the word index spells them."""
    return re.findall(r"[^\W_]+", fold(part.text))


@dataclass(frozen=True)
class Walked:
    """The first pass's newest-first walk: its time and the ids it spanned."""

    seconds: float
    top: int  # the newest message id (where the walk started)
    lowest: int  # the oldest match it reached

    def whole_walk_seconds(self) -> float:
        """About what a walk of every match takes: the time it took for its share of the
        ids. A common pair (`with the`: 6,000 matches in its newest 4%) predicts ~100 ms:
        that walk, which adds nothing when it runs out of time, is not tried."""
        spanned = max(1, self.top - self.lowest + 1)
        return self.seconds * max(self.top, spanned) / spanned


class RoutedQuery(Routed, Protocol):
    """What the first pass needs of a routed query (search._Route)."""

    @property
    def query(self) -> Query: ...


def first_pass(
    db: sqlite3.Connection,
    route: RoutedQuery,
    newest: list[int],
    every: list[int] | None,
    limit: int,
    guard: SearchGuard,
    budget: float | None,
    walked: Walked | None = None,
) -> list[tuple[int, float]] | None:
    """The best `limit` candidates, with the tool calls' matches; None: no candidates.

    `every`: all the matches, when the first pass's walk saw them all; `walked`: how long
    that walk took and how far it reached."""
    table = route.tables[0]
    parts = route.query.parts
    # The shortest matches: where every part is in most messages, the best hold each once,
    # in few words. Among the matches the first pass walked (all of them, or the newest ones
    # its time allowed) their sizes are looked up (~1 µs each); when it did not see them all,
    # a walk also sorts every match by FTS5's size record (the first column first),
    # time-boxed: past the box it adds nothing.
    seen = every if every is not None else newest
    # SQLite sorts them by the size record (memcmp of big-endian varints: by the content's
    # size, then the reasoning's), twice as many as needed, and the exact totals pick the
    # SHORTEST: decoding every seen match's record in Python cost ~2.5 µs each (15 ms for
    # 6,000 matches).
    sized = [
        (total(bytes(sz)), int(rowid))
        for rowid, sz in db.execute(
            f"SELECT id, sz FROM {table}_docsize WHERE id IN (SELECT value FROM json_each(?))"
            " ORDER BY sz LIMIT ?",
            (json.dumps(seen), 2 * SHORTEST),
        )
    ]
    shortest = [rowid for _, rowid in heapq.nsmallest(SHORTEST, sized)]
    if (
        every is None
        and (walked is None or walked.whole_walk_seconds() <= PACE_MARGIN * SHORTEST_BUDGET)
        and not _own_list(db, table, parts)
    ):
        rows, complete = guard.walk(
            f"SELECT f.rowid FROM {table} AS f JOIN {table}_docsize AS d ON d.id = f.rowid"
            f" WHERE {table} MATCH ? ORDER BY d.sz LIMIT ?",
            (route.expression, SHORTEST),
            None if budget is None else SHORTEST_BUDGET,
        )
        shortest += [int(r[0]) for r in rows] if complete else []
    best = ranked(db, table, parts, newest[:NEWEST] + shortest, limit)
    return None if best is None else with_calls(db, route, best, limit, guard, budget)


def _own_list(db: sqlite3.Connection, table: str, parts: tuple[Part, ...]) -> bool:
    """True for a phrase of two words alone that has a list: that is its own best matches."""
    if len(parts) != 1 or parts[0].kind != "phrase" or len(words(parts[0])) != 2:
        return False
    row = db.execute(
        "SELECT 1 FROM search_lists WHERE tbl = ? AND term = ? AND through_id >= 0",
        (table, " ".join(words(parts[0]))),
    ).fetchone()
    return row is not None


def ranked(
    db: sqlite3.Connection,
    table: str,
    parts: tuple[Part, ...],
    always: list[int],
    limit: int,
) -> list[tuple[int, float]] | None:
    """[(message id, rank)] best first over the candidates; None when no part has a list."""
    found = stats(db, table)
    if found is None or table != "messages_fts" or not parts:
        return None
    planned = [_part_lists(db, table, part) for part in parts]
    ids = {i for plan in planned for i in plan.lists if i is not None}
    if not ids or any(not plan.lists for plan in planned):
        return None
    marks = ",".join("?" * len(ids))
    listed: dict[int, dict[int, tuple[int, int]]] = {i: {} for i in ids}
    for list_id, message_id, tf, size in db.execute(
        "SELECT list_id, message_id, tf, size FROM search_list_hits"
        f" WHERE list_id IN ({marks})",
        tuple(ids),
    ):
        listed[int(list_id)][int(message_id)] = (int(tf), int(size))
    base, per_token = K1 * (1 - B), K1 * B / found.avgdl

    def shape(tf: int, size: int) -> float:
        return tf * (K1 + 1) / (tf + base + per_token * size)

    # Each listed message's shape, computed once (the bounds below read them per part).
    shaped = {i: {rowid: shape(*v) for rowid, v in hits.items()} for i, hits in listed.items()}
    # The weakest listed shape: a message not in a word's list scores at most that for it.
    floor = {i: min(values.values(), default=K1 + 1) for i, values in shaped.items()}
    idfs = [found.idf(plan.df) for plan in planned]

    # The most each message can score for each part: a word's exact shape where its list
    # holds the message, else the list's weakest; a phrase's, the least of its words'.
    usual: list[float] = []
    known: list[dict[int, float]] = []
    for plan in planned:
        word_lists = [i for i in plan.lists if i is not None]
        if plan.prefix or not word_lists:
            usual.append(K1 + 1)
            known.append({})
            continue
        usual.append(min(floor[i] for i in word_lists))
        if len(word_lists) == 1:
            known.append(shaped[word_lists[0]])
            continue
        members = set().union(*(shaped[i].keys() for i in word_lists))
        known.append(
            {
                rowid: min(shaped[i].get(rowid, floor[i]) for i in word_lists)
                for rowid in members
            }
        )
    # Every message's bound starts from the parts' usual most, raised (or lowered) where a
    # list knows its exact shape: one pass over the listed hits, not one per part and message.
    start = sum(idf * most for idf, most in zip(idfs, usual, strict=True))
    bounds: dict[int, float] = {}
    for idf, most, here in zip(idfs, usual, known, strict=True):
        for rowid, value in here.items():
            bounds[rowid] = bounds.get(rowid, start) + idf * (value - most)

    always = list(dict.fromkeys(always))
    for rowid in always:
        bounds.pop(rowid, None)
    chosen = always + heapq.nlargest(CANDIDATE_LIMIT, bounds, key=lambda r: (bounds[r], r))
    return _scored(db, table, found.avgdl, parts, idfs, chosen)[:limit]


def _scored(
    db: sqlite3.Connection,
    table: str,
    avgdl: float,
    parts: tuple[Part, ...],
    idfs: list[float],
    chosen: list[int],
) -> list[tuple[int, float]]:
    """bm25 of the query for the candidates that match every part, best first."""
    if not chosen:
        return []
    ids = json.dumps(chosen)
    sizes = {
        int(i): total(bytes(sz))
        for i, sz in db.execute(
            f"SELECT id, sz FROM {table}_docsize WHERE id IN (SELECT value FROM json_each(?))",
            (ids,),
        )
    }
    # The rarest part first: most candidates that miss a part miss that one, and stop there.
    checks = [(words(p)[0], _pattern(p)) for p in parts]
    weighted = sorted(zip(idfs, checks, strict=True), key=lambda w: -w[0])
    base, per_token = K1 * (1 - B), K1 * B / avgdl
    scored = []
    for rowid, content, reasoning in db.execute(
        "SELECT id, content, reasoning FROM messages WHERE id IN"
        " (SELECT value FROM json_each(?)) AND state != 'streaming'",
        (ids,),
    ):
        text = fold(content) + "\n" + fold(reasoning)
        norm = base + per_token * sizes.get(int(rowid), 0)
        score = 0.0
        for idf, (literal, pattern) in weighted:
            tf = len(pattern.findall(text)) if literal in text else 0
            if not tf:
                break  # not a match of the whole query
            score += idf * tf * (K1 + 1) / (tf + norm)
        else:
            scored.append((int(rowid), -score))
    scored.sort(key=lambda item: (item[1], item[0]))
    return scored


@dataclass(frozen=True)
class _PartLists:
    lists: list[int | None]  # a word's list (None: it has none); a prefix: its words' lists
    df: int  # documents, for the part's idf
    prefix: bool


def _part_lists(db: sqlite3.Connection, table: str, part: Part) -> _PartLists:
    folded = words(part)
    if not folded:
        return _PartLists([], 1, False)
    if part.kind == "prefix":
        rows = db.execute(
            "SELECT id, df FROM search_lists WHERE tbl = ? AND term >= ? AND term < ?"
            " AND through_id >= 0 AND instr(term, ' ') = 0",
            (table, folded[0], folded[0] + "\U0010ffff"),
        ).fetchall()
        df = max((int(r[1]) for r in rows), default=1)
        return _PartLists([int(r[0]) for r in rows], df, True)
    lists: list[int | None] = []
    counts = []
    for word in folded:
        # A common word has a row once the lists were planned, with its count, even before
        # its list is built (through_id < 0).
        row = db.execute(
            "SELECT id, df, through_id FROM search_lists WHERE tbl = ? AND term = ?",
            (table, word),
        ).fetchone()
        lists.append(int(row[0]) if row is not None and int(row[2]) >= 0 else None)
        counts.append(int(row[1]) if row is not None else _vocabulary_df(db, word))
    # A phrase: the lists of its two-word pairs (search_lists plans the common ones). A
    # message holds a pair at least as often as the phrase, so it bounds the phrase too.
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(folded)]
    for pair in pairs:
        row = db.execute(
            "SELECT id, df FROM search_lists WHERE tbl = ? AND term = ? AND through_id >= 0",
            (table, pair),
        ).fetchone()
        if row is not None:
            lists.append(int(row[0]))
            if len(folded) == 2:
                counts = [int(row[1])]  # the phrase's own count
    return _PartLists(lists, min(counts), False)


def _vocabulary_df(db: sqlite3.Connection, word: str) -> int:
    """A word without a list is in at most LIST_MIN_DF messages: a quick look-up."""
    row = db.execute(
        "SELECT doc FROM messages_fts_vocab WHERE term = ?", (word,)
    ).fetchone()
    return int(row[0]) if row else 1

