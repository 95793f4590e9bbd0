"""How markdown images are written into a transcript document. Nothing is ever fetched.

- A data-URL image (swapped for `dcimg:<key>` by data_url.extract) is drawn inline once a
  worker has decoded it (data_images): until then a "loading" line, and the part is
  rendered again when it is ready. Too large, too many pixels, or not an image: a line
  that says so.
- Any other image (http, file, ...) is its alt text; an http(s) address makes it a link
  the user may click to open in the browser, like any link. A file path is not shown.
"""

from __future__ import annotations

import html

from PySide6.QtGui import QImage

from desktopchat.attachments import human_size
from desktopchat.ui.data_images import MAX_PIXELS, DataImages, Shown
from desktopchat.ui.data_url import (
    DATA_SCHEME,
    LARGE_SCHEME,
    MAX_IMAGE_BYTES,
    WAIT_SCHEME,
    DataImage,
)
from desktopchat.ui.i18n import translate


def image_mark(name_html: str) -> str:
    """"[image: name]" where an image is not drawn; `name_html` is already escaped (or a link)."""
    return html.escape(translate("MarkdownImages", "[image: {name}]")).format(name=name_html)


class ImageWriter:
    """Writes the image tokens of one render; collects what the document must hold."""

    def __init__(self, data_images: DataImages | None, muted: str) -> None:
        self.data_images = data_images
        self.muted = muted
        self.found: dict[str, DataImage] = {}  # this render's data images, by key
        self.resources: dict[str, QImage] = {}  # resource name -> decoded image
        self.waiting: set[str] = set()  # keys still decoding: render again when ready

    def reset(self, found: dict[str, DataImage], resources: dict[str, QImage]) -> None:
        self.found = found
        self.resources = resources
        self.waiting = set()

    def write(self, src: str, alt: str, safe_link: bool) -> str:
        scheme, _, rest = src.partition(":")
        name = html.escape(alt or translate("MarkdownImages", "image"))
        if scheme == DATA_SCHEME:
            return self._data_image(rest, name)
        if scheme == LARGE_SCHEME:
            size = human_size(int(rest)) if rest.isdigit() else "?"
            return self._note(translate(
                "MarkdownImages", "[image not shown: {name} is {size}, over the {limit} limit]"
            ).format(name=name, size=size, limit=human_size(MAX_IMAGE_BYTES)))
        if scheme == WAIT_SCHEME:
            return self._note(translate("MarkdownImages", "[image: {name}, arriving…]")
                              .format(name=name))
        # Never an <img> for an address: QTextDocument would try to load it.
        if safe_link:
            link = f'<a href="{html.escape(src, quote=True)}">{name}</a>'
            return image_mark(link)
        return image_mark(name)

    def _data_image(self, key: str, name: str) -> str:
        image = self.found.get(key)
        if image is None or self.data_images is None:
            return image_mark(name)
        shown = self.data_images.get(image)
        if shown is None:
            self.waiting.add(key)
            return self._note(translate("MarkdownImages", "[image: {name}, loading…]")
                              .format(name=name))
        if shown.image is None:
            return self._note(self._problem(shown, name))
        resource = f"{DATA_SCHEME}:{key}"
        self.resources[resource] = shown.image
        return (f'<img src="{resource}" width="{shown.width}" height="{shown.height}" '
                f'title="{name}">')

    @staticmethod
    def _problem(shown: Shown, name: str) -> str:
        if shown.problem == "large":
            return translate(
                "MarkdownImages", "[image not shown: {name} is {size}, over the {limit} limit]"
            ).format(name=name, size=human_size(shown.size), limit=human_size(MAX_IMAGE_BYTES))
        if shown.problem == "pixels":
            return translate(
                "MarkdownImages",
                "[image not shown: {name} is {pixels} megapixels, over the {limit} MP limit]",
            ).format(name=name, pixels=round(shown.size / 1e6, 1),
                     limit=round(MAX_PIXELS / 1e6, 1))
        return translate("MarkdownImages", "[image not shown: {name} could not be read]").format(
            name=name)

    def _note(self, text: str) -> str:
        return f'<span style="color: {self.muted}">{text}</span>'
