"""A progress window while start-up upgrades the history (building a new index can take
seconds on a big history; DESIGN.md §4).

The upgrade runs before the main window exists, inside HistoryStore.open, and reports long
steps through a callback. This object is that callback: on the first report it shows a small
window, and each report moves its bar and lets Qt paint (user input is held back until the
upgrade is done, so nothing can act on a half-upgraded history). Nothing shows when no step
reports (a current history), or when the upgrade is over within SHOW_AFTER_S (a new one).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt
from PySide6.QtWidgets import QProgressDialog

from desktopchat.ui.i18n import translate

STEPS = 1000
SHOW_AFTER_S = 0.3


def step_text(name: str) -> str:
    """What a migration step does, in words (its name is `NNN_what`)."""
    if name.endswith("substring_index"):
        return translate("MigrationProgress", "Building the search index for every language…")
    return translate("MigrationProgress", "Upgrading your history…")


class MigrationProgress:
    def __init__(self, show_after: float = SHOW_AFTER_S) -> None:
        self.dialog: QProgressDialog | None = None
        self.reports = 0
        self._show_after = show_after
        self._started: float | None = None

    def __call__(self, name: str, fraction: float) -> None:
        self.reports += 1
        now = time.monotonic()
        if self._started is None:
            self._started = now
        if self.dialog is None and now - self._started < self._show_after:
            return
        if self.dialog is None:
            dialog = QProgressDialog()
            dialog.setObjectName("migrationProgress")
            dialog.setWindowTitle(translate("MigrationProgress", "Upgrading your history"))
            dialog.setCancelButton(None)  # an upgrade is one transaction: it finishes or undoes
            dialog.setRange(0, STEPS)
            dialog.setMinimumDuration(0)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
            dialog.show()
            self.dialog = dialog
        self.dialog.setLabelText(step_text(name))
        self.dialog.setValue(max(0, min(STEPS, round(fraction * STEPS))))
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)

    def close(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
