"""Start-up to the first painted window: `python -m desktopchat --self-test`.

    .venv/bin/python benchmarks/startup.py [--conversations 10000] [--runs 5]

Runs the real app process on an empty data folder and on a history of
`--conversations` x 50 messages (built once with history_scale.build_history into
a cache folder and reused), and prints the app's own `ok <ms>` figure and the wall
time of the process, beside the reference `python -c "import PySide6.QtWidgets"`
measured in the same run. Budget (DESIGN.md §8): <= 1.0 s from source.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.history_scale import build_history  # noqa: E402 - needs sys.path

CACHE = Path(tempfile.gettempdir()) / "desktopchat-bench-cache"


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.pop("DESKTOPCHAT_BASEDIR", None)
    return env


def timed(args: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(args, cwd=REPO, env=environment(), capture_output=True, text=True,
                            check=False, timeout=120)
    wall = (time.perf_counter() - start) * 1000
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({result.returncode}): {result.stderr[-2000:]}")
    return wall, result.stdout.strip()


def self_test(basedir: Path, runs: int) -> tuple[float, float]:
    oks, walls = [], []
    for _ in range(runs):
        wall, out = timed([sys.executable, "-m", "desktopchat", "--self-test",
                           "--basedir", str(basedir)])
        if not out.startswith("ok "):
            raise SystemExit(f"unexpected self-test output: {out!r}")
        oks.append(float(out.split()[1]))
        walls.append(wall)
    return statistics.median(oks), statistics.median(walls)


def history_folder(conversations: int) -> Path:
    folder = CACHE / f"history-{conversations}"
    database = folder / "data" / "history.sqlite3"
    if not database.exists():
        print(f"building a {conversations}-conversation history in {folder} (once)...",
              flush=True)
        shutil.rmtree(folder, ignore_errors=True)
        database.parent.mkdir(parents=True)
        build_history(database, conversations=conversations)
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--conversations", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    big = history_folder(args.conversations)
    timed([sys.executable, "-c", "import PySide6.QtWidgets"])  # warm the file cache
    reference = statistics.median(
        timed([sys.executable, "-c", "import PySide6.QtWidgets"])[0] for _ in range(args.runs))
    with tempfile.TemporaryDirectory() as empty:
        empty_ok, empty_wall = self_test(Path(empty), args.runs)
    full_ok, full_wall = self_test(big, args.runs)
    print(f"startup (median of {args.runs}; budget 1000 ms to the first painted window)")
    print(f"  empty data folder      : ok {empty_ok:6.0f} ms | process wall {empty_wall:6.0f} ms")
    print(f"  {args.conversations} conversations: ok {full_ok:6.0f} ms | "
          f"process wall {full_wall:6.0f} ms")
    print(f"  reference: python -c 'import PySide6.QtWidgets' wall {reference:6.0f} ms")
    worst = max(empty_ok, full_ok)
    print("within budget" if worst <= 1000 else "OVER BUDGET")
    return 0


if __name__ == "__main__":
    sys.exit(main())
