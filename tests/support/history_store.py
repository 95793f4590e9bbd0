"""The one history-store fixture: a real SQLite file in the test's folder, closed after."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktopchat.storage.store import HistoryStore


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    with HistoryStore.open(tmp_path / "history.sqlite3") as s:
        yield s
