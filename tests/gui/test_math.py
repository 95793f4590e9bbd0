"""Math in replies: four delimiters become formula images; money, code and bad LaTeX do not.

Rendered by the real MessageRender into its real (safe) documents.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument

from desktopchat.ui.markdown import MarkdownRenderer
from desktopchat.ui.math_render import MATH_SCHEME, svg_renderer_started
from desktopchat.ui.message_render import MessageRender
from desktopchat.ui.theme import theme_named
from desktopchat.ui.transcript_rows import MessageItem

IMAGE = QTextDocument.ResourceType.ImageResource.value


def rendered(text: str, renderer: MarkdownRenderer | None = None) -> list[QTextDocument]:
    renderer = renderer or MarkdownRenderer(theme_named("light"))
    render = MessageRender(MessageItem(id=1, role="assistant", content=text), renderer,
                           is_last=True)
    render.layout(700)
    render.finish()
    return [p.doc for p in render.parts if p.kind == "body" and p.doc is not None]


def formula_images(docs: list[QTextDocument]) -> list[QImage]:
    images = []
    for doc in docs:
        for n in range(doc.toHtml().count(f'src="{MATH_SCHEME}:')):
            image = doc.resource(IMAGE, QUrl(f"{MATH_SCHEME}:{n}"))
            assert isinstance(image, QImage) and not image.isNull()
            images.append(image)
    return images


@pytest.mark.parametrize("text", [
    "The area is $\\pi r^2$ here.",
    "Inline \\(\\frac{a}{b}\\) too.",
    "Display:\n$$\\int_0^1 x\\,dx = \\frac{1}{2}$$\nafter.",
    "Display:\n\\[\\sum_{k=1}^n k\\]\nafter.",
])
def test_each_delimiter_renders_as_an_image(qapp: Any, text: str) -> None:
    docs = rendered(text)
    assert len(formula_images(docs)) == 1
    plain = "\n".join(d.toPlainText() for d in docs)
    assert "$" not in plain and "\\" not in plain  # the source was replaced by the image
    assert "after" in plain or "here" in plain or "too" in plain


def test_formula_is_drawn_in_the_theme_text_colour(qapp: Any) -> None:
    theme = theme_named("dark")
    image = formula_images(rendered("$x$", MarkdownRenderer(theme)))[0]
    colours = {image.pixelColor(x, y).name() for x in range(image.width())
               for y in range(image.height()) if image.pixelColor(x, y).alpha() == 255}
    assert theme.text.lower() in colours


@pytest.mark.parametrize("text", [
    "It costs $5 and $10 today.",
    "Between $ 3 and 4 $ dollars.",
    "Code `$x$` and `\\(y\\)` stay code.",
    "```\n$x^2$ and \\[y\\]\n```",
])
def test_currency_and_code_are_not_math(qapp: Any, text: str) -> None:
    docs = rendered(text)
    assert formula_images(docs) == []
    plain = "\n".join(d.toPlainText() for d in docs)
    for word in ("$5 and $10", "$ 3 and 4 $", "`$x$`".strip("`"), "$x^2$"):
        if word in text:
            assert word in plain


def test_a_broken_formula_shows_its_source_as_code(qapp: Any) -> None:
    renderer = MarkdownRenderer(theme_named("light"))
    html_text = renderer.render("Bad $x^$ and good $y$.").html
    assert "<code" in html_text and "$x^$" in html_text
    docs = rendered("Bad $x^$ and good $y$.", renderer)
    assert len(formula_images(docs)) == 1
    assert "$x^$" in docs[0].toPlainText()


def test_the_cache_returns_the_same_image_without_rendering_again(qapp: Any) -> None:
    renderer = MarkdownRenderer(theme_named("light"))
    first = formula_images(rendered("$e^{i\\pi} + 1 = 0$", renderer))[0]
    renders = renderer.math.renders
    second = formula_images(rendered("again $e^{i\\pi} + 1 = 0$", renderer))[0]
    assert renderer.math.renders == renders == 1
    assert second.cacheKey() == first.cacheKey()


def test_many_formulas_render_in_slices_showing_source_meanwhile(qapp: Any) -> None:
    # Formulas come from the math worker process; the first render only asks for them
    # and shows every source, naming each formula it waits for.
    renderer = MarkdownRenderer(theme_named("light"))
    text = " ".join(f"$\\frac{{{n}}}{{x_{n}}}$" for n in range(12))
    asked = renderer.render(text)
    assert asked.images == {} and len(asked.images_waiting) == 12
    assert asked.html.count("<code") == 12  # the waiting ones show their source
    assert renderer.math.worker.wait(set(asked.images_waiting))
    svg_renderer_started()  # Qt's SVG renderer starts in a slice of its own
    first = renderer.render(text, math_budget=0)  # a slice with room for one drawing only
    assert first.pending and not first.images_waiting  # the rest are in: a later slice
    assert len(first.images) >= 1
    assert "<code" in first.html
    assert len(formula_images(rendered(text, renderer))) == 12
