"""The question asked when the window is closed while a reply is still being written."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from desktopchat.ui.i18n import translate
from desktopchat.ui.plain_text import message_box


def ask_stop_and_quit(parent: QWidget, answered: Callable[[int], None]) -> QMessageBox:
    """Open (window-modal, not blocking) "Stop the reply?"; `answered` gets the button."""
    box = message_box(QMessageBox.Icon.Question, translate("MainWindow", "Stop the reply?"),
                      translate("MainWindow", "A reply is still being written. Stop it and "
                                "quit? The text so far is kept."),
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setDefaultButton(QMessageBox.StandardButton.No)  # a slip of Enter keeps the reply
    box.finished.connect(answered)
    box.open()
    return box
