"""The only QTextDocument class that shows model, server or file text.

QTextDocument loads what its HTML refers to (images, style sheets) through
loadResource: a `file:` URL is read from disk, and with a parent that knows the
network, a remote one could be fetched. Model output never produces such HTML
(markdown.py writes no <img>), but this class is the backstop: it loads only the
app's own Qt resources (`qrc:` / `:/`) and refuses everything else (DESIGN.md §6).

Refusing is not just returning nothing: when loadResource gives no image, Qt's image
handler falls back to reading the path itself (QImage::load on the file). So a refused
image gets a 1x1 transparent stand-in, which Qt accepts and draws as nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument


def is_own_resource(name: QUrl | str) -> bool:
    url = name if isinstance(name, QUrl) else QUrl(str(name))
    return url.scheme() == "qrc" or (url.scheme() == "" and url.path().startswith(":/"))


class SafeDocument(QTextDocument):
    """A document that loads no resource except the app's own."""

    refused: int = 0  # how many loads were refused (tests and diagnostics)

    # Qt's stub types the returned QVariant as Any; here it is an image, bytes or None.
    def loadResource(self, type: int, name: QUrl | str) -> object:
        if is_own_resource(name):
            return super().loadResource(type, name)
        self.refused += 1
        if type == QTextDocument.ResourceType.ImageResource.value:
            return _blank_image()
        return None


def _blank_image() -> QImage:
    image = QImage(1, 1, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    return image
