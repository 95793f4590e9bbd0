"""What start-up tells the user in words: a history it cannot open, replies a crash cut
off. (A locked history gets a window with a banner instead: ui/history_wait.py.)"""

from __future__ import annotations

import logging
import os
import sys
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


def window_unreachable(pid: int, data_dir: Path) -> None:
    """Another live desktopchat holds this data folder and does not answer (hung, or its
    socket is unreachable): say so, on the terminal and in a box, instead of opening a
    second window on the same history."""
    from PySide6.QtWidgets import QMessageBox

    from desktopchat.ui.i18n import translate
    from desktopchat.ui.plain_text import message_box

    text = translate("App", "desktopchat is already running on this data folder (process "
                     "{pid}) but does not answer. It may be busy (upgrading the history, "
                     "say): try again in a moment. If it stays so, close that window, or end "
                     "that process, then start desktopchat again.\n\nData folder: "
                     "{folder}").format(
                         pid=pid or "?", folder=data_dir)
    print(text.replace("\n\n", " "), file=sys.stderr, flush=True)
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        return  # nobody could answer the box (tests, a headless run): the line above says it
    message_box(QMessageBox.Icon.Warning, translate("App", "desktopchat is already running"),
                text, QMessageBox.StandardButton.Close).exec()


def recovered_notice(count: int) -> str:
    """The status line for replies a crash cut off: "1 reply was", "3 replies were"."""
    from desktopchat.ui.i18n import translate

    if count == 1:
        return translate(
            "App", "1 reply was cut off when the app last stopped; it is marked as interrupted.")
    return translate("App", "{count} replies were cut off when the app last stopped; they are "
                     "marked as interrupted.").format(count=count)
