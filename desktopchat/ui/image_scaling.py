"""Images scaled down to what a model reads (MAX_IMAGE_SIDE on the long side), with Qt.

QImage works off the UI thread, so the attachment loader calls this in its worker.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage

from desktopchat.attachments import MAX_IMAGE_SIDE, Attachment, Kind
from desktopchat.errors import AttachmentError


def encoded(image: QImage, fmt: str, quality: int = -1) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # The stub types the format as bytes for a device; PySide takes a str as Qt's char*.
    image.save(buffer, fmt, quality)  # type: ignore[call-overload]
    buffer.close()
    return bytes(data.data())


def scaled_down(attachment: Attachment) -> Attachment:
    """The image at most MAX_IMAGE_SIDE pixels on its long side; re-encoded only when it had
    to shrink (JPEG stays JPEG, the rest become PNG), and only if that is smaller."""
    if attachment.kind is not Kind.IMAGE:
        return attachment
    image = QImage.fromData(attachment.data)
    if image.isNull():
        raise AttachmentError(f"{attachment.name} could not be read as an image.")
    if max(image.width(), image.height()) <= MAX_IMAGE_SIDE:
        return attachment
    smaller = image.scaled(MAX_IMAGE_SIDE, MAX_IMAGE_SIDE, Qt.AspectRatioMode.KeepAspectRatio,
                           Qt.TransformationMode.SmoothTransformation)
    if attachment.mime == "image/jpeg":
        data, mime = encoded(smaller, "JPEG", 90), "image/jpeg"
    else:
        data, mime = encoded(smaller, "PNG"), "image/png"
    return Attachment(attachment.name, Kind.IMAGE, mime, data)


def pasted_image(image: QImage, name: str = "pasted image.png") -> Attachment:
    """An image from the clipboard, as a PNG attachment scaled down like a file."""
    if image.isNull():
        raise AttachmentError("The clipboard image could not be read.")
    return scaled_down(Attachment(name, Kind.IMAGE, "image/png", encoded(image, "PNG")))
