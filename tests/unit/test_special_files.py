"""A FIFO, a device or a folder where a file should be never blocks or exhausts memory.

`read_bytes()` on a named pipe waits for a writer forever (start-up froze on a settings.json
that was a FIFO) and on /dev/zero reads until memory runs out (an attachment). Every file
read from a path goes through desktopchat.regular_files, which opens without blocking and
refuses what is not a regular file with a sentence saying what the path is.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktopchat.attachment_files import read_attachment
from desktopchat.errors import AttachmentError, ImportFormatError
from desktopchat.regular_files import read_regular
from desktopchat.settings import SettingsStore, WindowStateStore, first_run_settings
from desktopchat.settings.store import MAX_SETTINGS_BYTES
from desktopchat.settings.tool_settings import ToolSettingsStore
from desktopchat.storage.importers import detect_format, import_file
from desktopchat.storage.store import HistoryStore

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


def test_a_fifo_as_settings_file_loads_defaults_with_a_message(fifo: Path) -> None:
    target = fifo.with_name("settings.json")
    fifo.rename(target)
    result = SettingsStore(target).load()
    assert result.settings == first_run_settings()
    assert result.problem is not None and "named pipe (FIFO)" in result.problem


def test_a_fifo_as_window_state_is_no_state(fifo: Path) -> None:
    assert WindowStateStore(fifo).load() == {}


def test_a_fifo_as_tools_file_is_explained(fifo: Path) -> None:
    loaded = ToolSettingsStore(fifo).load()
    assert loaded.problem is not None and "named pipe (FIFO)" in loaded.problem


def test_a_folder_as_settings_file_is_explained(tmp_path: Path) -> None:
    (tmp_path / "settings.json").mkdir()
    result = SettingsStore(tmp_path / "settings.json").load()
    assert result.problem is not None and "it is a folder" in result.problem


def test_a_huge_settings_file_is_not_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    with path.open("wb") as fh:
        fh.truncate(MAX_SETTINGS_BYTES + 1)  # sparse: no disk used
    result = SettingsStore(path).load()
    assert result.problem is not None and "larger than 16 MiB" in result.problem
    assert result.settings == first_run_settings()


@pytest.mark.parametrize("name", ["notes.txt", "photo.png", "paper.pdf"])
def test_a_fifo_attachment_is_refused(fifo: Path, name: str) -> None:
    target = fifo.with_name(name)
    fifo.rename(target)
    with pytest.raises(AttachmentError, match="named pipe"):
        read_attachment(target)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_attachment_is_refused() -> None:
    with pytest.raises(AttachmentError, match="device"):
        read_attachment(Path("/dev/zero"))


def test_a_fifo_import_file_is_refused(fifo: Path, tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match="named pipe"):
        detect_format(fifo)
    store = HistoryStore.open(tmp_path / "history.sqlite3")
    try:
        with pytest.raises(ImportFormatError, match="named pipe"):
            import_file(store, fifo)
        assert store.list_conversations() == []
    finally:
        store.close()


def test_read_regular_reads_a_plain_file_and_bounds_it(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"12345")
    assert read_regular(path, 5) == b"12345"
    with pytest.raises(OSError, match="larger than 4 bytes"):
        read_regular(path, 4)
