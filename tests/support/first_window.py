"""Run as a process: build the real window on a fresh basedir, show it, and print as JSON its
size, the screen's free area and scale, and any clipped text (tests/support/layout_checks.py).

    QT_SCALE_FACTOR=1.5 python tests/support/first_window.py BASEDIR

A process of its own, so the scale factor and the offscreen screen's size (set by the caller
through QT_SCALE_FACTOR and QT_QPA_PLATFORM=offscreen:configfile=...) are its alone.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))


def main(basedir: str) -> int:
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import QApplication

    app = QApplication(["desktopchat"])
    from desktopchat.app import build
    from desktopchat.paths import app_paths
    from desktopchat.secrets import SecretStore
    from desktopchat.settings import SettingsStore, first_run_settings
    from desktopchat.settings.tool_settings import ToolSettings, ToolSettingsStore
    from tests.support.layout_checks import clipped_texts, cut_fields
    from tests.support.secrets_fixtures import MemoryKeyring
    from tests.support.tool_servers import stdio_spec

    paths = app_paths(basedir).ensure()
    SettingsStore(paths.settings_file).save(first_run_settings())
    # One MCP server, so the Tools page shows its form too (it is never started here).
    ToolSettingsStore(paths.tools_file).save(ToolSettings(servers=(stdio_spec("calculator"),)))
    built = build(paths, secrets=SecretStore(MemoryKeyring()), keep_window_state=False)
    window = built.window
    window.show()
    for _ in range(5):
        app.processEvents()
    screen = window.screen()
    free = screen.availableGeometry()
    shown = {
        "window": [window.width(), window.height()],
        "available": [free.width(), free.height()],
        "ratio": screen.devicePixelRatio(),
        "inside": free.contains(window.frameGeometry()),
        "clipped": clipped_texts(window),
    }
    window.open_settings()
    dialog = window.settings_dialog
    shown["settings_cut"] = []
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        for _ in range(3):
            app.processEvents()
        shown["clipped"] += [f"Settings, {dialog.tabs.tabText(index)}: {problem}"
                             for problem in clipped_texts(dialog)]
        shown["settings_cut"] += [f"{dialog.tabs.tabText(index)}: {problem}"
                                  for problem in cut_fields(dialog)]
    shown["settings"] = [dialog.width(), dialog.height()]
    shown["settings_inside"] = free.contains(dialog.frameGeometry())
    save = dialog.save_button
    shown["settings_save_shown"] = save.isVisible() and dialog.rect().contains(
        QRect(save.mapTo(dialog, QPoint(0, 0)), save.size()))
    shown["settings_minimum"] = [dialog.minimumSizeHint().width(),
                                 dialog.minimumSizeHint().height()]
    dialog.reject()
    print(json.dumps(shown))
    window.close()
    built.store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
