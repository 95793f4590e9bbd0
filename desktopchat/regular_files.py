"""Opening files a user or another program put in our way, without ever blocking on them.

`Path.read_bytes()` on a named pipe (FIFO) waits for a writer forever, and on a device such
as /dev/zero or /dev/urandom it reads until memory runs out: a settings file, a tools file,
an import file or an attachment that is one of these froze start-up or the window. Every
file desktopchat reads from a path it was given goes through `open_regular` or
`read_regular`: the file is opened without blocking (O_NONBLOCK: opening a FIFO does not wait
for a writer), checked to be a regular file on the open descriptor (no race with a swap of
the path), and read with a bound. Anything else is an `OSError` whose `strerror` says what
the path is, so the callers' existing "could not be read (…)" messages explain it.
"""

from __future__ import annotations

import errno
import os
import stat
from io import BufferedReader
from pathlib import Path

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_KINDS = (
    (stat.S_ISDIR, "it is a folder, not a file"),
    (stat.S_ISFIFO, "it is a named pipe (FIFO), not a regular file"),
    (stat.S_ISCHR, "it is a device, not a regular file"),
    (stat.S_ISBLK, "it is a device, not a regular file"),
    (stat.S_ISSOCK, "it is a socket, not a regular file"),
)


class NotARegularFileError(OSError):
    """The path names a folder, a pipe, a device or a socket: nothing to read as a file."""


class FileTooLargeError(OSError):
    """The file is larger than its reader accepts."""


def _not_regular(mode: int, path: Path) -> NotARegularFileError:
    why = next((text for test, text in _KINDS if test(mode)), "it is not a regular file")
    code = errno.EISDIR if stat.S_ISDIR(mode) else errno.EINVAL
    return NotARegularFileError(code, why, str(path))


def open_regular(path: Path | str) -> BufferedReader:
    """The regular file at `path`, open for binary reading. Raises OSError, never blocks."""
    fd = os.open(path, _OPEN_FLAGS)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _not_regular(mode, Path(path))
        if hasattr(os, "set_blocking"):  # POSIX; O_NONBLOCK is 0 elsewhere
            os.set_blocking(fd, True)  # a regular file: plain reads from here on
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def human_limit(size: int) -> str:
    return f"{size / (1024 * 1024):g} MiB" if size >= 1024 * 1024 else f"{size} bytes"


def read_regular(path: Path | str, limit: int) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them, else OSError."""
    with open_regular(path) as fh:
        data = fh.read(limit + 1)  # +1: a file that grew past its size still stops here
    if len(data) > limit:
        raise FileTooLargeError(errno.EFBIG, f"it is larger than {human_limit(limit)}", str(path))
    return data
