"""The conversations that scripts/make_screenshots.py shows: written straight into a history.

Plain data and HistoryStore calls; the script decides which chat each picture opens.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass

from desktopchat.attachments import Attachment, Kind
from desktopchat.storage.store import HistoryStore

DAY = 86400.0
PROFILE, MODEL = "OpenAI", "gpt-4o-mini"

QUESTION = "How do I read a large CSV file in Python without running out of memory?"
ANSWER = """Read it in **chunks** instead of all at once. Two good options:

1. The standard library's `csv` module streams one row at a time.
2. `pandas.read_csv` with `chunksize` gives you DataFrames of a fixed size.

```python
import csv

def total_amount(path: str) -> float:
    total = 0.0
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            total += float(row["amount"])
    return total
```

| approach | memory | speed |
| --- | --- | --- |
| `csv.DictReader` | one row | good |
| `read_csv(chunksize=…)` | one chunk | fast |

For repeated queries, convert once to **Parquet** or SQLite.
"""

RICH_QUESTION = "What does this chart tell us? Fit a trend line, and show me the maths."
RICH_ANSWER = r"""Steady growth, one dip in **April**. The line $y = a + b\,t$ has $b \approx 4.9$:

$$b = \frac{\operatorname{cov}(t, y)}{\operatorname{var}(t)}, \qquad a = \bar y - b\,\bar t$$

| half | revenue | change |
| --- | ---: | ---: |
| H1 | 303 | — |
| H2 | 486 | +60.4 % |

```python
b, a = numpy.polyfit(range(12), revenue, 1)   # slope, intercept
```
"""

VERSIONS_FIRST = ("I have 4,000 holiday photos called IMG_0001.jpg and so on. How can I rename "
                  "them by the date they were taken?")
VERSIONS_FIRST_ANSWER = """Use the date the camera wrote into each file (EXIF), with **exiftool**:

```bash
exiftool '-FileName<DateTimeOriginal' -d '%Y-%m-%d_%H%M%S%%-c.%%e' ~/Pictures/holiday
```

`%%-c` adds `-1`, `-2`… when two photos share a second, so nothing is overwritten.
"""
VERSIONS_QUESTION = "Suggest a name for a command-line tool that renames photos by date."
VERSIONS = (
    "A few ideas: **snapdate**, **photostamp**, **datename**. *snapdate* is short and "
    "easy to type.",
    "How about **chronoshot**? It says *time* and *photo* in one word, and the name is "
    "free on PyPI. Shorter options:\n\n- `shotdate`\n- `exifname`\n- `pixdate`",
)

SIDEBAR = [  # (title, age in days, folder or "", pinned)
    ("Project notes: release checklist", 20.0, "", True),
    ("Explain Rust lifetimes simply", 1.0, "", False),
    ("SQL window functions cheat sheet", 3.0, "Work", False),
    ("Quarterly report outline", 4.0, "Work", False),
    ("Sourdough feeding schedule", 1.2, "Home", False),
    ("Trip to Lisbon: 3-day plan", 5.0, "Home", False),
    ("Git: undo the last commit", 12.0, "", False),
]


WIDE = ("SERIES = {" + ", ".join(f'"{m}": {v}' for m, v in zip(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
    [40, 46, 52, 44, 58, 63, 67, 72, 78, 84, 90, 95], strict=True)) + "}  # monthly revenue")
SHELL = ("python plot.py --input sales.csv --output revenue.png --title 'Monthly revenue 2025' "
         "--width 1200 --height 800 --dpi 144 --colour '#4a78c2'")


def code_answer() -> str:
    """Two code blocks with long lines and a data-URL image drawn by the model."""
    chart = "data:image/png;base64," + base64.b64encode(chart_png(600, 300)).decode()
    return (f"Here is the script:\n\n```python\nimport matplotlib.pyplot as plt\n\n{WIDE}\n"
            "plt.bar(list(SERIES), list(SERIES.values()), color=\"#4a78c2\")\n"
            f"plt.savefig(\"revenue.png\")\n```\n\nRun it like this:\n\n```bash\n{SHELL}\n```"
            f"\n\nAnd the chart it draws:\n\n![Monthly revenue]({chart})\n")


@dataclass(frozen=True)
class Chats:
    main: int  # the CSV question: light, dark, zh_CN
    rich: int  # math, a table, code and an image attachment
    versions: int  # a reply with two versions, the second shown
    code: int  # long code lines to scroll and wrap, an image in the reply
    code_reply: int


def chart_png(width: int = 1200, height: int = 800) -> bytes:
    """A bar chart of twelve months, drawn by Qt (the picture attached to a question)."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter

    from desktopchat.ui.image_scaling import encoded

    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#fbfbfd"))
    painter = QPainter(image)
    step = (width - 120) / 12
    for i, value in enumerate([40, 46, 52, 44, 58, 63, 67, 72, 78, 84, 90, 95]):
        bar = value * (height - 80) / 100
        painter.fillRect(QRectF(80 + i * step, height - 40 - bar, step * 0.65, bar),
                         QColor("#4a78c2"))
    painter.end()
    return encoded(image, "PNG")


def answer(store: HistoryStore, conv: int, text: str, **usage: int) -> int:
    reply = store.start_assistant_message(conv, profile=PROFILE, model=MODEL)
    store.finish_assistant_message(reply.id, state="complete", content=text,
                                   finish_reason="stop", usage=dict(usage) or None)
    return reply.id


def backdate(store: HistoryStore, conv: int, when: float) -> None:
    with store.transaction() as db:  # so the sidebar shows every date group
        db.execute("UPDATE conversations SET created_at = ?, updated_at = ? WHERE id = ?",
                   (when, when, conv))


def _sidebar(store: HistoryStore, now: float) -> None:
    folders = {name: store.folders.create(name).id for name in ("Work", "Home")}
    for title, age, folder, pinned in SIDEBAR:
        conv = store.create_conversation(title=title, profile=PROFILE, model=MODEL)
        store.add_user_message(conv.id, title)
        answer(store, conv.id, "…")
        if pinned:
            store.set_pinned(conv.id, True)
        if folder:
            store.folders.move_conversation(conv.id, folders[folder])
        backdate(store, conv.id, now - age * DAY)


def fill(store: HistoryStore, now: float | None = None) -> Chats:
    """Every chat the pictures show; the main one is the most recent."""
    now = time.time() if now is None else now
    _sidebar(store, now)

    versions = store.create_conversation(title="A name for a photo renamer", profile=PROFILE,
                                         model=MODEL)
    store.add_user_message(versions.id, VERSIONS_FIRST)
    answer(store, versions.id, VERSIONS_FIRST_ANSWER)
    asked = store.add_user_message(versions.id, VERSIONS_QUESTION)
    for text in VERSIONS:
        reply = store.start_assistant_message(versions.id, parent_id=asked.id,
                                              profile=PROFILE, model=MODEL)
        store.finish_assistant_message(reply.id, state="complete", content=text,
                                       finish_reason="stop")
    backdate(store, versions.id, now - 0.003 * DAY)

    rich = store.create_conversation(title="Revenue trend", profile=PROFILE, model=MODEL)
    chart = Attachment("revenue-2025.png", Kind.IMAGE, "image/png", chart_png())
    store.add_user_message(rich.id, RICH_QUESTION, attachments=(chart,))
    answer(store, rich.id, RICH_ANSWER, prompt_tokens=1240, completion_tokens=236)
    backdate(store, rich.id, now - 0.002 * DAY)

    code = store.create_conversation(title="Revenue chart script", profile=PROFILE, model=MODEL)
    store.add_user_message(code.id, "Plot the monthly revenue from sales.csv.")
    code_reply = answer(store, code.id, code_answer())
    backdate(store, code.id, now - 0.005 * DAY)

    main = store.create_conversation(title="Reading a large CSV in Python", profile=PROFILE,
                                     model=MODEL)
    store.add_user_message(main.id, QUESTION)
    answer(store, main.id, ANSWER, prompt_tokens=31, completion_tokens=212)
    return Chats(main=main.id, rich=rich.id, versions=versions.id, code=code.id,
                 code_reply=code_reply)
