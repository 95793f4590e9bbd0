"""Formulas are made in the math helper process: the UI thread only asks and draws.

Through the real worker (`python -m desktopchat --math-worker`), the real chat view and
its render pump; a broken or slow worker leaves formulas as code, never a wait.
"""

from __future__ import annotations

import sys
from types import SimpleNamespace
from typing import Any

from desktopchat.ui.chat_view import ChatView
from desktopchat.ui.markdown import MarkdownRenderer
from desktopchat.ui.math_worker import MathWorker, Request, request_key, shared_math_worker
from desktopchat.ui.theme import theme_named

SLOW_LATEX = " + ".join(f"\\frac{{x_{i}}}{{y^{i}}}" for i in range(150))  # ~1.5 s idle


def ask(worker: MathWorker, latex: str) -> str:
    key = request_key(latex, False, "#000000", 32.0)
    worker.request(Request(key, latex, False, "#000000", 32.0))
    return key


def message(mid: int, role: str, content: str) -> Any:
    return SimpleNamespace(id=mid, role=role, content=content, reasoning="", tool_calls=[],
                           state="complete", finish_reason="stop", usage=None, error=None)


def test_a_formula_is_answered_by_the_worker_as_svg(qtbot: Any) -> None:
    worker = MathWorker()
    with qtbot.waitSignal(worker.ready, timeout=60_000) as ready:
        key = ask(worker, "\\frac{a}{b}")
    assert ready.args == [key]
    answer = worker.answer(key)
    assert answer is not None and answer.svg is not None and "<svg" in answer.svg
    assert worker.pending == 0
    worker.end()


def test_a_formula_that_does_not_parse_is_answered_as_code(qtbot: Any) -> None:
    worker = MathWorker()
    key = ask(worker, "x^")
    assert worker.wait({key})
    answer = worker.answer(key)
    assert answer is not None and answer.svg is None
    worker.end()


def test_the_view_shows_the_source_and_draws_the_formula_once_the_worker_answers(
        qtbot: Any) -> None:
    worker = shared_math_worker()
    assert worker.wait({ask(worker, "y")})  # started and ready
    ask(worker, " + ".join(f"\\frac{{x_{i}}}{{y^{i}}}" for i in range(60)))  # keeps it busy
    view = ChatView(theme_named("light"))
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    view.set_messages([message(1, "user", "Energy?"),
                       message(2, "assistant", "It is $E = m c^{2}$ exactly.")])
    qtbot.waitUntil(lambda: not view.row_geometry.pump.busy, timeout=10_000)
    body = next(p for p in view.rows.get(2).render.parts if p.kind == "body")
    assert body.doc is not None
    if "E = m" in body.doc.toPlainText():  # the worker is still on the long one
        # The part shows the source and waits for the answer; the pump does not spin.
        assert any(k.startswith("math:") for k in body.images_waiting)
        assert not body.stale and worker.pending
    qtbot.waitUntil(lambda: body.doc is not None and "dcmath:" in body.doc.toHtml()
                    and "E = m" not in body.doc.toPlainText(), timeout=60_000)
    assert "exactly" in body.doc.toPlainText()


def test_a_formula_slower_than_the_limit_is_code_and_the_next_one_still_renders(
        qtbot: Any) -> None:
    worker = MathWorker(timeout_ms=200)
    slow = ask(worker, SLOW_LATEX)
    assert worker.wait({slow})
    answer = worker.answer(slow)
    assert answer is not None and answer.svg is None  # cut off: shown as code
    quick = ask(worker, "x_1")
    assert worker.wait({quick})
    answer = worker.answer(quick)
    assert answer is not None and answer.svg is not None  # a new worker answered it
    worker.end()


def test_a_worker_that_cannot_start_leaves_every_formula_as_code(qtbot: Any) -> None:
    worker = MathWorker(command=("/nonexistent/desktopchat-math", []))
    key = ask(worker, "x")
    qtbot.waitUntil(lambda: worker.answer(key) is not None, timeout=10_000)
    assert worker.broken and worker.answer(key) == worker.answer(ask(worker, "y"))
    assert worker.pending == 0


def test_a_worker_that_keeps_dying_is_given_up(qtbot: Any) -> None:
    worker = MathWorker(command=(sys.executable, ["-c", "raise SystemExit(3)"]))
    key = ask(worker, "x")
    qtbot.waitUntil(lambda: worker.broken, timeout=30_000)
    answer = worker.answer(key)
    assert answer is not None and answer.svg is None
    assert worker.pending == 0


def test_a_renderer_without_a_worker_of_its_own_uses_the_shared_one(qapp: Any) -> None:
    one, two = MarkdownRenderer(theme_named("light")), MarkdownRenderer(theme_named("dark"))
    assert one.math.worker is two.math.worker
