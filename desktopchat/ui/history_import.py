"""Import conversations from a file (our JSON export or ChatGPT's conversations.json), off the
UI thread, with a progress dialog that can cancel, and a summary of what came in.

The import itself is storage's (importers.import_into): streamed, checked, and undone on any
failure or on Cancel, so the history is either complete with the file or as it was. Here a
worker thread runs it on a connection of its own; the window keeps painting and streaming
replies meanwhile, and hears of progress and the outcome through queued signals.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStandardPaths, Qt, Slot
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QProgressDialog, QWidget

from desktopchat.storage.importers import import_into
from desktopchat.ui import plain_text
from desktopchat.ui.i18n import translate
from desktopchat.ui.worker_job import STEPS, Progress, WorkerJob

if TYPE_CHECKING:
    from desktopchat.storage.models import ImportResult
    from desktopchat.storage.store import HistoryStore

STATUS_MS = 8000


class ImportJob(WorkerJob):
    """One import on a worker thread, on a connection of its own (see WorkerJob)."""

    def __init__(self, store: HistoryStore, path: Path, parent: QObject | None = None) -> None:
        database, busy_timeout = store.path, store.busy_timeout

        def work(progress: Progress) -> ImportResult:
            return import_into(database, path, busy_timeout=busy_timeout, progress=progress)

        super().__init__("import", work, parent)
        self.path = path
        self.presenter: ImportPresenter | None = None  # set by start_import


def _titles(titles: tuple[str, ...], count: int) -> list[str]:
    lines = [f"  • {' '.join(t.split())[:80]}" for t in titles]
    if count > len(titles):
        lines.append(translate("ImportSummary", "  … and {count} more")
                     .format(count=count - len(titles)))
    return lines


def conversations(count: int) -> str:
    if count == 1:
        return translate("ImportSummary", "1 conversation")
    return translate("ImportSummary", "{count} conversations").format(count=count)


def messages(count: int) -> str:
    if count == 1:
        return translate("ImportSummary", "1 message")
    return translate("ImportSummary", "{count} messages").format(count=count)


def summary(result: ImportResult) -> str:
    """One line for a status bar."""
    added = (conversations(result.conversations_added), messages(result.messages_added))
    if result.conversations_skipped:
        return translate("ImportSummary", "Imported {conversations} ({messages}); {skipped} "
                         "already present.").format(conversations=added[0], messages=added[1],
                                                    skipped=result.conversations_skipped)
    return translate("ImportSummary", "Imported {conversations} ({messages}).").format(
        conversations=added[0], messages=added[1])


def details(result: ImportResult) -> str:
    """What was added and what was skipped as already present, by title."""
    lines: list[str] = []
    added, skipped = result.conversations_added, result.conversations_skipped
    if added:
        lines.append(translate("ImportSummary", "Added {conversations} ({messages}):").format(
            conversations=conversations(added), messages=messages(result.messages_added)))
        lines += _titles(result.added_titles, added)
    if skipped:
        if lines:
            lines.append("")
        lines.append(translate("ImportSummary", "Skipped {conversations} already in your "
                               "history (not added twice):")
                     .format(conversations=conversations(skipped)))
        lines += _titles(result.skipped_titles, skipped)
    if not lines:
        lines.append(translate("ImportSummary", "The file holds no conversations."))
    return "\n".join(lines)


def _box(parent: QWidget, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
    # Titles come from the file: plain text, never Qt's rich-text guess.
    box = plain_text.message_box(icon, title, text, parent=parent)
    box.setObjectName("importOutcome")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


class ImportPresenter(QObject):
    """The UI side of one import, on the UI thread: the progress dialog and the outcome box."""

    def __init__(
        self,
        parent: QWidget,
        job: ImportJob,
        on_imported: Callable[[ImportResult], object] | None,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._on_imported = on_imported
        self.outcome: QMessageBox | None = None
        self.ended = False  # the job's last signal has been handled here
        dialog = QProgressDialog(translate("ImportPresenter", "Importing conversations…"),
                                 translate("ImportPresenter", "Cancel"), 0, 0, parent)
        dialog.setObjectName("importProgress")
        dialog.setWindowTitle(translate("ImportPresenter", "Import"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)  # small files finish before the dialog would appear
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        self.dialog = dialog
        # The job emits from its worker thread: queue every call onto this (the UI) thread.
        queued = Qt.ConnectionType.QueuedConnection
        job.progressed.connect(self.progressed, queued)
        job.succeeded.connect(self.succeeded, queued)
        job.failed.connect(self.failed, queued)
        job.cancelled.connect(self.cancelled, queued)
        job.finished.connect(self.finished, queued)
        dialog.canceled.connect(job.cancel)  # the Cancel button
        dialog.rejected.connect(job.cancel)  # Esc

    @Slot(int)
    def progressed(self, per_mille: int) -> None:
        if per_mille < 0:
            return
        if self.dialog.maximum() != STEPS:
            self.dialog.setMaximum(STEPS)
        self.dialog.setValue(min(per_mille, STEPS))

    @Slot(object)
    def succeeded(self, result: ImportResult) -> None:
        self.outcome = _box(self._parent, QMessageBox.Icon.Information,
                            translate("ImportPresenter", "Import finished"), details(result))
        self._status(summary(result))
        if self._on_imported is not None:
            self._on_imported(result)

    @Slot(str)
    def failed(self, message: str) -> None:
        self.outcome = _box(self._parent, QMessageBox.Icon.Warning,
                            translate("ImportPresenter", "Import failed"),
                            translate("ImportPresenter", "Nothing was imported.\n\n{problem}")
                            .format(problem=message))

    @Slot()
    def cancelled(self) -> None:
        self._status(translate("ImportPresenter", "Import cancelled: nothing was imported."))

    def _status(self, text: str) -> None:
        if isinstance(self._parent, QMainWindow):
            self._parent.statusBar().showMessage(text, STATUS_MS)

    @Slot()
    def finished(self) -> None:
        self.dialog.reset()
        self.dialog.deleteLater()
        self.ended = True


def start_import(
    parent: QWidget,
    store: HistoryStore,
    path: Path,
    on_imported: Callable[[ImportResult], object] | None = None,
) -> ImportJob:
    """Import `path` in the background with a progress dialog; the outcome is shown in a box."""
    job = ImportJob(store, path, parent)
    job.presenter = ImportPresenter(parent, job, on_imported)
    job.start()
    return job


def choose_and_import(
    parent: QWidget, store: HistoryStore,
    on_imported: Callable[[ImportResult], object] | None = None,
) -> ImportJob | None:
    """Ask for a file, then import it in the background; None when the user cancels."""
    start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    chosen, _ = QFileDialog.getOpenFileName(
        parent, translate("HistoryImport", "Import conversations"), start or str(Path.home()),
        translate("HistoryImport", "Conversations (*.json);;All files (*)"),
    )
    if not chosen:
        return None
    return start_import(parent, store, Path(chosen), on_imported)
