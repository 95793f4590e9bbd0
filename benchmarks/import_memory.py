"""Import memory: peak RSS of importing a large file, beside its size and the 3x budget.

    .venv/bin/python benchmarks/import_memory.py                  # 200 MB, both formats
    .venv/bin/python benchmarks/import_memory.py --mb 50 --kind chatgpt
    .venv/bin/python benchmarks/import_memory.py --keep /tmp/imports   # keep the files

Each import runs in a fresh process (so its peak is its own) into a fresh SQLite file. The
file is generated here: many conversations of mixed English, Chinese and emoji text, as
ChatGPT writes them (`\\uXXXX` escapes) or as desktopchat exports them (UTF-8). The reference
is what `json.load` alone peaks at on the same file, in the same kind of fresh process: the
old importer held that much and more before writing a row.

Budget (issue 10): at most about 3x the file's size. The peak counted is the whole process's
(interpreter and modules included), the figure a user would see.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

_WORD_TEXT = (
    "the stream reply model token server request python function error install version"
    " database query index async thread memory network timeout settings window markdown"
)
WORDS = _WORD_TEXT.split()
CJK = "数据库索引查询线程内存网络超时设置窗口模型回复服务器请求函数错误安装版本"
EMOJI = "🚀🎉🙂✨🔥"

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
mode, path, db = sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
if mode == "import":
    from desktopchat.storage.importers import import_file
    from desktopchat.storage.store import HistoryStore
    store = HistoryStore.open(db)
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
if mode == "import":
    result = import_file(store, path)
    store.close()
    note = f"{result.conversations_added} conversations, {result.messages_added} messages"
else:
    with path.open("rb") as fh:
        data = json.load(fh)
    note = f"{len(data) if isinstance(data, list) else len(data['conversations'])} conversations"
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"base_kb": base, "peak_kb": peak, "seconds": elapsed, "note": note}))
"""


def text(rng: random.Random, words: int) -> str:
    parts = []
    for _ in range(words):
        roll = rng.random()
        if roll < 0.08:
            parts.append("".join(rng.choice(CJK) for _ in range(rng.randint(2, 6))))
        elif roll < 0.09:
            parts.append(rng.choice(EMOJI))
        else:
            parts.append(rng.choice(WORDS))
    return " ".join(parts)


def chatgpt_conversation(rng: random.Random, n: int) -> dict[str, object]:
    mapping: dict[str, object] = {"root": {"id": "root", "message": None, "parent": None,
                                            "children": ["m0"]}}
    turns = rng.randint(4, 30)
    t = 1_700_000_000.0 + n * 60
    for i in range(turns):
        role = "user" if i % 2 == 0 else "assistant"
        mapping[f"m{i}"] = {
            "id": f"m{i}", "parent": "root" if i == 0 else f"m{i - 1}",
            "children": [f"m{i + 1}"] if i + 1 < turns else [],
            "message": {"id": f"m{i}", "author": {"role": role}, "create_time": t + i,
                        "content": {"content_type": "text",
                                    "parts": [text(rng, rng.randint(10, 400))]},
                        "metadata": {"model_slug": "gpt-4o"}},
        }
    return {"id": f"conv-{n}", "title": text(rng, 5), "create_time": t,
            "update_time": t + turns, "current_node": f"m{turns - 1}", "mapping": mapping}


def our_conversation(rng: random.Random, n: int) -> dict[str, object]:
    t = 1_700_000_000.0 + n * 60
    turns = rng.randint(4, 30)
    messages = [{"role": "user" if i % 2 == 0 else "assistant",
                 "content": text(rng, rng.randint(10, 400)), "created_at": t + i}
                for i in range(turns)]
    return {"uid": f"conv-{n}", "title": text(rng, 5), "created_at": t, "messages": messages}


def generate(path: Path, kind: str, size: int) -> None:
    """Write conversations one at a time until the file reaches `size` bytes."""
    rng = random.Random(7)
    with path.open("w", encoding="utf-8") as out:
        if kind == "chatgpt":
            out.write("[")
        else:
            out.write('{"format": "desktopchat-history", "version": 1, "conversations": [')
        n = 0
        while out.tell() < size:
            if n:
                out.write(", ")
            if kind == "chatgpt":
                out.write(json.dumps(chatgpt_conversation(rng, n)))  # ensure_ascii, as ChatGPT
            else:
                out.write(json.dumps(our_conversation(rng, n), ensure_ascii=False))
            n += 1
        out.write("]" if kind == "chatgpt" else "]}")


def measure(mode: str, path: Path, db: Path) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", CHILD, str(REPO), mode, str(path), str(db)],
                          check=True, capture_output=True, text=True)
    figures: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def mb(kb: object) -> str:
    return f"{int(str(kb)) / 1024:8.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=int, default=200, help="file size in MB (default 200)")
    parser.add_argument("--kind", choices=["chatgpt", "ours", "both"], default="both")
    parser.add_argument("--keep", type=Path, help="a folder to keep the files in")
    args = parser.parse_args()
    size = args.mb * 1024 * 1024
    kinds = ["chatgpt", "ours"] if args.kind == "both" else [args.kind]
    folder = args.keep or Path(tempfile.mkdtemp(prefix="import-memory-"))
    folder.mkdir(parents=True, exist_ok=True)
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"python {sys.version.split()[0]}; this process {mb(self_kb).strip()}")
    for kind in kinds:
        path = folder / f"{kind}.json"
        started = time.perf_counter()
        generate(path, kind, size)
        file_kb = path.stat().st_size // 1024
        print(f"\n{kind}: {path} ({mb(file_kb).strip()}, generated in"
              f" {time.perf_counter() - started:.0f} s)")
        reference = measure("json.load", path, folder / "unused.sqlite3")
        db = folder / f"{kind}.sqlite3"
        db.unlink(missing_ok=True)
        ours = measure("import", path, db)
        budget_kb = 3 * file_kb
        print(f"  {'':24} {'peak RSS':>11} {'x file':>7} {'seconds':>8}")
        for name, fig in (("json.load (reference)", reference), ("import_file", ours)):
            ratio = int(str(fig["peak_kb"])) / file_kb
            print(f"  {name:24} {mb(fig['peak_kb'])} {ratio:6.2f}x"
                  f" {float(str(fig['seconds'])):8.1f}   {fig['note']}")
        peak = int(str(ours["peak_kb"]))
        verdict = "within budget" if peak <= budget_kb else "OVER BUDGET"
        print(f"  budget: 3x the file = {mb(budget_kb).strip()}; import peak"
              f" {mb(peak).strip()} ({peak / file_kb:.2f}x): {verdict}")
        if not args.keep:
            path.unlink()
            db.unlink(missing_ok=True)
            for extra in folder.glob(f"{kind}.sqlite3*"):
                extra.unlink()


if __name__ == "__main__":
    main()
