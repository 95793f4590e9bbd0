"""Lexers are built on their own thread: the UI thread shows code plain until they are.

Through the real MarkdownRenderer, the real lexers' thread and the real chat view.
"""

from __future__ import annotations

import threading
from types import SimpleNamespace
from typing import Any

from desktopchat.ui.chat_view import ChatView
from desktopchat.ui.lexers import LEXER_PREFIX, MAX_NAME, Lexers, Unknown
from desktopchat.ui.markdown import MarkdownRenderer
from desktopchat.ui.theme import theme_named

OCAML = "```ocaml\nlet rec f x = if x > 0 then f (x - 1) else 0\n```\n"


def message(mid: int, role: str, content: str) -> Any:
    return SimpleNamespace(id=mid, role=role, content=content, reasoning="", tool_calls=[],
                           state="complete", finish_reason="stop", usage=None, error=None)


def test_code_is_plain_until_its_lexer_is_built_then_highlighted(qtbot: Any) -> None:
    renderer = MarkdownRenderer(theme_named("light"), lexers=Lexers())
    first = renderer.render(OCAML)
    code = first.html.split("<pre")[1]
    assert "<span style=" not in code and "let rec f x" in code
    assert LEXER_PREFIX + "ocaml" in first.images_waiting
    with qtbot.waitSignal(renderer.lexers.ready, timeout=30_000,
                          check_params_cb=lambda key: key == LEXER_PREFIX + "ocaml"):
        pass
    renderer.wait_for(first.images_waiting)  # and the colour style, if that came later
    again = renderer.render(OCAML)
    assert "<span style=" in again.html.split("<pre")[1] and not again.images_waiting


def test_an_unknown_or_absurd_language_is_plain_and_waits_for_nothing(qapp: Any) -> None:
    lexers = Lexers()
    renderer = MarkdownRenderer(theme_named("light"), lexers=lexers)
    assert lexers.wait([LEXER_PREFIX + "nosuchlang"]) is False  # never asked yet
    assert lexers.lexer("nosuchlang") is None  # asked: built (as unknown) on the thread
    assert lexers.wait([LEXER_PREFIX + "nosuchlang"])
    assert isinstance(lexers.lexer("nosuchlang"), Unknown)
    result = renderer.render("```nosuchlang\nx < y\n```\n")
    assert "x &lt; y" in result.html and not result.images_waiting
    long_name = "x" * (MAX_NAME + 1)
    assert isinstance(lexers.lexer(long_name), Unknown)  # nothing built for model junk


def test_the_view_renders_code_again_once_its_lexer_is_built(qtbot: Any) -> None:
    view = ChatView(theme_named("light"))
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    view.set_messages([message(1, "user", "Code?"), message(2, "assistant", OCAML)])
    qtbot.waitUntil(lambda: not view.row_geometry.pump.busy, timeout=10_000)

    def body() -> Any:
        return next(p for p in view.rows.get(2).render.parts if p.kind == "body")

    def highlighted() -> bool:
        doc = body().doc
        # Past the header line (language, Wrap, Copy): the code's own colours.
        return doc is not None and "color:" in doc.toHtml().split("Copy", 1)[-1]

    qtbot.waitUntil(lambda: highlighted() and not body().images_waiting, timeout=30_000)
    assert "let rec f x" in body().doc.toPlainText()


def test_warm_up_builds_one_lexer_at_a_time_then_all(qtbot: Any) -> None:
    lexers = Lexers()
    lexers.warm_up(["json", "diff"], "xcode")
    assert len(lexers._asked) == 1  # the colour style first; each next one after a gap
    qtbot.waitUntil(lambda: len(lexers._asked) == 3, timeout=30_000)
    assert lexers.wait([LEXER_PREFIX + "json", LEXER_PREFIX + "diff", "style:xcode"])
    assert not isinstance(lexers.lexer("json"), Unknown) and lexers.lexer("json") is not None


class View:
    busy = True

    def rendering(self) -> bool:
        return self.busy


def test_warm_up_waits_while_the_view_is_busy(qapp: Any) -> None:
    view = View()
    lexers = Lexers()
    lexers.warm_up(["json"], "xcode", busy=view.rendering)
    lexers._warm_next()  # the gap's timer firing while the view renders
    assert not lexers._asked and lexers._warm_timer.isActive()
    view.busy = False
    lexers._warm_next()
    assert list(lexers._asked) == ["style:xcode"]


def test_the_builder_pauses_after_each_expression_and_only_the_builder(
        qapp: Any, monkeypatch: Any) -> None:
    from pygments.lexer import RegexLexerMeta

    from desktopchat.ui import lexers as lexers_module

    pauses: list[str] = []
    monkeypatch.setattr(lexers_module, "pause",
                        lambda took: pauses.append(threading.current_thread().name))
    built = Lexers()
    assert built.wait([]) and built.lexer("fortran") is None  # built on its thread
    assert built.wait([LEXER_PREFIX + "fortran"])
    assert pauses and set(pauses) == {pauses[0]} and pauses[0].startswith("lexers")
    assert pauses[0] != threading.main_thread().name
    # The same step on the UI thread (a sub-lexer built while tokenizing) never pauses.
    count = len(pauses)
    RegexLexerMeta._process_regex(type(built.lexer("fortran")), r"x+", 0, "root")
    assert len(pauses) == count
