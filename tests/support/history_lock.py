"""Another process holding a history's write lock until the test lets go."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

WRITER = Path(__file__).resolve().parent / "storage_writer.py"


class LockHolder:
    """`python storage_writer.py hold-exclusive DB`: BEGIN EXCLUSIVE until `release()`."""

    def __init__(self, database: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(WRITER), "hold-exclusive", str(database)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "LOCKED"

    def release(self) -> None:
        if self.process.returncode is None:
            assert self.process.stdin is not None and self.process.stdout is not None
            self.process.stdin.close()
            self.process.wait(timeout=10)
            self.process.stdout.close()
