"""What scrubbing the key costs each time a streaming reply is saved (every ~0.5 s, on the
UI thread), as the reply grows to 2 MB.

    .venv/bin/python benchmarks/redact_saves.py [--saves 200]

Replies: ordinary prose; one line without a space (a data URL); a blob of percent escapes
with no space (the worst case for the escape decoding); prose quoting the key in several
forms. For each: the median and longest cost of one save through core.Reply.storable (the
incremental GrowingScrub), beside the reference: scrub_secrets over the whole reply at its
full size, which is what every save cost would grow to without the incremental scrub.
Budget (DESIGN.md §6): no UI-thread stall over 50 ms.
"""

from __future__ import annotations

import argparse
import base64
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktopchat.core.events import ContentDelta
from desktopchat.core.reply import Reply
from desktopchat.redact import scrub_secrets

KEY = "sk-bench-7Qx2Lm9Vb4Rt8Wz1Kp6Yd3Hn"
TOTAL = 2_000_000
BUDGET_MS = 50.0


def pieces(kind: str, per_save: int) -> str:
    if kind == "prose":
        return ("The quick brown fox jumps over the lazy dog. " * 400)[:per_save]
    if kind == "one line":
        return base64.b64encode(bytes(range(256)) * 100).decode()[:per_save]
    if kind == "escapes":
        return ("%41" * per_save)[:per_save]
    quoted = f" key {KEY} as %73%6B%2D and \\u0073k-bench and {KEY.encode().hex()} "
    return (("words " * 60) + quoted)[:per_save] if len(quoted) < per_save else quoted


def run(kind: str, saves: int) -> tuple[float, float, float]:
    per_save = TOTAL // saves
    reply = Reply()
    costs = []
    for _ in range(saves):
        reply.extend([ContentDelta(pieces(kind, per_save))])
        started = time.perf_counter()
        reply.storable(KEY)
        costs.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    scrub_secrets(reply.content, [KEY])
    whole = (time.perf_counter() - started) * 1000
    return statistics.median(costs), max(costs), whole


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=200)
    args = parser.parse_args()
    print(f"{'reply (2 MB)':<16}{'median save':>14}{'longest save':>14}"
          f"{'whole (ref.)':>14}{'budget':>10}")
    for kind in ("prose", "one line", "escapes", "quoting the key"):
        median, longest, whole = run(kind, args.saves)
        print(f"{kind:<16}{median:>11.1f} ms{longest:>11.1f} ms{whole:>11.1f} ms"
              f"{BUDGET_MS:>7.0f} ms")


if __name__ == "__main__":
    main()
