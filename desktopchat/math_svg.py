"""LaTeX formulas to SVG with ziamath, in a helper process of the desktop app.

ziamath is pure Python: a formula costs 10-20 ms, a long one seconds (2,000 characters of
fractions: ~1 s; 20,000: ~14 s). On the UI thread that is a freeze, and on a thread of the
UI process it competes for the GIL with the UI (DESIGN.md §6, §8: no stall over 50 ms). So
the app runs `desktopchat --math-worker`, which serves one request per line on stdin and
answers each on stdout, in order; the app draws the SVG (QtSvg, ~1 ms) and kills and
restarts a worker that takes too long. This module never imports Qt.

It first says {"ready": true} once its font is loaded (the app times answers from then).
Request: {"id": int, "latex": str, "display": bool, "color": "#rrggbb", "size": float}.
Answer: {"id": int, "svg": str | null} (null: the formula did not parse, or its SVG is
larger than MAX_SVG_CHARS; either is shown as code).
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from typing import IO

WORKER_FLAG = "--math-worker"
MAX_SVG_CHARS = 1_000_000  # a larger drawing is shown as its source instead


WARM_UP_LATEX = (r"E_{n} = \frac{n^2 h^2}{8 m L^2} + \sqrt{x + \alpha} + \int_0^{1} e^{-x^2}\,dx"
                 r" = \sum_{k=0}^{n} a_k \begin{pmatrix} 1 & 0 \\ 0 & 1 \end{pmatrix}")


def latex_svg(latex: str, *, display: bool, color: str, size: float) -> str | None:
    """The formula as SVG 1.1 (what QtSvg draws), or None when it does not parse."""
    with warnings.catch_warnings():
        # ziamath finds its font with importlib.resources' deprecated path(): harmless.
        warnings.simplefilter("ignore", DeprecationWarning)
        from ziamath.config import config
        from ziamath.zmath import Math
    # SVG 2 glyphs are <symbol>s, which QtSvg (SVG Tiny 1.2) draws as nothing.
    config.svg2 = False
    try:
        svg = str(Math.fromlatex(latex, size=size, color=color, inline=not display).svg())
    except Exception:  # any parse error of model-written LaTeX: shown as code
        return None
    return svg if len(svg) <= MAX_SVG_CHARS else None


def answer(request: dict[str, object]) -> dict[str, object]:
    try:
        size = request["size"]
        if not isinstance(size, int | float | str):
            raise TypeError("size")  # as float() would
        svg = latex_svg(str(request["latex"]), display=bool(request["display"]),
                        color=str(request["color"]), size=float(size))
    except (KeyError, TypeError, ValueError, RecursionError):
        svg = None
    return {"id": request.get("id"), "svg": svg}


def serve(requests: IO[bytes], answers: IO[bytes]) -> int:
    """Answer requests until stdin closes (the app quit or died)."""
    latex_svg(WARM_UP_LATEX, display=True, color="#000000", size=16)  # font, common layouts
    answers.write(b'{"ready": true}\n')  # the app times answers from here on
    answers.flush()
    for line in requests:
        try:
            request = json.loads(line)
        except ValueError:
            continue  # never sent by the app
        if not isinstance(request, dict):
            continue
        answers.write(json.dumps(answer(request)).encode("ascii") + b"\n")
        answers.flush()
    return 0


def main() -> int:
    # Anything a library prints must not corrupt the answers: they get their own handle
    # (the descriptors, which a windowed bundle has even where sys.stdout is None), and
    # print() goes to stderr.
    answers = os.fdopen(os.dup(1), "wb")
    sys.stdout = sys.stderr
    with os.fdopen(0, "rb") as requests:
        return serve(requests, answers)
