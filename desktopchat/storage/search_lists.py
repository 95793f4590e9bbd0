"""Lists of the best matches of each common term, kept beside the search indexes.

A word in most messages (`the`: 421k of 512k) costs FTS5 a second to rank in full, so the
first pass of such a search cannot rank every match. For each term in more than LIST_MIN_DF
messages we keep the LIST_SIZE messages where bm25 ranks it highest, with the term's count
in the message (tf) and the message's length in tokens: bm25 of a one-term query over those
is exactly its top LIST_SIZE (search_ranked.py), in about a millisecond.

A "term" here is what one query part can be, each keyed by its spelling in `term`:
- a word (`python`) or a trigram (`数据库`, substring index `messages_tri`): the index's
  vocabulary says which are common;
- a 3-letter prefix (`qua*`): FTS5's prefix index ranks it as one term; common when its words
  are in more than LIST_MIN_DF messages together (a prefix of hundreds of rare words);
- a one- or two-character run of unspaced text (`的`, `搜索`, in `messages_tri`): ranked as one
  term by search_short; common when the trigrams that begin with it are;
- a two-word phrase (`on to`): common when a sample of messages says so (search_list_terms) (no
  index counts pairs); its list is the phrase's top, and bounds longer phrases.
The last three kinds came after the first two: a history planned before gets
a planner row of its own for them (SHORT_PLAN).

Kept current without tokenizing anything in a trigger (pure SQL, whatever connection writes):
- a list knows the last message id it considered (`through_id`); messages added since are
  matched at query time with `rowid > through_id`, a short walk;
- a message deleted loses its rows at once (trigger);
- a message whose text changes (an edit, a reply that stops streaming) loses its rows and is
  noted in `search_list_changes`; a query scores noted messages afresh;
- a list is rebuilt once STALE_AFTER messages were added since it was built, and the terms
  are looked up again then (a word that became common gets its list).

Building reads each common term's whole doclist through FTS5's bm25 (~2 µs a match: 40 s for
the 1,270 common words and trigrams of 512k messages, about as much again for the prefixes,
runs and pairs, more on a loaded machine), which is more than an
upgrade may take, so the lists are built off the UI thread: `build_step` makes one list and is
called by the search worker while nobody is typing (ui/search_worker.py), and by the
benchmarks. Until a term's list exists its queries take the newest matches first, then the
full ranking, as before. The schema written by `create` is that of migration 008 (009 adds
an index on `through_id`, which every insert asks for).
"""

from __future__ import annotations

import math
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass

from . import search_list_terms

LIST_SIZE = 400  # the first pass reads 400 hits (search.GROUP_POOL)
LIST_MIN_DF = 6_000  # search.FULL_RANK_LIMIT: fewer matches are ranked in full at once
STALE_AFTER = 2_000  # messages added since a list was built before it is rebuilt
TABLES = ("messages_fts", "messages_tri")
K1, B = 1.2, 0.75  # FTS5's bm25 constants (fts5_aux.c)
SHORT_PLAN = "runs+prefixes+pairs"  # the planner row (tbl '') for short runs and 3-letter prefixes


def create(db: sqlite3.Connection) -> None:
    """Tables, the word index's vocabulary view and the triggers (migration 008)."""
    db.execute(
        "CREATE TABLE search_lists (id INTEGER PRIMARY KEY, tbl TEXT NOT NULL,"
        " term TEXT NOT NULL, df INTEGER NOT NULL, through_id INTEGER NOT NULL,"
        " built_at REAL NOT NULL, UNIQUE (tbl, term))"
    )
    db.execute(
        "CREATE TABLE search_list_hits (list_id INTEGER NOT NULL, message_id INTEGER NOT NULL,"
        " tf INTEGER NOT NULL, size INTEGER NOT NULL, PRIMARY KEY (list_id, message_id))"
        " WITHOUT ROWID"
    )
    db.execute("CREATE INDEX search_list_hits_by_message ON search_list_hits(message_id)")
    db.execute("CREATE TABLE search_list_changes (message_id INTEGER PRIMARY KEY, at REAL)")
    # The row that records when the common terms were last looked up (tbl '').
    db.execute(
        "INSERT INTO search_lists(tbl, term, df, through_id, built_at) VALUES ('', '', 0, -1, 0)"
    )
    db.execute("CREATE VIRTUAL TABLE messages_fts_vocab USING fts5vocab(messages_fts, 'row')")
    covered = "(SELECT coalesce(max(through_id), 0) FROM search_lists)"
    noted = (
        "DELETE FROM search_list_hits WHERE message_id = {row}.id; "
        "INSERT OR REPLACE INTO search_list_changes(message_id, at)"
        " SELECT {row}.id, (julianday('now') - 2440587.5) * 86400.0"
        " WHERE {row}.id <= " + covered + "; "
    )
    db.execute(
        "CREATE TRIGGER search_lists_delete AFTER DELETE ON messages BEGIN "
        "DELETE FROM search_list_hits WHERE message_id = old.id; "
        "DELETE FROM search_list_changes WHERE message_id = old.id; END"
    )
    # Text that changes (or starts being indexed) while a list already covers its id.
    db.execute(
        "CREATE TRIGGER search_lists_update AFTER UPDATE OF content, reasoning, state"
        " ON messages WHEN old.state != 'streaming' OR new.state != 'streaming' BEGIN "
        + noted.format(row="old")
        + "END"
    )
    # An id can be taken again once the newest message was deleted.
    db.execute(
        f"CREATE TRIGGER search_lists_insert AFTER INSERT ON messages WHEN new.id <= {covered}"
        " BEGIN " + noted.format(row="new") + "END"
    )


@dataclass(frozen=True)
class Stats:
    """What FTS5's bm25 reads for every query: documents and their average length."""

    rows: int
    avgdl: float

    def idf(self, df: int) -> float:
        value = math.log((self.rows - df + 0.5) / (df + 0.5))
        return value if value > 0 else 1e-6  # as FTS5 does for a term in most documents

    def score(self, idf: float, tf: int, size: int) -> float:
        """bm25 of one term, positive (FTS5's rank is its negative)."""
        return idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * size / self.avgdl))


def varints(blob: bytes) -> list[int]:
    """SQLite's big-endian varints, as FTS5 writes its sizes and averages."""
    out, i = [], 0
    while i < len(blob):
        value = 0
        for j in range(9):
            byte = blob[i]
            i += 1
            if j == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        out.append(value)
    return out


def stats(db: sqlite3.Connection, table: str) -> Stats | None:
    """Row count and mean length from FTS5's averages record (None for an empty index)."""
    row = db.execute(f"SELECT block FROM {table}_data WHERE id = 1").fetchone()
    numbers = varints(bytes(row[0])) if row and row[0] else []
    if not numbers or numbers[0] <= 0:
        return None
    return Stats(numbers[0], max(1e-9, sum(numbers[1:]) / numbers[0]))


def sizes(db: sqlite3.Connection, table: str, ids: list[int]) -> dict[int, int]:
    """Each message's length in tokens, as bm25 counts it (every column)."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = db.execute(f"SELECT id, sz FROM {table}_docsize WHERE id IN ({marks})", ids)
    return {int(i): total(bytes(sz)) for i, sz in rows}


def total(sizes: bytes) -> int:
    """The sum of a docsize record's varints (sizes never reach the 9-byte form)."""
    if not sizes or max(sizes) < 0x80:
        return sum(sizes)  # every size one byte: the usual case, summed at once
    out = value = 0
    for byte in sizes:
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            out += value
            value = 0
    return out


def quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _vocab(table: str) -> str:
    return "messages_fts_vocab" if table == "messages_fts" else "messages_tri_vocab"


def _top_id(db: sqlite3.Connection) -> int:
    return int(db.execute("SELECT coalesce(max(id), 0) FROM messages").fetchone()[0])


def _plan(db: sqlite3.Connection) -> None:
    """Note every common term that has no list yet (built later, one per step)."""
    for table in TABLES:
        db.execute(
            "INSERT OR IGNORE INTO search_lists(tbl, term, df, through_id, built_at)"
            f" SELECT ?, term, doc, -1, 0 FROM {_vocab(table)} WHERE doc > ?",
            (table, LIST_MIN_DF),
        )


def build_step(db: sqlite3.Connection, stop: Callable[[], bool] | None = None) -> bool:
    """Build or refresh one list; False when every list is current (nothing was done).

    `stop` is polled while SQLite reads (a search wants the connection): the step then ends
    with sqlite3.OperationalError("interrupted") and nothing is written.
    """
    if stop is not None:
        if stop():
            raise sqlite3.OperationalError("interrupted")  # a search is already waiting
        db.set_progress_handler(lambda: 1 if stop() else 0, 1000)
    try:
        return _step(db)
    finally:
        if stop is not None:
            db.set_progress_handler(None, 0)


def _step(db: sqlite3.Connection) -> bool:
    top = _top_id(db)
    if top <= LIST_MIN_DF:
        return False  # no term can be in more messages than there are
    # The look-up of short runs (search_short) came after lists were first planned: a history
    # planned before gets a planner row of its own for them, due at once.
    planned = "SELECT 1 FROM search_lists WHERE tbl = '' AND term = ?"
    if db.execute(planned, (SHORT_PLAN,)).fetchone() is None:
        db.execute("BEGIN IMMEDIATE")
        db.execute("DELETE FROM search_lists WHERE tbl = '' AND term NOT IN ('', ?)", (SHORT_PLAN,))
        db.execute(
            "INSERT OR IGNORE INTO search_lists(tbl, term, df, through_id, built_at)"
            " VALUES ('', ?, 0, -1, 0)",
            (SHORT_PLAN,),
        )
        db.execute("COMMIT")
    # The oldest first; the look-up of common terms (tbl '') before the lists of its round.
    wanted = db.execute(
        "SELECT id, tbl, term FROM search_lists WHERE through_id < 0 OR through_id < ?"
        " ORDER BY through_id, tbl LIMIT 1",
        (top - STALE_AFTER,),
    ).fetchone()
    if wanted is None:
        return False
    list_id, table, term = int(wanted[0]), str(wanted[1]), str(wanted[2])
    if table:
        _build_one(db, list_id, table, term)
        return True
    db.execute("BEGIN IMMEDIATE")
    try:
        if term == SHORT_PLAN:
            db.executemany(
                "INSERT OR IGNORE INTO search_lists(tbl, term, df, through_id, built_at)"
                " VALUES ('messages_tri', ?, ?, -1, 0)",
                search_list_terms.short_runs(db, LIST_MIN_DF).items(),
            )
            db.executemany(
                "INSERT OR IGNORE INTO search_lists(tbl, term, df, through_id, built_at)"
                " VALUES ('messages_fts', ?, ?, -1, 0)",
                [
                    *search_list_terms.prefixes(db, LIST_MIN_DF).items(),
                    *search_list_terms.pairs(db, top, LIST_MIN_DF).items(),
                ],
            )
        else:
            _plan(db)
        db.execute(
            "UPDATE search_lists SET through_id = ?, built_at = ? WHERE id = ?",
            (top, time.time(), list_id),
        )
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return True


def build_all(db: sqlite3.Connection, progress: Callable[[int, int], None] | None = None) -> int:
    """Every list at once (the benchmarks; the app builds them one step at a time)."""
    done = 0
    while build_step(db):
        done += 1
        if progress is not None:
            left = db.execute("SELECT count(*) FROM search_lists WHERE through_id < 0").fetchone()[
                0
            ]
            progress(done, int(left))
    return done


def _build_one(
    db: sqlite3.Connection,
    list_id: int,
    table: str,
    term: str,
) -> None:
    started = time.time()
    hits = []
    db.execute("BEGIN")  # one snapshot for the count, the ranking and the sizes
    try:
        through = _top_id(db)
        found = stats(db, table)
        if table == "messages_tri" and len(term) < 3:
            from . import search_short  # it ranks with this module's formula

            df, best = search_short.best(db, table, term, LIST_SIZE)
            hits = [(list_id, rowid, tf, size) for rowid, tf, size in best]
        else:
            match = quoted(term[:-1]) + "*" if term.endswith("*") else quoted(term)
            if term.endswith("*") or " " in term:  # a prefix, a phrase: FTS5 counts them
                row = db.execute(
                    f"SELECT count(*) FROM {table} WHERE {table} MATCH ?", (match,)
                ).fetchone()
            else:
                row = db.execute(
                    f"SELECT doc FROM {_vocab(table)} WHERE term = ?", (term,)
                ).fetchone()
            df = int(row[0]) if row else 0
            ranked = db.execute(
                f"SELECT rowid, rank FROM {table} WHERE {table} MATCH ? ORDER BY rank LIMIT ?",
                (match, LIST_SIZE),
            ).fetchall()
            lengths = sizes(db, table, [int(r[0]) for r in ranked])
            if found is not None and df:
                idf = found.idf(df)
                for rowid, rank in ranked:
                    size = lengths.get(int(rowid), 0)
                    hits.append((list_id, int(rowid), _tf(found, idf, -float(rank), size), size))
    finally:
        db.execute("COMMIT")
    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute("DELETE FROM search_list_hits WHERE list_id = ?", (list_id,))
        # A message deleted since the snapshot is not listed again.
        db.executemany(
            "INSERT INTO search_list_hits(list_id, message_id, tf, size) SELECT ?, ?, ?, ?"
            " WHERE EXISTS (SELECT 1 FROM messages WHERE id = ?2)",
            hits,
        )
        db.execute(
            "UPDATE search_lists SET df = ?, through_id = ?, built_at = ? WHERE id = ?",
            (df, through, started, list_id),
        )
        # Changes every list has seen since are of no more use.
        db.execute(
            "DELETE FROM search_list_changes WHERE at < (SELECT min(built_at) FROM search_lists"
            " WHERE tbl != '')"
        )
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _tf(found: Stats, idf: float, score: float, size: int) -> int:
    """The term's count in a message, read back from its bm25 score and length."""
    norm = K1 * (1 - B + B * size / found.avgdl)
    share = score / idf
    if share >= K1 + 1:
        return 1
    return max(1, round(share * norm / (K1 + 1 - share)))
