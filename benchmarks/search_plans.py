"""Candidate plans for the first pass of a search with too many matches to rank at once.

    .venv/bin/python benchmarks/search_plans.py --path /tmp/history.sqlite3

For every query of search_scale.py whose first pass is two-stage (more matches than it ranks
in full), prints how far each plan's top 10 would agree with the full bm25 ranking, and what
the plan's ranking step costs. The plans:
- newest: rank the newest matches (what the first pass does);
- shortest: rank the shortest matches (what an indexed message length would give); bm25 of a
  common word is driven by term frequency and length, so this tests whether length alone
  finds the best matches;
- `rowid IN (...)`: the cost of asking FTS5 for bm25 over a candidate set.
The file is only read.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import search_scale  # beside this script

from desktopchat.storage import search as search_module

CANDIDATES = 400  # a first pass reads GROUP_POOL (400) hits
IN_SAMPLES = 6  # `rowid IN` takes seconds: measured on the first few queries only


def _top(db: sqlite3.Connection, table: str, expression: str, extra: str = "") -> list[int]:
    rows = db.execute(
        f"SELECT rowid FROM {table} WHERE {table} MATCH ?{extra} ORDER BY rank LIMIT 10",
        (expression,),
    )
    return [int(r[0]) for r in rows]


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
            full = set(_top(db, table, route.expression))
            newest = sorted((rowid for rowid, _ in every), reverse=True)[:cap]
            shortest = [rowid for rowid, _ in sorted(every, key=lambda r: r[1])[:cap]]
            for name, candidates in (("newest", newest), ("shortest", shortest)):
                chosen = set(candidates)
                # The plan's top 10: the full ranking restricted to its candidates.
                ranked = [
                    int(r[0])
                    for r in db.execute(
                        f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rank",
                        (route.expression,),
                    )
                    if int(r[0]) in chosen
                ][:10]
                plans[name].append(len(full & set(ranked)) / 10)
            cost = (
                _in_cost(db, table, route.expression, shortest)
                if len(in_costs) < IN_SAMPLES
                else None
            )
            if cost is not None:
                in_costs.append(cost)
            print(
                f"{kind:<14} {query[:30]!r:<34} {len(every):>7} matches:"
                f" newest {100 * plans['newest'][-1]:.0f}%,"
                f" shortest {100 * plans['shortest'][-1]:.0f}%"
                + (f", rowid IN ({CANDIDATES}) {cost:.0f} ms" if cost is not None else ""),
                flush=True,
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
