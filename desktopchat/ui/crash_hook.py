"""The last resort for a bug: an uncaught exception is logged with its traceback, and the
user is told once (the history is safe: every write is committed as it happens)."""

from __future__ import annotations

import logging
import sys
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Qt is imported when a box is first needed
    from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger("desktopchat")


def install_crash_hook(app: QApplication) -> None:
    """An uncaught exception is a bug: log it with its traceback, tell the user once."""
    shown: list[QMessageBox] = []  # holds the box too: a parentless box would be collected at once

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        log.error("uncaught exception", exc_info=(kind, value, tb))
        if shown or kind is KeyboardInterrupt:
            return
        from PySide6.QtWidgets import QMessageBox

        from desktopchat.ui.i18n import translate
        from desktopchat.ui.plain_text import message_box

        box = message_box(
            QMessageBox.Icon.Critical, translate("CrashHook", "desktopchat: unexpected error"),
            translate("CrashHook", "Something went wrong: {error}\n\nYour history is safe. "
                      "Details were written to the log.").format(error=f"{kind.__name__}: {value}"),
            QMessageBox.StandardButton.Ok)
        shown.append(box)
        box.open()

    sys.excepthook = hook
