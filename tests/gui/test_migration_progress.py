"""Start-up upgrades an older history with a progress window; a current one shows none."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from desktopchat.app import build
from desktopchat.paths import app_paths
from desktopchat.secrets import SecretStore
from desktopchat.storage.store import HistoryStore
from desktopchat.ui.migration_progress import MigrationProgress

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "db"


class Watched(MigrationProgress):
    """The real progress window, noting what it showed at each report."""

    def __init__(self) -> None:
        super().__init__(show_after=0.0)
        self.seen: list[tuple[bool, str, int]] = []

    def __call__(self, name: str, fraction: float) -> None:
        super().__call__(name, fraction)
        assert self.dialog is not None
        self.seen.append((self.dialog.isVisible(), self.dialog.labelText(), self.dialog.value()))


def test_an_older_history_is_upgraded_behind_a_progress_window(
    qtbot: Any, tmp_path: Path, memory_keyring: Any
) -> None:
    paths = app_paths(tmp_path).ensure()
    shutil.copy(FIXTURES / "v3.sqlite3", paths.database_file)  # before the substring index
    progress = Watched()
    built = build(paths, secrets=SecretStore(memory_keyring), progress=progress)
    qtbot.addWidget(built.window)
    progress.close()
    assert progress.seen[0] == (True, "Building the search index for every language…", 0)
    assert progress.seen[-1][2] == 1000
    assert progress.dialog is None
    assert built.store.count_conversations() > 0  # the fixture's chats came through
    built.store.close()


def test_a_current_history_shows_no_progress_window(
    qtbot: Any, tmp_path: Path, memory_keyring: Any
) -> None:
    paths = app_paths(tmp_path).ensure()
    with HistoryStore.open(paths.database_file):
        pass  # created at today's version
    progress = Watched()
    built = build(paths, secrets=SecretStore(memory_keyring), progress=progress)
    qtbot.addWidget(built.window)
    assert progress.reports == 0 and progress.dialog is None
    built.store.close()
