"""One desktop window per data folder: a second launch raises the first window and exits.

The lock is a QLockFile in the data folder (Qt removes it when the process that holds it
has died, so a crash never locks the user out; when the dead copy's process id was given to
another program, the file's native lock tells the truth); the running copy listens on a
local socket named after the folder (and listens again if the socket file is removed), and
a second launch sends it "raise" there. A folder where no lock file can be made
(read-only) opens without one; a live copy that never answers is reported, not waited on.
Only the GUI takes this lock: the command line shares the data folder without being a
second window (see storage/writers.py for how start-up recovery tells a live writer from a
dead one).
"""

from __future__ import annotations

import enum
import hashlib
import logging
import os
import time
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QThread, QTimer, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

LOCK_NAME = "desktopchat-window.lock"
RAISE = b"raise\n"
SHOWN = b"shown\n"  # the running copy's answer
CONNECT_MS = 2000
# A live copy that does not answer yet may be starting, or re-creating its socket (checked
# every SOCKET_CHECK_MS): a second launch keeps asking for ANSWER_WAIT_S, then says so.
SOCKET_CHECK_MS = 2000
ANSWER_WAIT_S = 6.0
RETRY_MS = 250


def server_name(data_dir: Path) -> str:
    """The local socket's name: the same for every launch on this data folder."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode("utf-8")).hexdigest()[:24]
    return f"desktopchat-{digest}"


def native_lock_free(path: Path) -> bool:
    """True when no process holds the flock Qt's QLockFile keeps on `path` while locked
    (Unix); False when one does, or when that cannot be told (then the holder counts as
    alive, as QLockFile says)."""
    try:
        import fcntl
    except ImportError:  # Windows: QLockFile's own check is all there is
        return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


class Claim(enum.Enum):
    """What `SingleInstance.acquire` found."""

    OURS = "ours"  # this launch is the window for the folder
    RAISED = "raised"  # the running window was asked to show itself: exit
    UNREACHABLE = "unreachable"  # a live copy holds the folder but never answered


class SingleInstance(QObject):
    """`acquire()` says whether this launch is the window for the folder; `raise_requested`
    fires in the first copy for every later launch."""

    raise_requested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None,
                 *, answer_wait_s: float = ANSWER_WAIT_S) -> None:
        super().__init__(parent)
        self._path = data_dir / LOCK_NAME
        self._lock = QLockFile(str(self._path))
        self._lock.setStaleLockTime(0)  # never by age: only a dead holder makes it stale
        self._name = server_name(data_dir)
        self._server: QLocalServer | None = None
        self._answer_wait_s = answer_wait_s
        self._watch = QTimer(self)  # the socket file can be removed under us (a /tmp clean-up)
        self._watch.setInterval(SOCKET_CHECK_MS)
        self._watch.timeout.connect(self._keep_listening)
        self.holder_pid = 0  # of the copy that holds the folder (UNREACHABLE)

    def acquire(self) -> Claim:
        if self._lock.tryLock(0):
            self._listen()
            return Claim.OURS
        if self._ask_running_copy():
            return Claim.RAISED
        if self._lock.error() != QLockFile.LockError.LockFailedError:
            # No lock file can be made here (a read-only folder): nothing to share it with.
            # The history then opens read-only (or says why not); the window still opens.
            log.warning("no window lock in a folder that refuses it (%s)", self._lock.error())
            self._listen()
            return Claim.OURS
        # Held. A copy killed with SIGKILL whose process id now names another live program
        # of the same name (python3.11) still looks alive to QLockFile; the native lock Qt
        # keeps on the file died with it, so that lock says whether the holder is alive.
        if native_lock_free(self._path):
            if self._lock.removeStaleLockFile() and self._lock.tryLock(0):
                log.info("took over %s from a copy that is gone", LOCK_NAME)
                self._listen()
                return Claim.OURS
            if native_lock_free(self._path):  # a dead copy's file we cannot remove (read-only)
                log.warning("a dead copy's %s cannot be removed; opening without it", LOCK_NAME)
                self._listen()
                return Claim.OURS
            # Another launch took it over this very moment: ask that one, below.
        # Alive. It may still be starting, or be re-creating a socket that was removed.
        deadline = time.monotonic() + self._answer_wait_s
        while time.monotonic() < deadline:
            if self._ask_running_copy():
                return Claim.RAISED
            QThread.msleep(RETRY_MS)
        info = self._lock.getLockInfo()  # (pid, hostname, appname) in PySide6
        pid = info[0] if isinstance(info, tuple) and info else 0
        self.holder_pid = pid if isinstance(pid, int) else 0
        log.warning("desktopchat process %s holds %s and does not answer", pid, LOCK_NAME)
        return Claim.UNREACHABLE

    def release(self) -> None:
        self._watch.stop()
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()

    def _listen(self) -> None:
        QLocalServer.removeServer(self._name)  # a socket file left by a crashed copy
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self._name):
            log.warning("single-instance socket not available: %s", server.errorString())
        server.newConnection.connect(self._incoming)
        self._server = server
        self._watch.start()

    def _keep_listening(self) -> None:
        """Listen again when the socket file is gone, so a later launch still finds us."""
        server = self._server
        path = server.fullServerName() if server is not None else ""
        if server is None or (server.isListening() and os.path.exists(path)):
            return
        log.info("the single-instance socket %s was removed: listening again", path)
        server.close()
        QLocalServer.removeServer(self._name)
        if not server.listen(self._name):
            log.warning("single-instance socket not available: %s", server.errorString())

    def _ask_running_copy(self) -> bool:
        socket = QLocalSocket()
        socket.connectToServer(self._name)
        if not socket.waitForConnected(CONNECT_MS):
            return False
        socket.write(RAISE)
        socket.flush()
        socket.waitForBytesWritten(CONNECT_MS)
        # The kernel accepts a connection for a process that is stopped or hung: only its
        # answer shows that a window will really come up.
        answered = False
        while not answered and socket.waitForReadyRead(CONNECT_MS):
            answered = bytes(socket.readAll().data()).startswith(SHOWN.strip())
        socket.disconnectFromServer()
        return answered

    def _incoming(self) -> None:
        server = self._server
        while server is not None and server.hasPendingConnections():
            socket = server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(RAISE.strip()):
            log.info("a second launch asked this window to show itself")
            self.raise_requested.emit()
            socket.write(SHOWN)
            socket.flush()
