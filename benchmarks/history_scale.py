"""History at scale: build ~500k messages, then time upgrade, list, search, open and appends.

    .venv/bin/python benchmarks/history_scale.py                 # full size (10,000 x 50)
    .venv/bin/python benchmarks/history_scale.py --conversations 1000
    .venv/bin/python benchmarks/history_scale.py --keep /tmp/history.sqlite3

Each figure is printed beside its budget (DESIGN.md §8) and a reference measured in the same
run on the same file, so a slow machine shows up in both columns.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import search_scale  # beside this script

from desktopchat.storage import migrations
from desktopchat.storage.store import HistoryStore

# The last schema version without the substring (trigram) index.
PRE_SEARCH_VERSION = [name for name, _ in migrations.MIGRATIONS].index("004_substring_index")

_COMMON_TEXT = (
    "the be to of and a in that have it for not on with he as you do at this but his by from"
    " they we say her she or an will my one all would there their what so up out if about who"
    " get which go me when make can like time no just him know take people into year your good"
    " some could them see other than then now look only come its over think also back after use"
    " two how our work first well way even new want because any these give day most us is are"
    " was were been has had did does python code function error file data server request stream"
    " streaming response model token json list string value test build install version update"
    " database query index table column async await thread process memory network connection"
    " timeout retry proxy config settings window button layout render markdown history search"
    " message conversation reply chat user assistant system tool call result output input"
)
COMMON = _COMMON_TEXT.split()
# Words with accents join the Zipf vocabulary; other scripts come as whole sentences below.
_ACCENTED_TEXT = "café naïve résumé über Straße señor façade crème São Zürich déjà élève piñata"
ACCENTED = _ACCENTED_TEXT.split()
_SYLLABLE_TEXT = "ka ro mi te su na lo ve pi da zen tor ul bex qua fin gar hol jup wis"
SYLLABLES = _SYLLABLE_TEXT.split()
LONG_CONVERSATION = 2000
TREE_EVERY = 10  # every 10th conversation is a tree: ...
VERSIONED_REPLY_EVERY = 5  # ... where every 5th reply has three versions
def _vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    rare = sorted({"".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(20000)})
    words = COMMON[:40] + ACCENTED + COMMON[40:] + rare
    # Zipf-like weights: common words dominate, the synthetic tail is rare.
    weights = [1.0 / (rank + 1) for rank in range(len(words))]
    cumulative = []
    total = 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    return words, cumulative


def _text(rng: random.Random, words: list[str], cum: list[float], lo: int, hi: int) -> str:
    n = rng.randint(lo, hi)
    chosen = rng.choices(words, cum_weights=cum, k=n)
    out = []
    for i in range(0, n, 12):
        sentence = " ".join(chosen[i : i + 12])
        out.append(sentence[:1].upper() + sentence[1:] + ".")
    return " ".join(out)


# Scripts without spaces come as runs of words glued together, as people write them.
_CHINESE_TEXT = (
    "数据库 搜索 服务器 错误 模型 请求 回答 文件 我们 使用 如何 连接 超时 索引 查询 问题 代码 用户"
    " 消息 历史 的 是 在 了 和 有 这个 一个 可以 需要"
)
_JAPANESE_TEXT = (
    "テキスト 検索 データベース サーバー エラー モデル ファイル 接続 日本語 履歴 を の は が に で"
    " です ます した する これ それ 問題 設定"
)
_RUSSIAN_TEXT = (
    "привет база данных поиск сервер ошибка модель запрос ответ файл история сообщение как что"
    " это мы вы нужно можно работает"
)
_EMOJI_TEXT = "🚀 🎉 👍 😀 🔥 ✅ ❤️ 🐍 👩‍💻 🤔"
CHINESE, JAPANESE = _CHINESE_TEXT.split(), _JAPANESE_TEXT.split()
RUSSIAN, EMOJI = _RUSSIAN_TEXT.split(), _EMOJI_TEXT.split()
CODE = (
    "```python\ndef load(path):\n    with open(path) as fh:\n        return json.load(fh)\n```",
    "```sql\nSELECT id, title FROM conversations WHERE pinned = 1 ORDER BY updated_at DESC;\n```",
    "`std::vector<int> v{1, 2, 3};` and `x->next = nullptr;`",
    "Run `pip install httpx==0.27` then `python -m app --verbose`.",
    "```js\nconst res = await fetch(url, {method: 'POST'}); // retry on 429\n```",
)


def _glued(rng: random.Random, words: list[str], lo: int, hi: int, stop: str) -> str:
    return "".join(rng.choices(words, k=rng.randint(lo, hi))) + stop


def _message(rng: random.Random, words: list[str], cum: list[float], lo: int, hi: int) -> str:
    """Mostly English-like text; some messages in other scripts, with emoji or code."""
    roll = rng.random()
    if roll < 0.05:
        text = " ".join(_glued(rng, CHINESE, 4, 15, "。") for _ in range(max(1, hi // 40)))
    elif roll < 0.08:
        text = " ".join(_glued(rng, JAPANESE, 4, 15, "。") for _ in range(max(1, hi // 40)))
    elif roll < 0.11:
        text = " ".join(rng.choices(RUSSIAN, k=rng.randint(lo, hi))) + "."
    else:
        text = _text(rng, words, cum, lo, hi)
    if rng.random() < 0.08:
        text += " " + rng.choice(EMOJI)
    if hi > 100 and rng.random() < 0.10:
        text += "\n\n" + rng.choice(CODE)
    return text


def build_history(
    path: Path, conversations: int = 10000, messages_per: int = 50, seed: int = 1
) -> None:
    """Fill a fresh file at the schema before the search index, so opening it migrates.

    The newest conversation gets LONG_CONVERSATION messages. Every TREE_EVERY-th
    conversation (the long one too) has three versions of every VERSIONED_REPLY_EVERY-th
    reply; the first version stays on the selected branch.
    """
    rng = random.Random(seed)
    words, cum = _vocabulary(rng)
    db = sqlite3.connect(str(path), isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("BEGIN")
    # The real schema of that version, via the real (released, never changing) migrations.
    migrations.apply(db, list(migrations.MIGRATIONS[:PRE_SEARCH_VERSION]))
    db.execute("COMMIT")
    db.execute("PRAGMA synchronous = OFF")
    start = time.time() - conversations * 3600.0
    batch: list[tuple[object, ...]] = []

    def flush() -> None:
        db.executemany(
            "INSERT INTO messages(id, parent_id, uid, conversation_id, role, content, reasoning,"
            " tool_calls, state, finish_reason, usage, created_at, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            batch,
        )
        batch.clear()

    next_id = 0
    leaves: list[tuple[int, int]] = []

    db.execute("BEGIN")
    for c in range(1, conversations + 1):
        count = LONG_CONVERSATION if c == conversations else messages_per
        created = start + c * 3600.0
        first = _message(rng, words, cum, 5, 40)
        db.execute(
            "INSERT INTO conversations(id, uid, title, profile, model, created_at, updated_at)"
            " VALUES (?, ?, ?, 'bench', 'model-x', ?, ?)",
            (c, str(uuid.UUID(int=rng.getrandbits(128))), first[:60], created, created + count),
        )
        parent: int | None = None
        for m in range(count):
            user = m % 2 == 0
            text = (
                first
                if m == 0
                else _message(rng, words, cum, 5, 40)
                if user
                else _message(rng, words, cum, 30, 250)
            )
            versions = (
                3
                if c % TREE_EVERY == 0 and not user and m % (2 * VERSIONED_REPLY_EVERY) == 1
                else 1
            )
            shown = next_id + 1
            for v in range(versions):
                next_id += 1
                batch.append(
                    (
                        next_id,
                        parent,
                        f"b{next_id}",
                        c,
                        "user" if user else "assistant",
                        text if v == 0 else _text(rng, words, cum, 30, 250),
                        "",
                        "[]",
                        "complete",
                        None if user else "stop",
                        None,
                        created + m,
                        created + m,
                    )
                )
            parent = shown
        leaves.append((parent or 0, c))
        if len(batch) >= 20000:
            flush()
        if c % 1000 == 0:
            db.execute("COMMIT")
            db.execute("BEGIN")
    flush()
    db.executemany("UPDATE conversations SET selected_leaf_id = ? WHERE id = ?", leaves)
    db.execute("COMMIT")
    db.execute("PRAGMA optimize")
    db.execute("INSERT INTO messages_fts(messages_fts) VALUES ('optimize')")
    db.close()


def _ms(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return min(times)


def _line(what: str, value: str, budget: str, reference: str) -> None:
    print(f"{what:<34} {value:>14}   budget {budget:<10} reference {reference}")


def measure(path: Path) -> None:
    t0 = time.perf_counter()
    store = HistoryStore.open(path)
    open_ms = (time.perf_counter() - t0) * 1000
    raw = sqlite3.connect(str(path))
    ref_open = _ms(lambda: sqlite3.connect(str(path)).execute("SELECT 1").close(), 3)
    _line(
        "open store (migrate check, recover)",
        f"{open_ms:.1f} ms",
        "-",
        f"bare connect {ref_open:.1f} ms",
    )

    list_ms = _ms(lambda: store.list_conversations(limit=50))
    ref_list = _ms(lambda: raw.execute("SELECT * FROM conversations LIMIT 50").fetchall())
    _line(
        "list newest 50 conversations",
        f"{list_ms:.2f} ms",
        "<= 20 ms",
        f"plain LIMIT 50 {ref_list:.2f} ms",
    )

    # The sidebar as the window reads it: folders (every one open), their chats, and the
    # first page of chats in no folder. One chat in 20 is filed, over 25 folders.
    # A file measured again (--path) keeps the folders of the first run.
    kept = {folder.name: folder.id for folder in store.folders.in_order()}
    folder_ids = [
        kept.get(f"Folder {n}") or store.folders.create(f"Folder {n}").id for n in range(25)
    ]
    for n, cid in enumerate(store.all_conversation_ids()[::20]):
        store.folders.move_conversation(cid, folder_ids[n % len(folder_ids)])
    filed = sum(f.conversation_count for f in store.folders.in_order())

    def sidebar() -> None:
        for folder in store.folders.in_order():
            if not folder.collapsed:
                store.folders.conversations_in(folder.id)
        store.folders.top_level(limit=100)

    _line(
        f"sidebar: 25 folders open ({filed} chats) + 100",
        f"{_ms(sidebar):.2f} ms",
        "<= 20 ms",
        f"list newest 50 {list_ms:.2f} ms",
    )

    long_id = store.list_conversations(limit=1)[0].id
    open_chat = _ms(lambda: store.current_path(long_id, limit=100))
    whole_path = _ms(lambda: store.branch_positions(store.current_path(long_id)), 3)
    ref_all = _ms(
        lambda: raw.execute(
            "SELECT * FROM messages WHERE conversation_id = ?", (long_id,)
        ).fetchall(),
        3,
    )
    n = store.count_messages(long_id)
    _line(
        f"open {n}-message chat (newest 100)",
        f"{open_chat:.2f} ms",
        "<= 300 ms",
        f"all {n} rows {ref_all:.1f} ms",
    )
    _line(
        "whole branch + ‹ n/3 › positions",
        f"{whole_path:.2f} ms",
        "<= 300 ms",
        f"all {n} rows {ref_all:.1f} ms",
    )

    conv = store.create_conversation(title="bench append")
    msg = store.start_assistant_message(conv.id)
    ref_msg = store.start_assistant_message(conv.id)
    updates = 1000
    texts = []
    text = ""
    for i in range(updates):
        text += f"token{i} " * 5  # the reply grows by ~40 chars per save
        texts.append(text)
    t0 = time.perf_counter()
    for text in texts:
        store.update_assistant_message(msg.id, content=text)
    rate = updates / (time.perf_counter() - t0)
    # Reference: the same growing row written with bare SQL on a bare autocommit connection.
    bare = sqlite3.connect(str(path), isolation_level=None)
    t0 = time.perf_counter()
    for text in texts:
        bare.execute("BEGIN IMMEDIATE")
        bare.execute("UPDATE messages SET content = ? WHERE id = ?", (text, ref_msg.id))
        bare.execute("COMMIT")
    ref_rate = updates / (time.perf_counter() - t0)
    bare.close()
    t0 = time.perf_counter()
    store.finish_assistant_message(msg.id, state="complete", content=text)
    finish_ms = (time.perf_counter() - t0) * 1000
    _line(
        f"append while streaming (to {len(text)} chars)",
        f"{rate:.0f} upd/s",
        ">= 2/s",
        f"bare UPDATE {ref_rate:.0f}/s; finish+index {finish_ms:.1f} ms",
    )
    store.delete_conversation(conv.id)
    raw.close()
    store.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--conversations", type=int, default=10000)
    parser.add_argument("--messages-per", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--path", type=Path, help="measure an existing file (no build)")
    parser.add_argument("--keep", type=Path, help="build here and keep the file afterwards")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="history-scale-") as tmp:
        path = args.path or args.keep or Path(tmp) / "history.sqlite3"
        if args.path is None:
            if path.exists():
                sys.exit(f"{path} exists; remove it or pass it as --path to measure it")
            t0 = time.perf_counter()
            build_history(path, args.conversations, args.messages_per, args.seed)
            build_s = time.perf_counter() - t0
            total = sqlite3.connect(str(path)).execute("SELECT count(*) FROM messages")
            print(
                f"built {args.conversations} conversations, {total.fetchone()[0]} messages"
                f" (every {TREE_EVERY}th a tree) in {build_s:.1f} s"
            )
            search_scale.migrate(path)  # the build stops before the substring index
        size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
        print(f"file size {size / 1e6:.1f} MB ({path})")
        measure(path)
        search_scale.measure(path, args.seed)


if __name__ == "__main__":
    main()
