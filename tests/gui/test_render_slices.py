"""A huge reply opens without holding the UI thread: parts near the screen first, in slices."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from desktopchat.core.events import ContentDelta
from desktopchat.ui.chat_view import ChatView
from desktopchat.ui.markdown import HIGHLIGHT_MAX_LINE, MarkdownRenderer
from desktopchat.ui.render_body import KEEP_CHARS
from desktopchat.ui.stream_runner import LiveStream
from desktopchat.ui.theme import theme_named


def msg(mid: int, role: str, content: str) -> Any:
    return SimpleNamespace(id=mid, role=role, content=content, reasoning="", tool_calls=[],
                           state="complete", finish_reason="stop", usage=None, error=None)


def big_reply() -> str:
    return "\n\n".join(f"Paragraph {i} says word{i} and some more text to fill the line."
                       + " filler" * 40 for i in range(6000))


def body_parts(view: ChatView, message_id: int) -> list[Any]:
    render = view.item(message_id).render
    return [p for p in render.parts if p.kind == "body"]


def test_a_huge_reply_renders_near_the_screen_only(qtbot: Any) -> None:
    view = ChatView(theme_named("light"))
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    text = big_reply()  # ~1.8 MB
    view.set_messages([msg(1, "user", "Long please"), msg(2, "assistant", text)])
    qtbot.waitUntil(lambda: not view.row_geometry.pump.busy, timeout=30_000)
    parts = body_parts(view, 2)
    assert len(parts) > 400
    rendered = [p for p in parts if p.doc is not None]
    # Opened at the bottom: the last parts are rendered, the start of the reply is not.
    assert parts[-1].doc is not None and parts[0].doc is None
    assert sum(len(p.source) for p in rendered) <= KEEP_CHARS + 10_000

    # Read it from the top down: what was shown is dropped once far away and over budget.
    sb = view.verticalScrollBar()
    for step in range(11):
        sb.setValue(sb.maximum() * step // 10)
        view.viewport().repaint()
        qtbot.waitUntil(lambda: not view.row_geometry.pump.busy, timeout=30_000)
        parts = body_parts(view, 2)
        kept = sum(len(p.source) for p in parts if p.doc is not None)
        assert kept <= KEEP_CHARS + 20_000
    parts = body_parts(view, 2)
    assert parts[0].doc is None  # the top was shown first, and is far away now
    assert parts[-1].doc is not None
    view.verticalScrollBar().setValue(0)
    view.viewport().repaint()
    qtbot.waitUntil(lambda: body_parts(view, 2)[0].doc is not None, timeout=30_000)
    assert "word0 " in body_parts(view, 2)[0].doc.toPlainText()
    # Nothing is lost: finishing renders every part, and every paragraph is there.
    assert "word5999" in view.rendered_html(2)


def test_streaming_a_huge_reply_keeps_the_tail_current(qtbot: Any) -> None:
    view = ChatView(theme_named("light"))
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    view.set_messages([msg(1, "user", "Long please"),
                       SimpleNamespace(**{**vars(msg(2, "assistant", "")),
                                          "state": "streaming"})])
    text = big_reply()[:300_000]
    live = LiveStream(conversation_id=1, message_id=2)  # as the turn runner folds deltas
    for start in range(0, len(text), 5000):
        live.reply.apply(ContentDelta(text[start : start + 5000]))
        view.stream_from(2, live)
        view.flush()
    live.reply.apply(ContentDelta("\n\nTHE-END-MARKER"))
    view.stream_from(2, live)
    view.flush()
    qtbot.waitUntil(lambda: not view.row_geometry.pump.busy, timeout=30_000)
    tail = body_parts(view, 2)[-1]
    assert tail.doc is not None and "THE-END-MARKER" in tail.doc.toPlainText()


def test_highlighting_is_capped_for_long_lines_and_huge_blocks() -> None:
    renderer = MarkdownRenderer(theme_named("light"))
    # The lexer builds on its thread (code is plain until then): wait for it first.
    renderer.wait_for(renderer.render("```python\nx = 1\n```\n").images_waiting)
    normal = renderer.render("```python\nx = 1\n```\n").html
    assert "<span style=" in normal.split("<pre")[1]
    minified = renderer.render("```python\n" + "x = 1; " * (HIGHLIGHT_MAX_LINE // 6)
                               + "\n```\n").html
    assert "<span style=" not in minified.split("<pre")[1]
    assert "x = 1;" in minified
    capped = renderer.render("```python\nx = 1\n```\n", highlight=False).html
    assert "<span style=" not in capped.split("<pre")[1] and "x = 1" in capped
