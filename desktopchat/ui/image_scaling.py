"""Images scaled down to what a model reads (MAX_IMAGE_SIDE on the long side), with Qt.

QImage works off the UI thread, so the attachment loader calls this in its worker.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage, QImageReader

from desktopchat.attachments import MAX_IMAGE_SIDE, Attachment, Kind
from desktopchat.errors import AttachmentError
from desktopchat.ui.error_text import in_user_language
from desktopchat.ui.i18n import translate
from desktopchat.ui.plain_text import isolated


def image_format(data: bytes) -> bytes | None:
    """The format of an attachment image from its first bytes (png, jpeg, gif, webp)."""
    if data.startswith(b"\x89PNG"):
        return b"png"
    if data.startswith(b"\xff\xd8"):
        return b"jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return b"gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return b"webp"
    return None


def decode(data: bytes, scaled_to: int = 0) -> QImage:
    """Decode off the UI thread safely. The format is named, so Qt does not probe every
    plugin: the SVG plugin's probe connects a QObject, taking a Qt lock while this thread
    holds Python's, and a main thread that was destroying a QObject (holding that lock,
    waiting for Python's) deadlocked with it. QImageReader.read() also lets other threads
    run while it decodes. `scaled_to` > 0 decodes straight to that long side at most."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    fmt = image_format(data)
    if fmt is None:
        return QImage()  # not one of the image types attachments take
    reader = QImageReader(buffer, QByteArray(fmt))
    reader.setAutoDetectImageFormat(False)
    if scaled_to > 0:
        size = reader.size()
        if size.isValid() and max(size.width(), size.height()) > scaled_to:
            reader.setScaledSize(size.scaled(scaled_to, scaled_to,
                                             Qt.AspectRatioMode.KeepAspectRatio))
    return reader.read()


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
    image = decode(attachment.data)
    if image.isNull():
        raise in_user_language(AttachmentError(translate(
            "ImageScaling", "{name} could not be read as an image.").format(
                name=isolated(attachment.name))))
    if max(image.width(), image.height()) <= MAX_IMAGE_SIDE:
        return attachment
    smaller = image.scaled(MAX_IMAGE_SIDE, MAX_IMAGE_SIDE, Qt.AspectRatioMode.KeepAspectRatio,
                           Qt.TransformationMode.SmoothTransformation)
    if attachment.mime == "image/jpeg":
        data, mime = encoded(smaller, "JPEG", 90), "image/jpeg"
    else:
        data, mime = encoded(smaller, "PNG"), "image/png"
    return Attachment(attachment.name, Kind.IMAGE, mime, data)


def pasted_image(image: QImage, name: str | None = None) -> Attachment:
    """An image from the clipboard, as a PNG attachment scaled down like a file."""
    if image.isNull():
        raise in_user_language(AttachmentError(translate(
            "ImageScaling", "The clipboard image could not be read.")))
    if name is None:  # the chip shows it, and the model reads it as the file's name
        name = translate("ImageScaling", "pasted image.png")
    return scaled_down(Attachment(name, Kind.IMAGE, "image/png", encoded(image, "PNG")))
