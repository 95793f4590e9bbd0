"""Which processes are writing to a history file right now: one lock file per writer.

Every process that opens the history for writing (the window, the command line) holds an
exclusive OS lock on its own file `<history>.writer-<pid>-<random>` beside it for as long
as the store is open, and removes it on close. The kernel drops that lock when the
process ends, however it ends (SIGKILL, a power cut), so a file whose lock can be taken
belongs to a writer that is gone.

Start-up recovery (a reply left `streaming` becomes `interrupted`) uses this rule: it runs
only when no other writer is alive. A reply another live process is streaming is then
never marked interrupted under its feet; a reply left by a crash while another copy keeps
running is recovered by the next open that finds itself alone.
"""

from __future__ import annotations

import contextlib
import glob
import os
import sys
import uuid
from pathlib import Path

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True


class WriterLock:
    """This process's claim to be a live writer of `database`, until `release()`."""

    def __init__(self, database: Path) -> None:
        self._prefix = f"{database.name}.writer-"
        self.path = database.with_name(f"{self._prefix}{os.getpid()}-{uuid.uuid4().hex[:12]}")
        self._fd: int | None = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if not _try_lock(self._fd):  # a fresh, unique name: only a broken lock service fails
            os.close(self._fd)
            self._fd = None
            raise OSError(f"could not lock {self.path}")

    def others_alive(self) -> bool:
        """True when another process (or another open store) is writing this history.
        Files of writers that are gone are removed on the way."""
        alive = False
        for other in sorted(self.path.parent.glob(f"{glob.escape(self._prefix)}*")):
            if other == self.path:
                continue
            try:
                fd = os.open(other, os.O_RDWR)
            except OSError:
                continue  # removed meanwhile
            try:
                if _try_lock(fd):
                    with contextlib.suppress(OSError):
                        other.unlink()  # its writer is gone
                else:
                    alive = True
            finally:
                os.close(fd)  # closing drops the lock we may have taken
        return alive

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()
        os.close(self._fd)
        self._fd = None
