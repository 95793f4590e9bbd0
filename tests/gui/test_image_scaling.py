"""Images are scaled to MAX_IMAGE_SIDE before they are stored and sent; small ones are kept."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage

from desktopchat.attachments import MAX_IMAGE_SIDE, Attachment, Kind
from desktopchat.ui.image_scaling import scaled_down


def encoded(width: int, height: int, fmt: str) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("seagreen"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, fmt)
    return bytes(data.data())


def test_large_jpeg_stays_jpeg_and_small_images_are_untouched(qapp: Any) -> None:
    big = Attachment("photo.jpg", Kind.IMAGE, "image/jpeg", encoded(1000, 4096, "JPEG"))
    small = scaled_down(big)
    assert small.mime == "image/jpeg" and small.size < big.size
    image = QImage.fromData(small.data)
    assert (image.width(), image.height()) == (500, MAX_IMAGE_SIDE)
    tiny = Attachment("icon.png", Kind.IMAGE, "image/png", encoded(32, 32, "PNG"))
    assert scaled_down(tiny) is tiny
