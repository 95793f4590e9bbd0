"""LaTeX formulas as images for the transcript's documents, cached, drawn from SVG.

The SVG comes from the math helper process (math_worker: ziamath, pure Python, 10 ms to
seconds a formula, never runs in the UI process); QSvgRenderer draws it into a QImage at
twice the size, so it stays sharp on HiDPI screens (~1 ms). `image` answers at once: the
cached image, one drawn now while the step's budget lasts, or "not yet" (the caller shows
the source as code and renders the chunk again when the worker's `ready` names the
formula, or in a later slice). Results (and failures, shown as code) are cached by
formula, display flag, colour and size.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from desktopchat.ui.math_worker import MathWorker, Request, request_key

MATH_SCHEME = "dcmath"  # resource names of formula images, added to each document
SCALE = 2  # device pixels per logical pixel of a formula image
CACHE_LIMIT = 512  # formulas kept; the oldest is forgotten past this


@dataclass(frozen=True)
class Formula:
    image: QImage | None  # None: the formula did not parse (shown as code)
    width: float  # logical size, px
    height: float


Key = tuple[str, bool, str, float]


class MathImages:
    """Formula images for one theme; `renders` counts formulas asked of the worker."""

    def __init__(self, worker: MathWorker) -> None:
        self.worker = worker
        self._cache: dict[Key, Formula] = {}
        self.renders = 0

    def cached(self, latex: str, *, display: bool, color: str, size: float) -> Formula | None:
        return self._cache.get((latex, display, color, size))

    def image(self, latex: str, *, display: bool, color: str, size: float,
              deadline: float, waiting: set[str]) -> Formula | None:
        """The formula's image; None when not ready: then its worker key is added to
        `waiting` (render again when it is `ready`), or, when the answer is in but
        `deadline` has passed (the caller passes inf for its first formula), nothing is."""
        key = (latex, display, color, size)
        found = self._cache.get(key)
        if found is not None:
            return found
        name = request_key(latex, display, color, size * SCALE)
        answer = self.worker.answer(name)
        if answer is None:
            if self.worker.request(Request(name, latex, display, color, size * SCALE)):
                self.renders += 1
            waiting.add(name)
            return None
        if time.perf_counter() > deadline or not svg_renderer_started():
            return None  # drawn in the next slice
        image = None if answer.svg is None else _draw(answer.svg)
        formula = (Formula(None, 0, 0) if image is None
                   else Formula(image, image.width() / SCALE, image.height() / SCALE))
        self.worker.forget(name)
        if len(self._cache) >= CACHE_LIMIT:
            self._cache.pop(next(iter(self._cache)))
        self._cache[key] = formula
        return formula


TINY_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2">'
            '<rect width="1" height="1"/></svg>')
_svg_started: list[bool] = []


def svg_renderer_started() -> bool:
    """False once, after drawing a tiny SVG the way formulas are drawn: the first drawing
    starts Qt's SVG renderer and builds PySide's enum and colour types, ~20-30 ms on top of
    the formula's own drawing. Its own slice keeps the two from adding up."""
    if _svg_started:
        return True
    _svg_started.append(True)
    _draw(TINY_SVG)
    return False


def _draw(svg: str) -> QImage | None:
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    if not renderer.isValid():
        return None
    box = renderer.defaultSize()
    image = QImage(max(1, box.width()), max(1, box.height()),
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, image.width(), image.height()))
    painter.end()
    return image
