"""Search at scale: the migration that builds the substring index, every query kind, ranking.

Run through benchmarks/history_scale.py (it builds the history and calls these). Figures:
- the upgrade that adds the trigram index: time (with the copy made before it) and growth;
- the lists of each common term's best matches (search_lists), built as the search worker
  builds them while idle: time and growth;
- per query kind (rare, medium, common words, multi-word, phrases, prefixes, CJK, emoji,
  other scripts, hostile text): p50 / p95 / max of what the search worker runs first, beside
  the budget (p95 <= 50 ms, max <= 150 ms) and, for the two-stage queries, the full pass;
- the first query after start-up, in a fresh process (budget 150 ms);
- ranking agreement per query kind, every kind beside the 90% budget: top 10 of the first
  pass against the full ranking, over the queries whose first pass is two-stage (the others
  ranked every match at once and agree by construction: counted and shown as such); a
  message counts when its full score is at least the 10th best's, so ties at the 10th place
  do not count against a plan. The full ranking is the search's exhaustive pass: FTS5's
  bm25 over every match, except for a substring part of one or two characters (的, 🚀),
  where FTS5's bm25 of the OR of trigrams is no ranking of the part; there each part is one
  term (storage/search_short.py explains why).
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

from desktopchat.storage import search as search_module
from desktopchat.storage import search_lists
from desktopchat.storage.models import SearchFilters
from desktopchat.storage.search_guard import FIRST_PASS_BUDGET, SearchGuard
from desktopchat.storage.store import HistoryStore

ROOT = Path(__file__).resolve().parents[1]
RUNS = 3  # per query, after one warm-up run (a second keystroke finds the pages cached)
FIXED_KINDS: dict[str, list[str]] = {
    "multi-word": [
        "async await",
        "json string value",
        "database index",
        "retry proxy",
        "render markdown window",
        "python error",
        "with the",
        "how do you install the",
        "server request timeout",
        "streaming response " * 20,
    ],
    "prefix": ["stre*", "conn*", "pyth*", "data*", "req*", "mod*", "ser*", "thr*", "ka*", "qua*"],
    "CJK": [
        "数据库",
        "搜索",
        "検索",
        "テキスト",
        "数",
        "的",
        "服务器错误",
        "データベース",
        '"连接超时"',
        "日本語 検索",
    ],
    "emoji": ["🚀", "🎉", "❤️", "👩‍💻", "🐍 python", "✅", "🚀 deploy", "🤔"],
    "other scripts": ["база данных", "сервер", "café", "cafe", "Straße", "naïve résumé"],
    "hostile": ["c++ / foo?", "NEAR(a b) AND OR NOT", 'unbalanced "quote', "zzqxvbn", "\\ % _"],
}


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _line(what: str, value: str, budget: str, reference: str) -> None:
    print(f"{what:<34} {value:>22}   budget {budget:<18} {reference}")


def migrate(path: Path) -> None:
    """Open an older file: the upgrade builds the substring index, reporting progress."""
    before = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    marks: list[str] = []
    t0 = time.perf_counter()

    def progress(step: str, fraction: float) -> None:
        if not marks or fraction >= 1.0 or fraction - float(marks[-1].split()[1]) >= 0.25:
            marks.append(f"{step} {fraction:.2f} at {time.perf_counter() - t0:.1f}s")

    store = HistoryStore.open(path, progress=progress)
    seconds = time.perf_counter() - t0
    backup = store.backup_path
    store.close()
    sqlite3.connect(str(path)).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    after = sum(
        p.stat().st_size for p in path.parent.glob(path.name + "*") if ".bak-" not in p.name
    )
    print("progress: " + "; ".join(dict.fromkeys(marks)))
    _line(
        "upgrade: build substring index",
        f"{seconds:.1f} s",
        "<= 60 s",
        f"incl. copy aside ({backup.name if backup else 'none'})",
    )
    _line(
        "file growth",
        f"+{(after - before) / 1e6:.1f} MB",
        "-",
        f"{before / 1e6:.1f} MB -> {after / 1e6:.1f} MB (+{100 * (after - before) / before:.0f}%)",
    )
    if backup:
        backup.unlink()
    db = sqlite3.connect(str(path), isolation_level=None)
    t0 = time.perf_counter()
    built = search_lists.build_all(db)
    seconds = time.perf_counter() - t0
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    grown = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    _line(
        "build search lists (idle worker)",
        f"{seconds:.1f} s",
        "- (background)",
        f"{built - 1} lists (one term each, stoppable between and within)",
    )
    _line(
        "file growth (lists)",
        f"+{(grown - after) / 1e6:.1f} MB",
        "-",
        f"{after / 1e6:.1f} MB -> {grown / 1e6:.1f} MB (+{100 * (grown - after) / after:.0f}%)",
    )


def _vocab_kinds(db: sqlite3.Connection, rng: random.Random) -> dict[str, list[str]]:
    """Words picked by how many messages hold them, and phrases seen in the text."""
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.bench_vocab"
        " USING fts5vocab(main, messages_fts, 'row')"
    )

    def pick(lo: int, hi: int, n: int) -> list[str]:
        rows = db.execute(
            "SELECT term FROM temp.bench_vocab WHERE doc BETWEEN ? AND ? AND length(term) > 2",
            (lo, hi),
        ).fetchall()
        return rng.sample([r[0] for r in rows], min(n, len(rows)))

    phrases: list[str] = []
    top = db.execute("SELECT max(id) FROM messages").fetchone()[0]
    while len(phrases) < 10:
        row = db.execute(
            "SELECT content FROM messages WHERE id = ?", (rng.randint(1, top),)
        ).fetchone()
        words = row[0].split() if row else []
        if len(words) > 4 and all(w.isalpha() for w in words[1:3]):
            phrases.append(f'"{words[1]} {words[2]}"')
    # Thresholds as shares of the history (at 500k messages: <= 100, 2k-20k, >= 50k).
    n = top
    return {
        "rare words": pick(2, max(2, n // 5000), 10),
        "medium words": pick(n // 250, n // 25, 10),
        "common words": pick(n // 10, 10**9, 10),
        "phrase": phrases,
    }


def _top10(
    db: sqlite3.Connection, query: str, *, exhaustive: bool, n: int = 10
) -> list[tuple[int, float]]:
    """The n best (message id, rank) as the first pass (time-boxed) or the full pass ranks."""
    route = search_module._route(db, query)
    if route is None:
        return []
    with SearchGuard(db) as guard:
        ranked, _, _ = search_module._ranked(
            db, route, SearchFilters(), n, exhaustive, guard, FIRST_PASS_BUDGET
        )
    return ranked


def agreement(quick: list[tuple[int, float]], full: list[tuple[int, float]]) -> float:
    """Share of the first pass's 10 that are among the full ranking's best 10 (ties at the
    10th place included: a message the full ranking scores as its 10th is as good a 10th)."""
    if len(full) < 10:
        return 1.0 if {r for r, _ in quick} == {r for r, _ in full} else 0.0
    tenth = full[9][1]
    score = dict(full)  # the full ranking's own scores (its best 400)
    good = [r for r, _ in quick[:10] if r in score and score[r] <= tenth + 1e-9 * abs(tenth)]
    return len(good) / 10


def first_query_in_new_process(path: Path, query: str) -> float:
    code = (
        "import sys, time; sys.path.insert(0, sys.argv[1]);"
        "from desktopchat.storage.store import HistoryStore;"
        "s = HistoryStore.open(sys.argv[2]); t = time.perf_counter();"
        "s.search_grouped(sys.argv[3]); print((time.perf_counter() - t) * 1000)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(ROOT), str(path), query],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip())


def measure(path: Path, seed: int = 1) -> None:
    store = HistoryStore.open(path)
    db = store._db  # the same connection the store reads with
    kinds = _vocab_kinds(db, random.Random(seed)) | FIXED_KINDS
    all_first: list[float] = []
    agreed: dict[str, list[float]] = {}
    counted: dict[str, int] = {}  # queries per kind
    full_pass: list[float] = []
    slowest: list[tuple[float, str]] = []
    for kind, queries in kinds.items():
        if not queries:
            continue
        times = []
        for q in queries:
            store.search_grouped(q)  # warm-up
            runs = []
            for _ in range(RUNS):
                t0 = time.perf_counter()
                results = store.search_grouped(q)
                runs.append((time.perf_counter() - t0) * 1000)
            t = statistics.median(runs)
            times.append(t)
            slowest.append((t, q))
            counted[kind] = counted.get(kind, 0) + 1
            if results.exact:
                continue  # the first pass ranked every match: nothing to compare
            t0 = time.perf_counter()
            store.search_grouped(q, exhaustive=True)
            full_pass.append((time.perf_counter() - t0) * 1000)
            quick = _top10(db, q, exhaustive=False)
            full = _top10(db, q, exhaustive=True, n=search_module.GROUP_POOL)
            if len(full) >= 10:
                agreed.setdefault(kind, []).append(agreement(quick, full))
        all_first += times
        _line(
            f"search: {kind} ({len(times)})",
            f"p50 {statistics.median(times):.1f} p95 {_percentile(times, 0.95):.1f}"
            f" max {max(times):.1f} ms",
            "p95<=50 max<=150",
            "",
        )
    ref = _reference(db)
    _line(
        f"search: all kinds ({len(all_first)})",
        f"p50 {statistics.median(all_first):.1f} p95 {_percentile(all_first, 0.95):.1f}"
        f" max {max(all_first):.1f} ms",
        "p95<=50 max<=150",
        ref,
    )
    for t, q in sorted(slowest, reverse=True)[:3]:
        print(f"    slowest: {q[:40]!r} {t:.1f} ms")
    if full_pass:
        _line(
            f"full ranking pass ({len(full_pass)} queries)",
            f"p50 {statistics.median(full_pass):.0f} max {max(full_pass):.0f} ms",
            "- (2nd stage)",
            "replaces the first pass on the worker thread; cancelled by the next keystroke",
        )
    for kind, queries in kinds.items():
        if not queries or kind == "hostile":
            continue
        values = agreed.get(kind, [])
        exact = counted[kind] - len(values)
        _line(
            f"top-10 agreement: {kind}",
            f"{100 * statistics.mean(values):.0f}% worst {100 * min(values):.0f}%"
            if values
            else "100% (all exact)",
            ">= 90%",
            f"1st pass vs full bm25 over {len(values)} two-stage queries;"
            f" {exact} ranked all matches at once",
        )
    every = [a for values in agreed.values() for a in values]
    exact = len(all_first) - len(every)
    _line(
        "top-10 agreement, 1st pass vs full",
        f"{100 * statistics.mean(every):.1f}% worst {100 * min(every):.0f}%" if every else "n/a",
        ">= 90%",
        f"over the {len(every)} two-stage queries ({exact} others ranked all matches"
        " at once: 100%); the full pass replaces the first",
    )
    store.close()
    first = first_query_in_new_process(path, "database")
    first_cjk = first_query_in_new_process(path, "数据库")
    _line(
        "first query after start (new proc)",
        f"{first:.1f} / {first_cjk:.1f} ms",
        "<= 150 ms",
        "'database' / '数据库'",
    )


def _reference(db: sqlite3.Connection) -> str:
    t0 = time.perf_counter()
    db.execute("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'database'").fetchone()
    count_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    db.execute("SELECT id FROM messages WHERE content LIKE '%数据库%' LIMIT 50").fetchall()
    like_ms = (time.perf_counter() - t0) * 1000
    return f"reference: MATCH count 'database' {count_ms:.1f} ms, LIKE '%数据库%' {like_ms:.0f} ms"
