"""The history zh_CN.png shows: what a user writing in Simplified Chinese would have."""

from __future__ import annotations

import time

from screenshot_chats import DAY, MODEL, PROFILE, answer, backdate

from desktopchat.storage.store import HistoryStore

QUESTION = "如何在 Python 中读取一个很大的 CSV 文件，而不把内存用光？"
ANSWER = """**分块读取**，不要一次全部载入。两个常用办法：

1. 标准库的 `csv` 模块一次只读一行。
2. `pandas.read_csv` 加上 `chunksize`，每次得到固定行数的 DataFrame。

```python
import csv

def total_amount(path: str) -> float:
    total = 0.0
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            total += float(row["amount"])
    return total
```

| 方法 | 内存 | 速度 |
| --- | --- | --- |
| `csv.DictReader` | 一行 | 较快 |
| `read_csv(chunksize=…)` | 一块 | 快 |

如果要反复查询，先转换成 **Parquet** 或 SQLite。
"""

SIDEBAR = [  # (title, age in days, folder or "", pinned)
    ("发布前检查清单", 20.0, "", True),
    ("季度报告提纲", 3.0, "工作", False),
    ("SQL 窗口函数速查", 4.0, "工作", False),
    ("周末去杭州的行程", 1.2, "生活", False),
    ("解释 Rust 的生命周期", 0.004, "", False),
    ("把照片按拍摄日期重命名", 0.003, "", False),
    ("正则表达式匹配 ISO 日期", 1.0, "", False),
    ("Git：撤销上一次提交", 12.0, "", False),
]


def fill_chinese(store: HistoryStore, now: float | None = None) -> int:
    """The sidebar's chats and the CSV question, in Chinese; returns the open chat."""
    now = time.time() if now is None else now
    folders = {name: store.folders.create(name).id for name in ("工作", "生活")}
    for title, age, folder, pinned in SIDEBAR:
        conv = store.create_conversation(title=title, profile=PROFILE, model=MODEL)
        store.add_user_message(conv.id, title)
        answer(store, conv.id, "…")
        if pinned:
            store.set_pinned(conv.id, True)
        if folder:
            store.folders.move_conversation(conv.id, folders[folder])
        backdate(store, conv.id, now - age * DAY)
    main = store.create_conversation(title="分块读取大型 CSV 文件", profile=PROFILE, model=MODEL)
    store.add_user_message(main.id, QUESTION)
    answer(store, main.id, ANSWER, prompt_tokens=38, completion_tokens=245)
    return main.id
