"""The interface icons: Lucide SVGs (resources/icons/ui), drawn in the theme's colour.

Bundled SVGs rather than an icon font library: 20 small files (~30 KB) instead of a new
dependency and its fonts, loaded only when an icon is first drawn. Each icon is rendered by
QSvgRenderer at the exact size and device pixel ratio Qt asks for (1x, 1.5x, 2x...), so it is
crisp on every screen, and tinted by writing the colour into the SVG's `currentColor`.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QIconEngine, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from desktopchat.paths import resource

DISABLED_ALPHA = 0.38  # a disabled icon: the same colour, faint


class IconName(StrEnum):
    COPY = "copy"
    COPIED = "check"
    EDIT = "pencil"
    REGENERATE = "refresh-cw"
    CONTINUE = "step-forward"
    PREVIOUS = "chevron-left"
    NEXT = "chevron-right"
    DELETE = "trash-2"
    NEW_CHAT = "square-pen"
    NEW_FOLDER = "folder-plus"
    SETTINGS = "settings"
    SEND = "send-horizontal"
    STOP = "square"
    ATTACH = "paperclip"
    SIDEBAR = "panel-left"
    USER = "user"
    ASSISTANT = "bot"
    MAKE_DEFAULT = "pin"
    WEB_SEARCH = "globe"
    TEMPERATURE = "thermometer"
    COPY_CODE = "square-code"
    FILE = "file-lines"  # an attachment chip's text file
    IMAGE = "picture"  # an attachment chip's image
    REMOVE = "x-mark"  # an attachment chip's Remove


def svg_source(name: str) -> bytes:
    return resource("icons", "ui", f"{name}.svg").read_bytes()


class TintedSvgEngine(QIconEngine):
    """Renders one SVG in one colour at whatever size and scale a widget paints it."""

    def __init__(self, source: bytes, color: str) -> None:
        super().__init__()
        self._source = source
        self._color = color
        self._renderer_made: QSvgRenderer | None = None
        self._pixmaps: dict[tuple[int, int, int, bool], QPixmap] = {}

    def _renderer(self) -> QSvgRenderer:
        if self._renderer_made is None:
            tinted = self._source.replace(b"currentColor", self._color.encode())
            self._renderer_made = QSvgRenderer(QByteArray(tinted))
        return self._renderer_made

    def _render(self, painter: QPainter, rect: QRectF, disabled: bool) -> None:
        if disabled:
            painter.setOpacity(DISABLED_ALPHA)
        self._renderer().render(painter, rect)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode,
              state: QIcon.State) -> None:
        # From the pixmap cache: the transcript paints an avatar per row on every frame.
        device = painter.device()
        scale = device.devicePixelRatioF() if device is not None else 1.0
        painter.drawPixmap(rect, self.scaledPixmap(rect.size(), mode, state, scale))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State,
                     scale: float) -> QPixmap:
        disabled = mode == QIcon.Mode.Disabled
        key = (size.width(), size.height(), round(scale * 100), disabled)
        cached = self._pixmaps.get(key)
        if cached is not None:
            return cached
        # Device pixels: a 16 px icon at 1.5x is drawn into 24 real pixels, not scaled up.
        pixmap = QPixmap(max(1, round(size.width() * scale)), max(1, round(size.height() * scale)))
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._render(painter, QRectF(pixmap.rect()), disabled)
        painter.end()
        pixmap.setDevicePixelRatio(scale)
        self._pixmaps[key] = pixmap
        return pixmap

    def clone(self) -> QIconEngine:
        return TintedSvgEngine(self._source, self._color)


class IconSet:
    """Icons by name and colour, each built once; a theme change asks for a new colour."""

    def __init__(self) -> None:
        self._sources: dict[str, bytes] = {}
        self._icons: dict[tuple[str, str], QIcon] = {}

    def icon(self, name: IconName | str, color: str) -> QIcon:
        key = (str(name), QColor(color).name())
        made = self._icons.get(key)
        if made is None:
            source = self._sources.get(key[0])
            if source is None:
                source = self._sources[key[0]] = svg_source(key[0])
            made = self._icons[key] = QIcon(TintedSvgEngine(source, key[1]))
        return made
