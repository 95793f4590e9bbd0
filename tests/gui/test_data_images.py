"""Images in model output: data URLs are decoded off the UI thread and drawn inline, within a
size cap; anything else is never fetched and shows as text."""

from __future__ import annotations

import base64
from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument

from desktopchat.core.events import ContentDelta
from desktopchat.ui.chat_view import ChatView
from desktopchat.ui.data_images import MAX_PIXELS, decode_data_image
from desktopchat.ui.data_url import MAX_TOKEN_CHARS
from desktopchat.ui.image_scaling import encoded
from desktopchat.ui.render_body import Part
from desktopchat.ui.safe_document import SafeDocument
from desktopchat.ui.stream_runner import LiveStream
from desktopchat.ui.theme import theme_named


def msg(mid: int, role: str, content: str, state: str = "complete") -> Any:
    return SimpleNamespace(id=mid, role=role, content=content, reasoning="", tool_calls=[],
                           state=state, finish_reason="stop", usage=None, error=None)


def png_url(width: int, height: int, color: str = "#d03030", fmt: str = "PNG") -> str:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    mime = "jpeg" if fmt == "JPEG" else fmt.lower()
    return f"data:image/{mime};base64," + base64.b64encode(encoded(image, fmt)).decode()


def make_view(qtbot: Any, reply: str, state: str = "complete") -> ChatView:
    view = ChatView(theme_named("light"))
    qtbot.addWidget(view)
    view.resize(700, 600)
    view.show()
    view.set_messages([msg(1, "user", "Draw it"), msg(2, "assistant", reply, state)])
    return view


def body_docs(view: ChatView) -> list[Part]:
    render = view.item(2).render
    return [p for p in render.parts if p.kind == "body" and p.doc is not None]


def image_in(view: ChatView) -> QImage | None:
    """The first inline image in the reply's documents (a data image drawn)."""
    for part in body_docs(view):
        assert part.doc is not None
        html = part.doc.toHtml()
        if '<img src="dcimg:' in html:
            name = html.split('<img src="', 1)[1].split('"', 1)[0]
            resource = part.doc.resource(QTextDocument.ResourceType.ImageResource.value,
                                         QUrl(name))
            return resource if isinstance(resource, QImage) else None
    return None


def refused(view: ChatView) -> int:
    return sum(p.doc.refused for p in body_docs(view) if isinstance(p.doc, SafeDocument))


def test_a_data_url_image_is_drawn_inline(qtbot: Any) -> None:
    view = make_view(qtbot, f"Here:\n\n![a red box]({png_url(64, 48)})\n\nDone.")
    qtbot.waitUntil(lambda: image_in(view) is not None, timeout=5000)
    image = image_in(view)
    assert image is not None and image.width() == 64 and image.height() == 48
    assert image.pixelColor(10, 10) == QColor("#d03030")
    html = view.rendered_html(2)
    assert 'width="64" height="48"' in html and "Done." in html
    assert "base64" not in html  # the payload is not text in the transcript
    assert refused(view) == 0  # the image came from the reply, nothing was loaded


def test_jpeg_gif_and_webp_data_images_are_drawn_too(qtbot: Any) -> None:
    for fmt in ("JPEG", "WEBP"):
        shown = decode_data_image(f"image/{fmt.lower()}", png_url(30, 20, fmt=fmt).split(",")[1])
        assert shown.image is not None and (shown.width, shown.height) == (30, 20), fmt
    # Qt writes no GIF: a 1x1 one, as it is often written out.
    gif = decode_data_image("image/gif",
                            "R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==")
    assert gif.image is not None and (gif.width, gif.height) == (1, 1)
    # The bytes must be what the URL says they are.
    assert decode_data_image("image/gif", png_url(4, 4).split(",")[1]).image is None


def test_a_large_image_is_scaled_down_to_fit(qtbot: Any) -> None:
    view = make_view(qtbot, f"![wide]({png_url(1600, 800)})")
    qtbot.waitUntil(lambda: image_in(view) is not None, timeout=5000)
    assert 'width="480" height="240"' in view.rendered_html(2)
    image = image_in(view)
    assert image is not None and image.width() <= 960  # decoded at display size, not full


def test_remote_and_file_images_are_never_fetched(qtbot: Any) -> None:
    view = make_view(qtbot, "![a cat](http://127.0.0.1:9/cat.png) and "
                            "![secrets](file:///etc/passwd) and ![x](data:text/html;base64,PGI+)")
    html = view.rendered_html(2)
    assert "<img" not in html
    assert "[image: " in html and "a cat" in html and "secrets" in html
    assert "file://" not in html
    assert refused(view) == 0  # no load was even attempted
    assert view.row_geometry.data_images.pending == 0  # and nothing went to the decoder


def test_an_image_over_the_pixel_cap_shows_a_placeholder(qtbot: Any) -> None:
    side = int(MAX_PIXELS ** 0.5) + 200
    view = make_view(qtbot, f"![huge]({png_url(side, side)})")
    qtbot.waitUntil(lambda: "megapixels" in view.rendered_html(2), timeout=20_000)
    html = view.rendered_html(2)
    assert "image not shown: huge" in html and "<img" not in html


def test_an_image_over_the_byte_cap_shows_a_placeholder(qtbot: Any) -> None:
    payload = "QUJD" * (MAX_TOKEN_CHARS // 4 + 10)
    view = make_view(qtbot, f"Before\n\n![too big](data:image/png;base64,{payload}) after\n")
    qtbot.waitUntil(lambda: not view.row_geometry.pump.busy, timeout=20_000)
    html = view.rendered_html(2)
    assert "image not shown: too big is" in html and "over the" in html
    assert "QUJDQUJD" not in html and "Before" in html and "after" in html


def test_an_image_that_is_not_what_it_says_is_a_placeholder(qtbot: Any) -> None:
    view = make_view(qtbot, "![fake](data:image/png;base64,"
                            + base64.b64encode(b"not a png at all").decode() + ")")
    qtbot.waitUntil(lambda: "could not be read" in view.rendered_html(2), timeout=5000)


def test_a_streamed_image_shows_once_it_has_arrived(qtbot: Any) -> None:
    url = png_url(40, 40)
    view = make_view(qtbot, "", state="streaming")
    live = LiveStream(conversation_id=1, message_id=2)
    head = "Look: ![dot](" + url[: len(url) // 2]
    live.reply.apply(ContentDelta(head))
    view.stream_from(2, live)
    view.flush()
    assert "arriving" in view.rendered_html(2) and "base64" not in view.rendered_html(2)
    live.reply.apply(ContentDelta(url[len(url) // 2 :] + ") there."))
    view.stream_from(2, live)
    view.flush()
    qtbot.waitUntil(lambda: image_in(view) is not None, timeout=5000)
    assert "there." in view.rendered_html(2)
