"""The math worker's side: one answer per request line, in order, SVG or null."""

from __future__ import annotations

import io
import json

from desktopchat.math_svg import answer, serve


def test_serve_says_ready_then_answers_each_request_in_order() -> None:
    requests = io.BytesIO(b"\n".join([
        json.dumps({"id": 1, "latex": "\\frac{a}{b}", "display": True, "color": "#112233",
                    "size": 30}).encode(),
        b"not json",
        json.dumps({"id": 2, "latex": "x^", "display": False, "color": "#000000",
                    "size": 30}).encode(),
        json.dumps({"id": 3}).encode(),
    ]) + b"\n")
    out = io.BytesIO()
    assert serve(requests, out) == 0
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines[0] == {"ready": True}
    assert [line["id"] for line in lines[1:]] == [1, 2, 3]
    assert "<svg" in lines[1]["svg"] and "#112233" in lines[1]["svg"]
    assert lines[2]["svg"] is None  # does not parse: shown as code
    assert lines[3]["svg"] is None  # a malformed request is answered, not fatal


def test_svg_is_svg_1_1_that_qtsvg_draws() -> None:
    svg = answer({"id": 7, "latex": "x_1", "display": False, "color": "#000000",
                  "size": 20})["svg"]
    assert svg is not None and "<symbol" not in svg  # SVG 2 symbols draw as nothing in Qt
