"""Probes for server or file text that a widget might turn into active content.

`local_image(tmp_path)` writes a real IMAGE_SIDE x IMAGE_SIDE picture and returns markup that
points at it: a widget that renders the markup as rich text reads the file and grows to the
picture's height, which `looks_loaded` sees.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWidget

IMAGE_SIDE = 400


def local_image(tmp_path: Path) -> str:
    """`<img src="file://...">` of a real picture in tmp_path."""
    image = QImage(IMAGE_SIDE, IMAGE_SIDE, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    path = tmp_path / "probe.png"
    assert image.save(str(path))
    return f'<img src="file://{path}">'


def looks_loaded(widget: QWidget) -> bool:
    """True when the widget is as tall as the probe picture: it rendered the markup."""
    return widget.sizeHint().height() >= IMAGE_SIDE
