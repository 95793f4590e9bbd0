"""The composer's attachment chips show what each file is (a page or a picture) and an ×
icon to remove it, in the theme's colour like the rest of the window's icons."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QImage

from desktopchat.attachments import Attachment, Kind
from desktopchat.ui.theme import theme_named


def picture(label: Any) -> QImage:
    return label.pixmap().toImage()


def test_chips_show_the_files_kind_and_a_remove_icon(chat_window: Any) -> None:
    chips = chat_window.composer.chips
    chips.add(Attachment("notes.md", Kind.TEXT, "text/plain", b"# Notes\n"))
    chips.add(Attachment("chart.png", Kind.IMAGE, "image/png", b"\x89PNG fake"))
    text, image = chips.chips
    for chip in (text, image):
        assert chip.kind_icon.isVisibleTo(chip) and not chip.kind_icon.pixmap().isNull()
        assert not chip.remove.icon().isNull()
        assert chip.remove.accessibleName().startswith("Remove ")
    assert picture(text.kind_icon) != picture(image.kind_icon)  # a page, a picture
    chips.add(Attachment("later.txt", Kind.TEXT, "text/plain", b"x"))  # added later: same
    assert picture(chips.chips[2].kind_icon) == picture(text.kind_icon)
    before = picture(text.kind_icon)
    chrome = chat_window.window_icons
    chrome.apply(theme_named("dark" if chrome.theme.name == "light" else "light"))
    assert picture(text.kind_icon) != before  # re-tinted with the theme
