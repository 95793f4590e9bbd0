"""The app's own `dc:` links inside a message (a code block's Wrap and Copy): they look like
the other message actions, not like the web links of a reply, and say what they do.

A web link in a reply is underlined in the link colour; an action is a word in the theme's
accent colour with no underline, a faint background under the pointer (ActionHover), the
pointing hand, and a tooltip (issue 17: they read as hyperlinks).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QWidget

from desktopchat.ui.i18n import translate
from desktopchat.ui.theme import Theme


def action_style(theme: Theme) -> str:
    """The inline style of an action link (QTextDocument honours color and text-decoration)."""
    return f"color: {theme.link}; text-decoration: none; font-weight: 600"


def action_tooltip(anchor: str) -> str:
    """What an action link does, for its tooltip; "" for anything else."""
    scheme, _, action = anchor.partition(":")
    if scheme != "dc":
        return ""
    name = action.partition("/")[0]
    if name == "copy-code":
        return translate("ActionLinks", "Copy this code block")
    if name == "wrap-code":
        return translate("ActionLinks", "Wrap or unwrap this block's long lines")
    return ""


HOVER_ALPHA = 40  # of 255: the accent colour behind an action under the pointer


class ActionHover(QObject):
    """The action link under the pointer gets a faint accent background, as a button shows
    it is under the pointer; it goes when the pointer moves off it or leaves the view."""

    def __init__(self, viewport: QWidget) -> None:
        super().__init__(viewport)
        self._viewport = viewport
        self.shown: tuple[QTextDocument, str] | None = None
        viewport.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._viewport and event.type() == QEvent.Type.Leave:
            self.pointer_at(None, "", "")
        return False

    def pointer_at(self, doc: QTextDocument | None, anchor: str, accent: str) -> None:
        target = (doc, anchor) if doc is not None and action_tooltip(anchor) else None
        if target == self.shown:
            return
        if self.shown is not None:
            _paint_behind(*self.shown, None)
        self.shown = target
        if target is not None:
            color = QColor(accent)
            color.setAlpha(HOVER_ALPHA)
            _paint_behind(*target, color)
        self._viewport.update()


def _paint_behind(doc: QTextDocument, href: str, color: QColor | None) -> None:
    """Set (or clear) the background of the link `href` wherever it is in `doc`."""
    block = doc.begin()
    while block.isValid():
        piece = block.begin()
        while not piece.atEnd():
            fragment = piece.fragment()
            if fragment.isValid() and fragment.charFormat().anchorHref() == href:
                cursor = QTextCursor(doc)
                cursor.setPosition(fragment.position())
                cursor.setPosition(fragment.position() + fragment.length(),
                                   QTextCursor.MoveMode.KeepAnchor)
                fmt = QTextCharFormat()
                if color is None:
                    fmt.setBackground(QBrush(Qt.BrushStyle.NoBrush))
                else:
                    fmt.setBackground(color)
                cursor.mergeCharFormat(fmt)
            piece += 1
        block = block.next()
