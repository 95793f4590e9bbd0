"""What start-up tells the user in words: a history it cannot open, replies a crash cut
off. (A locked history gets a window with a banner instead: ui/history_wait.py.)"""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger("desktopchat")


def history_unavailable(message: str, database: Path) -> None:
    """Explain a history we cannot open (damaged, foreign, a dangling link); never reset it.
    (A locked one gets the window and a banner instead: open_when_free.)"""
    from PySide6.QtWidgets import QMessageBox

    from desktopchat.ui.i18n import translate
    from desktopchat.ui.plain_text import message_box

    log.error("history database unusable: %s", message)
    box = message_box(QMessageBox.Icon.Critical,
                      translate("App", "desktopchat: history unavailable"),
                      translate("App", "{problem}\n\nThe file was left untouched:\n{file}")
                      .format(problem=message, file=database), QMessageBox.StandardButton.Close)
    box.exec()


def recovered_notice(count: int) -> str:
    """The status line for replies a crash cut off: "1 reply was", "3 replies were"."""
    from desktopchat.ui.i18n import translate

    if count == 1:
        return translate(
            "App", "1 reply was cut off when the app last stopped; it is marked as interrupted.")
    return translate("App", "{count} replies were cut off when the app last stopped; they are "
                     "marked as interrupted.").format(count=count)
