"""Keeping the history safe: the daily rolling backup, and File → Export all….

The daily backup checks a minute after start-up and then every hour whether the newest
backup is a day old; if so (and Preferences allow it) it snapshots the history into the
`backups` folder beside it, on a worker thread, and keeps the newest N. A failure is said in
the status bar and tried again at the next check; it never interrupts the user.

Export all writes one zip archive (storage.archive) to a file the user picks, on a worker
thread, with a progress dialog that can cancel.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QProgressDialog

from desktopchat.attachments import human_size
from desktopchat.settings import Preferences
from desktopchat.storage.archive import ArchiveSummary, write_archive
from desktopchat.storage.backups import backup_due, backup_folder, take_backup
from desktopchat.ui import plain_text
from desktopchat.ui.history_export import documents_folder
from desktopchat.ui.i18n import translate
from desktopchat.ui.worker_job import STEPS, Progress, WorkerJob

if TYPE_CHECKING:
    from desktopchat.settings import SettingsStore
    from desktopchat.ui.controller import ChatController
    from desktopchat.ui.main_window import MainWindow

FIRST_CHECK_MS = 60_000  # after start-up settles: a backup never competes with the first paint
CHECK_EVERY_MS = 3_600_000
STATUS_MS = 8000
STOP_WAIT_S = 5.0  # at quit: a cancelled export removes its partial file within this


class DailyBackup(QObject):
    """Takes a backup when one is due. `check()` is the whole decision; timers only call it."""

    backed_up = Signal(object)  # the new backup's Path
    failed = Signal(str)

    def __init__(self, database: Path, preferences: Callable[[], Preferences],
                 parent: QObject | None = None, *,
                 clock: Callable[[], datetime] = datetime.now) -> None:
        super().__init__(parent)
        self.database = database
        self.folder = backup_folder(database.parent)
        self._preferences = preferences
        self._clock = clock
        self.job: WorkerJob | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        QTimer.singleShot(FIRST_CHECK_MS, self, self.check)
        self._timer.start(CHECK_EVERY_MS)

    def check(self) -> WorkerJob | None:
        """Start a backup if one is due and allowed; returns the job started, if any."""
        prefs = self._preferences()
        now = self._clock()
        if not prefs.daily_backup or (self.job is not None and self.job.is_running()):
            return None
        if not backup_due(self.folder, now):
            return None
        database, folder, keep = self.database, self.folder, prefs.backups_kept

        def work(_progress: Progress) -> Path:
            return take_backup(database, folder, now, keep)

        job = WorkerJob("daily-backup", work, self)
        queued = Qt.ConnectionType.QueuedConnection
        job.succeeded.connect(self.backed_up, queued)
        job.failed.connect(self.failed, queued)
        self.job = job
        job.start()
        return job


def suggested_archive(today: date) -> Path:
    return documents_folder() / f"desktopchat-{today.isoformat()}.zip"


class ArchiveExport(QObject):
    """One Export all: the progress dialog, the worker, the outcome (status bar or a box)."""

    def __init__(self, window: QMainWindow, database: Path, target: Path,
                 config_files: Sequence[Path]) -> None:
        super().__init__(window)
        self._window = window
        self.target = target
        self.outcome: QMessageBox | None = None  # the failure box, when there was one
        self.ended = False  # every signal of the job has been handled

        def work(progress: Progress) -> ArchiveSummary:
            return write_archive(database, target, config_files=config_files, progress=progress)

        self.job = WorkerJob("export-all", work, self)
        dialog = QProgressDialog(translate("ArchiveExport", "Exporting everything…"),
                                 translate("ArchiveExport", "Cancel"), 0, STEPS, window)
        dialog.setObjectName("exportAllProgress")
        dialog.setWindowTitle(translate("ArchiveExport", "Export all"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        self.dialog = dialog
        queued = Qt.ConnectionType.QueuedConnection
        self.job.progressed.connect(dialog.setValue, queued)
        self.job.succeeded.connect(self._succeeded, queued)
        self.job.failed.connect(self._failed, queued)
        self.job.cancelled.connect(self._cancelled, queued)
        self.job.finished.connect(self._finished, queued)
        dialog.canceled.connect(self.job.cancel)
        self.job.start()

    def _succeeded(self, summary: ArchiveSummary) -> None:
        if summary.conversations == 1:
            text = translate("ArchiveExport", "Exported 1 conversation ({size}) to {path}")
        else:
            text = translate("ArchiveExport", "Exported {count} conversations ({size}) to {path}")
        self._window.statusBar().showMessage(text.format(
            count=summary.conversations, size=human_size(summary.size), path=summary.path),
            STATUS_MS)

    def _failed(self, message: str) -> None:
        box = plain_text.message_box(
            QMessageBox.Icon.Warning, translate("ArchiveExport", "Export failed"),
            translate("ArchiveExport", "Nothing was written.") + "\n\n" + message,
            parent=self._window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.outcome = box

    def _cancelled(self) -> None:
        self._window.statusBar().showMessage(
            translate("ArchiveExport", "Export cancelled: nothing was written."), STATUS_MS)

    def _finished(self) -> None:
        self.dialog.reset()
        self.dialog.deleteLater()
        self.ended = True


class BackupActions(QObject):
    """The window's side of backups: Export all… and the daily backup's status messages."""

    def __init__(self, window: QMainWindow, database: Path,
                 preferences: Callable[[], Preferences], config_files: Sequence[Path]) -> None:
        super().__init__(window)
        self._window = window
        self._database = database
        self._config_files = tuple(config_files)
        self.export: ArchiveExport | None = None  # the latest, for tests and Quit
        self.daily = DailyBackup(database, preferences, self)
        self.daily.failed.connect(self._backup_failed)

    @classmethod
    def for_window(cls, window: MainWindow, settings_store: SettingsStore,
                   controller: ChatController) -> BackupActions:
        """The window's backups: its history, its settings, and tools.json when tools run."""
        files = [settings_store.path]
        if controller.tools is not None:
            files.append(controller.tools.store.path)
        return cls(window, controller.store.path, lambda: window.settings.preferences, files)

    def start(self) -> None:
        self.daily.start()

    def export_all(self, path: Path | None = None) -> ArchiveExport | None:
        """Ask where (unless `path` is given) and write the archive in the background."""
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self._window, translate("ArchiveExport", "Export all"),
                str(suggested_archive(date.today())),
                translate("ArchiveExport", "Zip archive (*.zip)"))
            if not chosen:
                return None
            path = Path(chosen)
            if not path.suffix:
                path = path.with_suffix(".zip")
        self.export = ArchiveExport(self._window, self._database, path, self._config_files)
        return self.export

    def stop(self, timeout: float = STOP_WAIT_S) -> None:
        """Quitting cancels a running export (it removes its partial file) and waits a little."""
        for job in (self.export.job if self.export else None, self.daily.job):
            if job is not None and job.is_running():
                job.cancel()
                job.wait(timeout)

    def _backup_failed(self, message: str) -> None:
        self._window.statusBar().showMessage(
            translate("DailyBackup", "The daily backup failed (trying again in an hour): {0}")
            .format(" ".join(message.splitlines())), STATUS_MS)  # the status bar has one line
