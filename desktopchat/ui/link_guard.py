"""A link from model text opens only after the user has seen where it really goes.

Markdown lets a link's text say anything: `[https://bank.example](https://evil.example)`
shows one address and opens another, and bidi controls (U+202E...) or zero-width
characters can make a target read differently from what it is. Such a link is not
opened on click: a dialog shows the real target, with hidden characters made visible,
and opens it only if the user says so. Ordinary links open at once, as before.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QMessageBox, QWidget

from desktopchat.ui.i18n import translate
from desktopchat.ui.plain_text import message_box

_LOOKS_LIKE_ADDRESS = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://\S+|(?:www\.)?(?:[\w-]+\.)+[a-z]{2,}(?:[:/?#]\S*)?|mailto:\S+)$",
    re.IGNORECASE)


def hidden_characters(text: str) -> list[str]:
    """Format characters (bidi controls, zero-width marks, soft hyphens...) in `text`."""
    return [c for c in text if unicodedata.category(c) == "Cf"]


def visible_form(text: str) -> str:
    """`text` with every hidden character written out, e.g. <U+202E>."""
    return "".join(f"<U+{ord(c):04X}>" if unicodedata.category(c) == "Cf" else c
                   for c in text)


def _host(address: str) -> str:
    if address.lower().startswith("mailto:"):
        return address[7:].split("?")[0].rpartition("@")[2].lower()
    if "://" not in address:
        address = "http://" + address
    try:
        host = urlsplit(address).hostname or ""
    except ValueError:
        return "?"
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def link_warning(target: str, text: str) -> str | None:
    """Why opening `target` (shown as `text`) needs the user's go-ahead, or None."""
    decoded = unquote(target)
    if hidden_characters(decoded) or hidden_characters(text):
        return translate("LinkGuard",
                         "The link contains invisible or direction-changing characters.")
    shown = text.strip()
    if (shown and shown != target and _LOOKS_LIKE_ADDRESS.match(shown)
            and _host(shown) != _host(target)):
        return translate("LinkGuard", "The link text shows the address {address}, but the "
                         "link goes somewhere else.").format(address=visible_form(shown))
    host = _host(target)
    if any(ord(c) > 127 for c in host) or "xn--" in host:
        return translate("LinkGuard", "The link's address uses non-Latin characters that can "
                         "imitate another site.")
    return None


def anchor_text(doc: QTextDocument, position: int, href: str) -> str:
    """The text of the link `href` around `position` in `doc` (what the user clicked)."""
    cursor = QTextCursor(doc)
    start = end = position
    while start > 0:
        cursor.setPosition(start)  # the format left of the cursor is that of start - 1
        if cursor.charFormat().anchorHref() != href:
            break
        start -= 1
    last = doc.characterCount() - 1
    while end < last:
        cursor.setPosition(end + 1)
        if cursor.charFormat().anchorHref() != href:
            break
        end += 1
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText()


def confirm_link(parent: QWidget, target: str, reason: str,
                 opener: Callable[[QUrl], object]) -> QMessageBox:
    """Ask before opening; the dialog is window-modal and returns at once."""
    box = message_box(
        QMessageBox.Icon.Warning, translate("LinkGuard", "Open this link?"),
        translate("LinkGuard", "{reason}\n\nIt really goes to:\n{address}\n\nOpen it in your "
                  "browser?").format(reason=reason, address=visible_form(unquote(target))),
        QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel, parent)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)

    def answered(result: int) -> None:
        if result == QMessageBox.StandardButton.Open.value:
            opener(QUrl(target))

    box.finished.connect(answered)
    box.open()
    return box
