"""LaTeX formulas as images for the transcript's documents, cached and time-sliced.

ziamath turns LaTeX into SVG in pure Python (no TeX install); QSvgRenderer draws the
SVG into a QImage at twice the size, so it stays sharp on HiDPI screens. A formula costs
~20 ms, too much to do many of in one UI-thread step (DESIGN.md §8: 50 ms), so `image`
renders only while a step's budget lasts and otherwise answers "not yet": the caller
shows the source and renders the chunk again in a later slice. Results (and failures,
shown as code) are cached by formula, display flag, colour and size.
"""

from __future__ import annotations

import functools
import threading
import time
import warnings
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

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
    """Formula images for one theme; `renders` counts real (uncached) renders."""

    def __init__(self) -> None:
        self._cache: dict[Key, Formula] = {}
        self.renders = 0
        # What a formula has cost lately (the slowest, fading): one is not started when
        # it would likely end past the deadline, so a slice overruns by less than one.
        self.expected_s = 0.0

    def cached(self, latex: str, *, display: bool, color: str, size: float) -> Formula | None:
        return self._cache.get((latex, display, color, size))

    def image(self, latex: str, *, display: bool, color: str, size: float,
              deadline: float) -> Formula | None:
        """The formula's image; None when not cached and it would likely end past
        `deadline` (the caller passes no deadline, inf, for its first formula)."""
        key = (latex, display, color, size)
        found = self._cache.get(key)
        started = time.perf_counter()
        if found is not None or started + self.expected_s > deadline or (
                warm_up_math().is_alive()):
            return found  # importing ziamath (~200 ms) is left to its thread: not yet
        if not svg_renderer_started():
            return None  # this slice started Qt's SVG renderer; the formula comes next
        formula = render_formula(latex, display=display, color=color, size=size)
        self.expected_s = max(time.perf_counter() - started, self.expected_s * 0.9)
        self.renders += 1
        if len(self._cache) >= CACHE_LIMIT:
            self._cache.pop(next(iter(self._cache)))
        self._cache[key] = formula
        return formula


def _import_ziamath() -> None:
    with warnings.catch_warnings():
        # ziamath finds its font with importlib.resources' deprecated path(): harmless.
        warnings.simplefilter("ignore", DeprecationWarning)
        from ziamath.zmath import Math
    # Loads the math font's tables, and the glyphs and layout code of the common
    # constructs (fractions, roots, big operators, matrices, scripts): a first formula
    # of each kind on the UI thread cost 20-30 ms more than the next one.
    Math.fromlatex(WARM_UP_LATEX).svg()


WARM_UP_LATEX = (r"E_{n} = \frac{n^2 h^2}{8 m L^2} + \sqrt{x + \alpha} + \int_0^{1} e^{-x^2}\,dx"
                 r" = \sum_{k=0}^{n} a_k \begin{pmatrix} 1 & 0 \\ 0 & 1 \end{pmatrix}")


@functools.cache
def warm_up_math() -> threading.Thread:
    """Import ziamath on a helper thread, once per process: on the UI thread its import
    and font loading would be one ~200 ms stall at the first formula."""
    thread = threading.Thread(target=_import_ziamath, name="ziamath-warm-up", daemon=True)
    thread.start()
    return thread


TINY_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2">'
            '<rect width="1" height="1"/></svg>')
_svg_started: list[bool] = []


def svg_renderer_started() -> bool:
    """False once, after drawing a tiny SVG the way formulas are drawn: the first drawing
    starts Qt's SVG renderer and builds PySide's enum and colour types, ~20-30 ms on top of
    the formula's own 5-20 ms. Its own slice keeps the two from adding up."""
    if _svg_started:
        return True
    _svg_started.append(True)
    _draw(TINY_SVG)
    return False


def render_formula(latex: str, *, display: bool, color: str, size: float) -> Formula:
    with warnings.catch_warnings():
        # ziamath finds its font with importlib.resources' deprecated path(): harmless.
        warnings.simplefilter("ignore", DeprecationWarning)
        # Imported on first use: start-up does not pay for it.
        from ziamath.config import config
        from ziamath.zmath import Math
    # SVG 2 glyphs are <symbol>s, which QtSvg (SVG Tiny 1.2) draws as nothing.
    config.svg2 = False
    try:
        math = Math.fromlatex(latex, size=size * SCALE, color=color,
                                      inline=not display)
        svg = math.svg()
    except Exception:  # any parse error of model-written LaTeX: show the source as code
        return Formula(None, 0, 0)
    image = _draw(svg)
    if image is None:
        return Formula(None, 0, 0)
    return Formula(image, image.width() / SCALE, image.height() / SCALE)


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
