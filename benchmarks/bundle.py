"""Packaged app: bundle size and `--self-test` start-up, beside the same app run from source.

    .venv/bin/python benchmarks/bundle.py                       # builds into a temp folder
    .venv/bin/python benchmarks/bundle.py --bundle dist/desktopchat --runs 9

Budgets (DESIGN.md §8): one-dir bundle <= 130 MB, cold start <= 1.5 s. Page caches cannot
be dropped here, so "first" is the first run after the build (closest to cold) and
"median" the warm figure; the reference is `python -m desktopchat --self-test` from the
source tree measured in the same run. The app's own `ok <ms>` (time from main() to the
first painted window) is shown beside the wall-clock time of the whole process.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "packaging"))

import buildinfo  # noqa: E402  (packaging/ is a folder of scripts, not a package)


def self_test(command: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock seconds and the app's own reported ms for each of `runs` runs."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    walls, inner = [], []
    with tempfile.TemporaryDirectory(prefix="desktopchat-bench-") as base:
        for _ in range(runs):
            started = time.perf_counter()
            result = subprocess.run(
                [*command, "--self-test", "--basedir", base],
                capture_output=True, text=True, env=env, timeout=120, cwd=ROOT,
            )
            walls.append(time.perf_counter() - started)
            words = result.stdout.split()
            if result.returncode != 0 or words[:1] != ["ok"]:
                raise SystemExit(f"{command[0]} --self-test failed:\n{result.stderr[-3000:]}")
            inner.append(float(words[1]) if len(words) > 1 else float("nan"))
    return walls, inner


def row(label: str, walls: list[float], inner: list[float]) -> str:
    return (
        f"  {label:<32} first {walls[0]:6.2f} s   median {statistics.median(walls):6.2f} s"
        f"   (app's own: first {inner[0]:.0f} ms, median {statistics.median(inner):.0f} ms)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, help="an existing dist/desktopchat to measure")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    scratch = None
    if args.bundle is None:
        scratch = Path(tempfile.mkdtemp(prefix="desktopchat-bundle-"))
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, str(ROOT / "packaging" / "build.py"),
             "--distpath", str(scratch / "dist"), "--workpath", str(scratch / "work")],
            check=True, cwd=ROOT,
        )
        print(f"build: {time.perf_counter() - started:.0f} s")
        bundle = scratch / "dist" / buildinfo.APP_NAME
    else:
        bundle = args.bundle.resolve()
    try:
        name = f"{buildinfo.APP_NAME}.exe" if sys.platform == "win32" else buildinfo.APP_NAME
        exe = bundle / name
        size = buildinfo.dir_size(bundle)
        files = sum(1 for p in bundle.rglob("*") if p.is_file())
        print(f"bundle: {bundle}")
        print(
            f"  size {size / 2**20:.1f} MiB ({size / 1e6:.1f} MB) in {files} files; "
            f"budget {buildinfo.BUNDLE_BUDGET_MB:.0f} MB"
        )
        print(f"--self-test, {args.runs} runs each (budget {buildinfo.COLD_START_BUDGET_S} s):")
        print(row("bundle", *self_test([str(exe)], args.runs)))
        print(row("source (python -m desktopchat)",
                  *self_test([sys.executable, "-m", "desktopchat"], args.runs)))
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
