"""Data-URL images from model output, decoded off the UI thread and capped in size.

`get` answers at once with what is known (a decoded image, or why there is none) or None
while a worker decodes; `ready` (the image's key) then arrives on the UI thread and the
transcript renders the parts that showed "loading" again. Decoding goes through
QImageReader with the format named (image_scaling.decode explains the deadlock that
QImage.fromData's plugin probing caused), refuses more than MAX_PIXELS before decoding,
and scales to at most SHOW_SIDE (times two for sharp HiDPI) while it decodes.
"""

from __future__ import annotations

import base64
import binascii
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QSize, Qt, Signal
from PySide6.QtGui import QImage, QImageReader

from desktopchat.ui.data_url import MAX_IMAGE_BYTES, DataImage
from desktopchat.ui.image_scaling import image_format

MAX_PIXELS = 4096 * 4096  # more is not decoded at all (memory): a placeholder says so
SHOW_SIDE = 480  # logical px: the longest side an image is shown at in the transcript
MAX_CACHED = 32  # decoded images kept: each up to 960x960x4 bytes (3.7 MB), so <= ~120 MB


@dataclass(frozen=True)
class Shown:
    """What a data image turned into: an image to show, or the reason there is none."""

    image: QImage | None
    width: int = 0  # logical size to show it at
    height: int = 0
    problem: str = ""  # "large", "pixels" or "unreadable" when image is None
    size: int = 0  # bytes, or pixels for "pixels"


def decode_data_image(mime: str, payload: str) -> Shown:
    """Decode one image (safe on a worker thread: see image_scaling.decode)."""
    try:
        data = base64.b64decode("".join(payload.split()), validate=True)
    except (binascii.Error, ValueError):
        return Shown(None, problem="unreadable")
    if len(data) > MAX_IMAGE_BYTES:
        return Shown(None, problem="large", size=len(data))
    fmt = image_format(data)
    named = "jpeg" if mime.endswith(("jpeg", "jpg")) else mime.rpartition("/")[2]
    if fmt is None or fmt.decode() != named:
        return Shown(None, problem="unreadable")  # the bytes are not what the URL says
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, QByteArray(fmt))
    reader.setAutoDetectImageFormat(False)
    size = reader.size()
    if not size.isValid() or size.isEmpty():
        return Shown(None, problem="unreadable")
    if size.width() * size.height() > MAX_PIXELS:
        return Shown(None, problem="pixels", size=size.width() * size.height())
    shown = size.scaled(SHOW_SIDE, SHOW_SIDE, Qt.AspectRatioMode.KeepAspectRatio) if max(
        size.width(), size.height()) > SHOW_SIDE else QSize(size)
    sharp = shown * 2
    if sharp.width() < size.width():
        reader.setScaledSize(sharp)
    image = reader.read()
    if image.isNull():
        return Shown(None, problem="unreadable")
    return Shown(image, shown.width(), shown.height())


class DataImages(QObject):
    """Decoded data images by key (a digest of the payload), one worker thread."""

    ready = Signal(str)  # key
    _finished = Signal(str, object)  # from the worker: key, Shown

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._done: dict[str, Shown] = {}
        self._waiting: set[str] = set()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="data-images")
        self._finished.connect(self._store_and_announce)

    @property
    def pending(self) -> int:
        return len(self._waiting)

    def get(self, image: DataImage) -> Shown | None:
        """What to show, if decoded already; otherwise None, and `ready` follows."""
        found = self._done.get(image.key)
        if found is None and image.key not in self._waiting:
            self._waiting.add(image.key)
            self._pool.submit(self._decode, image)
        return found

    def _decode(self, image: DataImage) -> None:
        try:
            shown = decode_data_image(image.mime, image.payload)
        except Exception:  # a decoder bug must not leave the image "loading" forever
            shown = Shown(None, problem="unreadable")
        self._finished.emit(image.key, shown)

    def _store_and_announce(self, key: str, shown: Shown) -> None:
        self._waiting.discard(key)
        if len(self._done) >= MAX_CACHED:
            self._done.pop(next(iter(self._done)))
        self._done[key] = shown
        self.ready.emit(key)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
