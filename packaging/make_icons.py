"""Render resources/icons/desktopchat.svg into every icon file the installers use.

    .venv/bin/python packaging/make_icons.py

Writes desktopchat-<size>.png (hicolor sizes 16..512), desktopchat.ico (Windows: PNG
entries up to 256) and desktopchat.icns (macOS: PNG entries up to 1024) beside the SVG.
Rendering uses Qt's own SVG renderer, so no extra dependency; ICO and ICNS are written here
with struct because both are small containers of PNG images. The results are committed:
run this again after editing the SVG.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

import buildinfo

ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types holding PNG data, by pixel size (the @2x types reuse larger renders).
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256),
    (b"ic09", 512), (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256),
    (b"ic14", 512),
)


def render_pngs(svg: Path, sizes: set[int]) -> dict[int, bytes]:
    """PNG bytes of `svg` drawn at each size, with a transparent background."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG for Qt's renderer")
    result: dict[int, bytes] = {}
    for size in sorted(sizes):
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")  # type: ignore[call-overload]  # stubs say bytes; runtime wants str
        buffer.close()
        result[size] = bytes(data.data())
    del app
    return result


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICO file: a directory of 16-byte entries, then the PNG images themselves."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, images = [], []
    for size in sizes:
        data = pngs[size]
        dim = 0 if size >= 256 else size  # 0 means 256 in the ICO directory
        entries.append(struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset))
        images.append(data)
        offset += len(data)
    return header + b"".join(entries) + b"".join(images)


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICNS file: 'icns' + total length, then (type, length incl. 8-byte header, PNG)."""
    body = b"".join(
        kind + struct.pack(">I", len(pngs[size]) + 8) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", len(body) + 8) + body


def main() -> int:
    icons = buildinfo.ICONS_DIR
    svg = icons / "desktopchat.svg"
    needed = set(buildinfo.ICON_SIZES) | set(ICO_SIZES) | {size for _, size in ICNS_TYPES}
    pngs = render_pngs(svg, needed)
    for size in buildinfo.ICON_SIZES:
        (icons / f"desktopchat-{size}.png").write_bytes(pngs[size])
    (icons / "desktopchat.ico").write_bytes(ico_bytes({s: pngs[s] for s in ICO_SIZES}))
    (icons / "desktopchat.icns").write_bytes(icns_bytes(pngs))
    print(f"wrote {len(buildinfo.ICON_SIZES)} PNGs, desktopchat.ico, desktopchat.icns in {icons}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
