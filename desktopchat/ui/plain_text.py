"""Widgets that show server, model or file text show it as plain text, never as rich text.

Qt guesses the format of a QLabel's or a QMessageBox's text (Qt::mightBeRichText): a
server error that starts with `<img src=file:///...>` would be drawn as HTML, and Qt
would read the local file to draw it. Every such widget goes through here instead:
labels and message boxes are set to Qt.PlainText, and tooltips (which have no format
setting) get the text escaped inside a paragraph, so it is shown exactly as written.
"""

from __future__ import annotations

import html
import unicodedata
from typing import overload

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


def plain_label(label: QLabel, text: str | None = None) -> QLabel:
    """Make `label` show its text verbatim (and set `text` if given)."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    if text is not None:
        label.setText(text)
    return label


@overload
def new_label(parent: QWidget | None = None, /) -> QLabel: ...
@overload
def new_label(text: str, parent: QWidget | None = None, /) -> QLabel: ...
def new_label(first: str | QWidget | None = None, parent: QWidget | None = None, /) -> QLabel:
    """QLabel(...) with the same arguments, showing its text verbatim."""
    label = QLabel(first, parent) if isinstance(first, str) else QLabel(first)
    return plain_label(label)


def plain_labels(root: QWidget) -> None:
    """Every label under `root` (form-row captions included) shows its text verbatim."""
    for label in root.findChildren(QLabel):
        label.setTextFormat(Qt.TextFormat.PlainText)


def isolated(text: str) -> str:
    """`text` as a bidi isolate (U+2068 ... U+2069), for data set inside a sentence: a
    direction override in a title or a file name (U+202E) then reverses only that text,
    never the words around it ("Deleted “…” Undo")."""
    if not any(unicodedata.bidirectional(c) in _TURNING for c in text):
        return text  # left-to-right text (and none that turns it) needs no isolate
    return f"\u2068{text}\u2069"


# Bidi classes that can turn the text around them: right-to-left letters, Arabic digits and
# the explicit embeddings, overrides and isolates.
_TURNING = frozenset({"R", "AL", "AN", "LRE", "LRO", "RLE", "RLO", "PDF", "LRI", "RLI", "FSI",
                      "PDI"})


def tooltip(text: str) -> str:
    """A tooltip string that shows `text` as written: escaped inside explicit rich text."""
    if not text:
        return ""
    return f'<p style="white-space: pre-wrap">{html.escape(text, quote=False)}</p>'


def message_box(icon: QMessageBox.Icon, title: str, text: str,
                buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
                parent: QWidget | None = None) -> QMessageBox:
    """A QMessageBox whose text (and detailed text) is plain text."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def warning(parent: QWidget | None, title: str, text: str) -> None:
    """Like QMessageBox.warning, without rich-text auto-detection."""
    message_box(QMessageBox.Icon.Warning, title, text, parent=parent).exec()


def critical(parent: QWidget | None, title: str, text: str) -> None:
    """Like QMessageBox.critical, without rich-text auto-detection."""
    message_box(QMessageBox.Icon.Critical, title, text, parent=parent).exec()
