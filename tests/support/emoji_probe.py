"""Run as a process: apply the app's appearance and print, as JSON, which font draws each
probe emoji and whether as the missing-glyph box.

    FONTCONFIG_FILE=... python tests/support/emoji_probe.py

A process of its own, so the caller can hide the system's emoji fonts from it (fontconfig
reads FONTCONFIG_FILE once, at start) without touching the test run's fonts.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))


def drawn_by(text: str) -> list[list[object]]:
    """[family, glyph index] per glyph of `text` laid out in the application font."""
    from PySide6.QtGui import QGuiApplication, QTextLayout

    layout = QTextLayout(text, QGuiApplication.font())
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    return [[run.rawFont().familyName(), glyph] for run in layout.glyphRuns()
            for glyph in run.glyphIndexes()]


def main() -> int:
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QApplication

    app = QApplication(["desktopchat"])
    from desktopchat.ui.appearance import Appearance
    from desktopchat.ui.emoji_fonts import PROBES

    Appearance(QObject(), on_system_change=lambda: None).apply("light", 11)
    print(json.dumps({
        "families": app.font().families(),
        "emoji": {hex(code): drawn_by(chr(code)) for code in PROBES},
        "digits": drawn_by("gpt-4o 12:30"),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
