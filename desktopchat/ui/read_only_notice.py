"""A history opened read-only (its file or folder cannot be written): said at once, and
kept in sight.

The composer's hint says it in full when the window opens; a label that stays in the status
bar keeps saying it (other hints replace the composer's). Sending then fails with the
read-only message and the text stays in the composer: nothing typed is lost.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from desktopchat.ui.i18n import translate
from desktopchat.ui.plain_text import new_label, tooltip

if TYPE_CHECKING:
    from desktopchat.ui.main_window import MainWindow


def read_only_message(database: Path) -> str:
    return translate(
        "ReadOnlyNotice",
        "The history cannot be saved: {file} or its folder is read-only. You can read your "
        "chats; new messages cannot be sent until the folder can be written (then restart "
        "desktopchat).").format(file=database)


def show_read_only(window: MainWindow, database: Path) -> None:
    message = read_only_message(database)
    window.composer.show_hint(message)
    label = new_label(translate("ReadOnlyNotice", "Read-only: nothing is saved"))
    label.setObjectName("readOnlyNotice")
    label.setToolTip(tooltip(message))
    window.statusBar().addPermanentWidget(label)
