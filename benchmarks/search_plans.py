"""Candidate plans for the first pass of a search with too many matches to rank at once.

    .venv/bin/python benchmarks/search_plans.py --path /tmp/history.sqlite3

For every query of search_scale.py whose first pass is two-stage (more matches than it ranks
in full), prints how far each plan's top 10 would agree with the full bm25 ranking, and what
the plan's ranking step costs. The plans:
- newest: rank the newest matches (what the first pass does);
- shortest: rank the shortest matches (what an indexed message length would give); bm25 of a
  common word is driven by term frequency and length, so this tests whether length alone
  finds the best matches;
- lists N: the union of the best N matches of each of the query's terms (what per-term lists
  of best matches, storage/search_lists.py, would offer a query of several terms, a phrase, a
  prefix or a substring; one-term queries use their own list and agree by construction), for
  N = 400 (the lists kept) and 1,000; terms in fewer than LIST_MIN_DF messages bring all their
  matches when they are in at most 300;
- lists+short: lists 400, and the 50 shortest matches (by characters) of a query with at most
  20,000 matches (a next step for queries of several words and phrases);
- `rowid IN (...)`: the cost of asking FTS5 for bm25 over a candidate set.
A plan's top 10 is the full ranking restricted to its candidates; a message counts as agreeing
when its full bm25 score is at least the 10th best's (ties). The file is only read.
"""

from __future__ import annotations

import argparse
import random
import re
import sqlite3
import statistics
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import search_scale  # beside this script

from desktopchat.storage import search as search_module
from desktopchat.storage import search_lists

CANDIDATES = 400  # a first pass reads GROUP_POOL (400) hits
IN_SAMPLES = 6  # `rowid IN` takes seconds: measured on the first few queries only
LIST_SIZES = (400, 1000)
SMALL_TERM = 300  # an unlisted term this rare brings every match as a candidate
SHORT, SHORT_WALK = 50, 20_000  # lists+short: the 50 shortest of at most 20,000 matches


class Lists:
    """Each term's best matches by its own bm25, computed once per term (FTS5, read only)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self._best: dict[tuple[str, str], list[int]] = {}
        self._df: dict[tuple[str, str], int] = {}
        for table in search_lists.TABLES:
            db.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.v_{table}"
                f" USING fts5vocab(main, {table}, 'row')"
            )

    def df(self, table: str, term: str) -> int:
        if (table, term) not in self._df:
            row = self.db.execute(
                f"SELECT doc FROM temp.v_{table} WHERE term = ?", (term,)
            ).fetchone()
            self._df[(table, term)] = int(row[0]) if row else 0
        return self._df[(table, term)]

    def best(self, table: str, term: str, n: int) -> list[int]:
        if (table, term) not in self._best:
            rows = self.db.execute(
                f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rank LIMIT ?",
                (search_lists.quoted(term), max(LIST_SIZES)),
            )
            self._best[(table, term)] = [int(r[0]) for r in rows]
        return self._best[(table, term)][:n]

    def candidates(self, route: search_module._Route, n: int) -> set[int]:
        found: set[int] = set()
        table = route.table
        for term in self.terms(route):
            df = self.df(table, term)
            if df > search_lists.LIST_MIN_DF:
                found.update(self.best(table, term, n))
            elif df <= SMALL_TERM:
                found.update(
                    int(r[0])
                    for r in self.db.execute(
                        f"SELECT rowid FROM {table} WHERE {table} MATCH ?",
                        (search_lists.quoted(term),),
                    )
                )
        return found

    def terms(self, route: search_module._Route) -> list[str]:
        """The index terms of a query: its words, a prefix's words, a substring's trigrams."""
        out: list[str] = []
        if route.table == "messages_fts":
            for part in route.query.parts:
                folded = unicodedata.normalize("NFD", part.text.lower())
                text = "".join(c for c in folded if unicodedata.category(c) != "Mn")
                if part.kind == "prefix":
                    rows = self.db.execute(
                        "SELECT term FROM temp.v_messages_fts WHERE term >= ? AND term < ?",
                        (text, text + "\U0010ffff"),
                    )
                    out += [r[0] for r in rows]
                else:
                    out += text.split()
            return out
        for quoted in re.findall(r'"((?:[^"]|"")*)"', route.expression):
            text = quoted.replace('""', '"')
            out += [text[i : i + 3] for i in range(len(text) - 2)]
        return out


def _in_cost(db: sqlite3.Connection, table: str, expression: str, ids: list[int]) -> float:
    """Milliseconds for bm25 over these candidates, asked of FTS5 with `rowid IN (...)`."""
    ids = ids[:CANDIDATES]
    marks = ",".join("?" * len(ids))
    t0 = time.perf_counter()
    db.execute(
        f"SELECT rowid FROM {table} WHERE {table} MATCH ? AND rowid IN ({marks})"
        " ORDER BY rank LIMIT 10",
        (expression, *ids),
    ).fetchall()
    return (time.perf_counter() - t0) * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--path", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    db = sqlite3.connect(f"file:{args.path}?mode=ro", uri=True)
    kinds = search_scale._vocab_kinds(db, random.Random(args.seed)) | search_scale.FIXED_KINDS
    plans: dict[str, list[float]] = {"newest": [], "shortest": []}
    by_kind: dict[tuple[str, str], list[float]] = {}
    lists = Lists(db)
    in_costs: list[float] = []
    for kind, queries in kinds.items():
        for query in queries:
            route = search_module._route(db, query)
            if route is None:
                continue
            table, cap = route.table, route.rank_limit
            every = [
                (int(r[0]), int(r[1]))
                for r in db.execute(
                    f"SELECT f.rowid, length(m.content) + length(m.reasoning) FROM {table} AS f"
                    f" JOIN messages AS m ON m.id = f.rowid WHERE {table} MATCH ?",
                    (route.expression,),
                )
            ]
            if len(every) <= cap:
                continue  # ranked in full by the first pass
            scores = db.execute(
                f"SELECT rowid, rank FROM {table} WHERE {table} MATCH ? ORDER BY rank",
                (route.expression,),
            ).fetchall()
            tenth = float(scores[9][1])
            newest = sorted((rowid for rowid, _ in every), reverse=True)[:cap]
            shortest = [rowid for rowid, _ in sorted(every, key=lambda r: r[1])[:cap]]
            offers = [("newest", set(newest)), ("shortest", set(shortest))]
            offers += [(f"lists {n}", lists.candidates(route, n)) for n in LIST_SIZES]
            # Lists, and the few shortest matches by characters when the matches are few
            # enough to walk (an index on length would give them).
            few = [r for r, _ in sorted(every, key=lambda r: r[1])[:SHORT]]
            offers.append(
                ("lists+short", offers[2][1] | (set(few) if len(every) <= SHORT_WALK else set()))
            )
            for name, chosen in offers:
                # The plan's top 10: the full ranking restricted to its candidates.
                ranked = [float(rank) for rowid, rank in scores if int(rowid) in chosen][:10]
                share = sum(1 for rank in ranked if rank <= tenth + 1e-9 * abs(tenth)) / 10
                plans.setdefault(name, []).append(share)
                if name.startswith("lists"):
                    by_kind.setdefault((kind, name), []).append(share)
            cost = (
                _in_cost(db, table, route.expression, shortest)
                if len(in_costs) < IN_SAMPLES
                else None
            )
            if cost is not None:
                in_costs.append(cost)
            print(
                f"{kind:<14} {query[:30]!r:<34} {len(every):>7} matches:"
                + ",".join(f" {name} {100 * plans[name][-1]:.0f}%" for name in plans)
                + (f", rowid IN ({CANDIDATES}) {cost:.0f} ms" if cost is not None else ""),
                flush=True,
            )
    for (kind, n), values in by_kind.items():
        print(
            f"{n:<11} {kind:<14} top-10 agreement {100 * statistics.mean(values):.0f}%"
            f" (worst {100 * min(values):.0f}%) over {len(values)} queries; budget >= 90%"
        )
    for name, values in plans.items():
        print(
            f"plan {name:<9} top-10 agreement {100 * statistics.mean(values):.1f}%"
            f" (worst {100 * min(values):.0f}%) over {len(values)} two-stage queries;"
            f" budget >= 90%"
        )
    print(
        f"bm25 over {CANDIDATES} candidates by rowid IN (...): p50"
        f" {statistics.median(in_costs):.0f} ms, max {max(in_costs):.0f} ms; budget p95 <= 50 ms"
    )


if __name__ == "__main__":
    main()
