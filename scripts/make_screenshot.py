"""Make docs/screenshot.png: the real main window, offscreen, with a real-looking conversation.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_screenshot.py [out.png]

Everything lives in a temporary basedir (settings, SQLite history); the API key is held in a
throwaway in-memory keyring, so the user's own keyring and data are never touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

# The tests' throwaway in-memory keyring: the user's own keyring is never touched.
from tests.support.secrets_fixtures import MemoryKeyring  # noqa: E402

SIZE = (1200, 760)
DAY = 86400.0

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

A few tips:

- Pass `usecols=` to pandas so unused columns are never loaded.
- Set `dtype=` explicitly; type inference on a huge file is slow.
- For repeated queries, convert once to **Parquet** or SQLite.
"""

SIDEBAR = [  # (title, age in days, pinned)
    ("Project notes: release checklist", 20.0, True),
    ("Regex for ISO dates", 0.1, False),
    ("Explain Rust lifetimes simply", 1.0, False),
    ("Sourdough feeding schedule", 1.2, False),
    ("SQL window functions cheat sheet", 3.0, False),
    ("Trip to Lisbon: 3-day plan", 5.0, False),
    ("Git: undo the last commit", 12.0, False),
    ("Bash loop over files with spaces", 30.0, False),
    ("Qt signals vs. callbacks", 45.0, False),
]


def fill(store: object, now: float) -> int:
    from desktopchat.storage.store import HistoryStore

    assert isinstance(store, HistoryStore)
    for title, age, pinned in SIDEBAR:
        conv = store.create_conversation(title=title, profile="OpenAI", model="gpt-4o-mini")
        store.add_user_message(conv.id, title)
        msg = store.start_assistant_message(conv.id)
        store.finish_assistant_message(msg.id, state="complete", content="…",
                                       finish_reason="stop")
        if pinned:
            store.set_pinned(conv.id, True)
        with store.transaction() as db:  # back-date it so the sidebar shows every group
            db.execute("UPDATE conversations SET created_at = ?, updated_at = ? WHERE id = ?",
                       (now - age * DAY, now - age * DAY, conv.id))
    main = store.create_conversation(title="Reading a large CSV in Python", profile="OpenAI",
                                     model="gpt-4o-mini")
    store.add_user_message(main.id, QUESTION)
    msg = store.start_assistant_message(main.id)
    store.finish_assistant_message(msg.id, state="complete", content=ANSWER,
                                   finish_reason="stop",
                                   usage={"prompt_tokens": 31, "completion_tokens": 212})
    return main.id


MATH_ANSWER = r"""For a particle in a box of length $L$, the energy levels are
$$E_n = \frac{n^2 h^2}{8 m L^2}, \quad n = 1, 2, \dots$$
and the probability of finding it in \(0 \le x \le a\) is
\[P = \frac{2}{L}\int_0^a \sin^2\!\left(\frac{n \pi x}{L}\right) dx.\]
(A `$` used as money, as in "costs $5 and $10", stays text; a broken formula such as
$x^$ shows as code.)
"""


def main(argv: list[str]) -> int:
    """`make_screenshot.py [out.png] [--math]`: --math shows a reply with formulas."""
    global ANSWER, QUESTION
    if "--math" in argv:
        argv = [a for a in argv if a != "--math"]
        QUESTION, ANSWER = "What are the energy levels of a particle in a box?", MATH_ANSWER
    out = Path(argv[0]) if argv else REPO / "docs" / "screenshot.png"
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["desktopchat"])
    from desktopchat.app import build
    from desktopchat.paths import app_paths
    from desktopchat.secrets import SecretStore
    from desktopchat.settings import SettingsStore, first_run_settings
    from desktopchat.storage.store import HistoryStore

    with tempfile.TemporaryDirectory(prefix="desktopchat-shot-") as tmp:
        paths = app_paths(tmp).ensure()
        SettingsStore(paths.settings_file).save(first_run_settings())
        with HistoryStore.open(paths.database_file) as filling:
            main_id = fill(filling, time.time())
        secrets = SecretStore(MemoryKeyring())
        secrets.set_key("OpenAI", "sk-screenshot-not-a-real-key")
        built = build(paths, secrets=secrets, keep_window_state=False)
        window = built.window
        window.resize(*SIZE)
        window.show()
        window.history_panel.refresh()
        window.open_conversation(main_id)
        for _ in range(10):
            app.processEvents()
        for _ in range(40):  # formulas are drawn by the render pump, a slice at a time
            app.processEvents()
            time.sleep(0.02)
        out.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(out)):
            print(f"could not write {out}", file=sys.stderr)
            return 1
        window.close()  # keep_window_state=False: nothing to save in a throwaway folder
        built.store.close()
    print(f"wrote {out} ({SIZE[0]}x{SIZE[1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
