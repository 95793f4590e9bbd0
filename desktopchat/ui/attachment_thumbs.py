"""Thumbnails of attached images for the transcript: decoded once, off the UI thread.

Decoding a 2048 px PNG takes tens of milliseconds, more than a frame may stall, so `get`
returns None the first time and decodes in a worker; `ready` (the SHA-256) arrives on the
UI thread, and the rows showing that image are re-synced. Thumbnails are small (at most
THUMB_SIZE px on each side) and kept by hash, so one image shown twice is decoded once.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QImage

from desktopchat.ui.image_scaling import decode

THUMB_SIZE = 160
MAX_CACHED = 500  # thumbnails kept (each at most 160x160x4 bytes = 100 KB)


def thumbnail(data: bytes) -> QImage:
    image = decode(data, scaled_to=THUMB_SIZE)  # safe on a worker thread (see decode)
    if image.isNull():
        broken = QImage(48, 48, QImage.Format.Format_ARGB32)
        broken.fill(QColor(128, 128, 128, 90))
        return broken
    if max(image.width(), image.height()) <= THUMB_SIZE:
        return image
    return image.scaled(THUMB_SIZE, THUMB_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation)


class ThumbnailCache(QObject):
    ready = Signal(str)  # sha256
    _finished = Signal(str, object)  # from the worker: sha256, QImage

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._done: dict[str, QImage] = {}
        self._waiting: set[str] = set()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="thumbnails")
        self._finished.connect(self._store_and_announce)

    @property
    def pending(self) -> int:
        """Thumbnails being decoded now."""
        return len(self._waiting)

    def get(self, sha: str, data: bytes) -> QImage | None:
        """The thumbnail if decoded already; otherwise None, and `ready` follows."""
        found = self._done.get(sha)
        if found is None and sha not in self._waiting:
            self._waiting.add(sha)
            self._pool.submit(self._decode, sha, data)
        return found

    def wait(self, sha: str, data: bytes) -> QImage:
        """Decode now (tests, screenshots and benchmarks that must not wait for a frame)."""
        if sha not in self._done:
            self._store(sha, thumbnail(data))
        return self._done[sha]

    def _decode(self, sha: str, data: bytes) -> None:
        image = thumbnail(data)
        self._finished.emit(sha, image)

    def _store_and_announce(self, sha: str, image: QImage) -> None:
        self._store(sha, image)
        self.ready.emit(sha)

    def _store(self, sha: str, image: QImage) -> None:
        self._waiting.discard(sha)
        if len(self._done) >= MAX_CACHED:
            self._done.pop(next(iter(self._done)))
        self._done[sha] = image

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
