"""Make docs/screenshots/{light,dark,empty,narrow}.png: the real window, offscreen.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_theme_screenshots.py [out_dir]

light/dark: a conversation in each theme; empty: a new chat's empty state; narrow: the window
480 px wide. Like make_screenshot.py, everything lives in a temporary basedir with a
throwaway in-memory keyring.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from make_screenshot import fill  # noqa: E402

from tests.support.secrets_fixtures import MemoryKeyring  # noqa: E402

SHOTS = (  # name, theme, size, open the filled conversation
    ("light", "light", (1200, 760), True),
    ("dark", "dark", (1200, 760), True),
    ("empty", "light", (1000, 700), False),
    ("narrow", "light", (480, 720), True),
)


def settle(app: object) -> None:
    from PySide6.QtWidgets import QApplication

    assert isinstance(app, QApplication)
    for _ in range(30):
        app.processEvents()
        time.sleep(0.01)


def main(argv: list[str]) -> int:
    out_dir = Path(argv[0]) if argv else REPO / "docs" / "screenshots"
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["desktopchat"])
    from desktopchat.app import build
    from desktopchat.paths import app_paths
    from desktopchat.secrets import SecretStore
    from desktopchat.settings import SettingsStore, first_run_settings
    from desktopchat.storage.store import HistoryStore

    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="desktopchat-shot-") as tmp:
        paths = app_paths(tmp).ensure()
        SettingsStore(paths.settings_file).save(first_run_settings())
        with HistoryStore.open(paths.database_file) as filling:
            main_id = fill(filling, time.time())
        secrets = SecretStore(MemoryKeyring())
        secrets.set_key("OpenAI", "sk-screenshot-not-a-real-key")
        built = build(paths, secrets=secrets, keep_window_state=False)
        window = built.window
        window.show()
        window.history_panel.refresh()
        for name, theme, size, open_chat in SHOTS:
            settings = window.settings
            window.apply_settings(dataclasses.replace(
                settings, preferences=dataclasses.replace(settings.preferences, theme=theme)))
            window.resize(*size)
            if open_chat:
                window.open_conversation(main_id)
            else:
                window.new_chat()
            settle(app)
            target = out_dir / f"{name}.png"
            if not window.grab().save(str(target)):
                print(f"could not write {target}", file=sys.stderr)
                return 1
            print(f"wrote {target} ({size[0]}x{size[1]})")
        window.close()
        built.store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
