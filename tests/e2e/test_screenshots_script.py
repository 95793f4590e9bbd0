"""scripts/make_screenshots.py still makes every picture the README shows (it drives the real
window through internals that change: a broken script would otherwise be found only when
someone regenerates the pictures)."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
WINDOW = {"light", "dark", "empty", "streaming", "versions", "error", "rich", "attachments",
          "code", "tools", "find", "zh_CN"}  # the whole window at its fixed size


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


@pytest.mark.slow
def test_the_script_writes_every_picture(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "make_screenshots.py"),
                           str(tmp_path)], env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=50)
    assert done.returncode == 0, done.stderr[-3000:]
    written = {p.stem for p in tmp_path.glob("*.png")}
    assert written == WINDOW | {"settings", "folders", "narrow"}
    assert {name: png_size(tmp_path / f"{name}.png") for name in WINDOW} == {
        name: (1100, 720) for name in WINDOW}
    assert png_size(tmp_path / "settings.png") == (880, 680)  # the dialog's own size
    assert png_size(tmp_path / "narrow.png") == (480, 720)
