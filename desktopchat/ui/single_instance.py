"""One desktop window per data folder: a second launch raises the first window and exits.

The lock is a QLockFile in the data folder (Qt removes it when the process that holds it
has died, so a crash never locks the user out); the running copy listens on a local socket
named after the folder, and a second launch sends it "raise" there. Only the GUI takes
this lock: the command line shares the data folder without being a second window (see
storage/writers.py for how start-up recovery tells a live writer from a dead one).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

LOCK_NAME = "desktopchat-window.lock"
RAISE = b"raise\n"
CONNECT_MS = 2000


def server_name(data_dir: Path) -> str:
    """The local socket's name: the same for every launch on this data folder."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode("utf-8")).hexdigest()[:24]
    return f"desktopchat-{digest}"


class SingleInstance(QObject):
    """`acquire()` True: this is the window for the folder; False: the running one was asked
    to show itself. `raise_requested` fires in the first copy for every later launch."""

    raise_requested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = QLockFile(str(data_dir / LOCK_NAME))
        self._lock.setStaleLockTime(0)  # never by age: only a dead holder makes it stale
        self._name = server_name(data_dir)
        self._server: QLocalServer | None = None

    def acquire(self) -> bool:
        if not self._lock.tryLock(0):
            if self._ask_running_copy():
                return False
            # The holder is alive (the lock says so) but does not answer yet: it may still be
            # starting. Either way this launch must not open the same history as a window.
            log.info("another desktopchat window holds %s but did not answer", LOCK_NAME)
            return False
        QLocalServer.removeServer(self._name)  # a socket file left by a crashed copy
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self._name):
            log.warning("single-instance socket not available: %s", server.errorString())
        server.newConnection.connect(self._incoming)
        self._server = server
        return True

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()

    def _ask_running_copy(self) -> bool:
        socket = QLocalSocket()
        socket.connectToServer(self._name)
        if not socket.waitForConnected(CONNECT_MS):
            return False
        socket.write(RAISE)
        socket.flush()
        socket.waitForBytesWritten(CONNECT_MS)
        socket.disconnectFromServer()
        return True

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
