"""Refresh the translation sources from the code, then compile them.

    .venv/bin/python scripts/update_translations.py           # lupdate, then lrelease
    .venv/bin/python scripts/update_translations.py --release # lrelease only (after editing)

lupdate reads every `translate("Context", "text")` call in desktopchat/ui/ and app.py and
adds new strings to resources/translations/desktopchat_<lang>.ts as unfinished (strings no
longer in the code are dropped). Translate them in Qt Linguist (pyside6-linguist) or any
editor, removing type="unfinished", then run with --release to compile the .qm files the app
loads. tests/unit/test_translations.py fails until every string is translated and the .qm
matches its .ts.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TRANSLATIONS = REPO / "resources" / "translations"


def sources() -> list[Path]:
    # Files, not the folder: lupdate's folder scan does not pick up Python files.
    return [*sorted((REPO / "desktopchat" / "ui").rglob("*.py")), REPO / "desktopchat" / "app.py"]


TOOLS = Path(sys.executable).parent


def ts_files() -> list[Path]:
    return sorted(TRANSLATIONS.glob("desktopchat_*.ts"))


def lupdate(ts: Path) -> None:
    # No line numbers in the .ts: they would change with every edit of the code.
    subprocess.run([str(TOOLS / "pyside6-lupdate"), *map(str, sources()), "-locations", "none",
                    "-no-obsolete", "-ts", str(ts)], check=True)


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([str(TOOLS / "pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)],
                   check=True)


def main(argv: list[str]) -> int:
    for ts in ts_files():
        if "--release" not in argv:
            lupdate(ts)
        lrelease(ts, ts.with_suffix(".qm"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
