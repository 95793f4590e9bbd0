"""The composer's attachments: a row of chips (icon, name, size, ×) and the loader that fills it.

Files are read, PDFs extracted and images scaled in a worker thread (a big PDF takes
seconds); results come back to the UI thread through a queued signal. Refusals (too large,
binary, no text layer) are reported through `problem` and add nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from desktopchat.attachment_files import check_total, read_attachment
from desktopchat.attachments import Attachment, Kind, human_size
from desktopchat.errors import AttachmentError
from desktopchat.ui.error_text import shown_error
from desktopchat.ui.i18n import translate
from desktopchat.ui.image_scaling import scaled_down
from desktopchat.ui.plain_text import isolated, tooltip

ChipIcons = tuple[QIcon, QIcon, QIcon]  # a text file's, an image's, Remove's


def load(path: Path) -> Attachment:
    return scaled_down(read_attachment(path))


class AttachmentLoader(QObject):
    """Reads files off the UI thread; `loaded` or `failed` arrives on the UI thread."""

    loaded = Signal(object)  # Attachment
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None,
                 reader: Callable[[Path], Attachment] = load) -> None:
        super().__init__(parent)
        self._reader = reader
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="attachments")
        self.pending = 0

    def load(self, paths: Iterable[Path]) -> None:
        for path in paths:
            self.pending += 1
            self._pool.submit(self._read, path)

    def _read(self, path: Path) -> None:
        try:
            attachment = self._reader(path)
        except AttachmentError as exc:
            self.failed.emit(shown_error(exc))
        except Exception as exc:  # a bug in a reader must not vanish in the worker
            self.failed.emit(translate("AttachmentChips", "Could not attach {name}: {problem}")
                             .format(name=isolated(path.name), problem=exc))
        else:
            self.loaded.emit(attachment)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class AttachmentChip(QWidget):
    remove_clicked = Signal(object)  # the chip

    def __init__(self, attachment: Attachment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentChip")
        self.attachment = attachment
        self.label = QLabel(f"{attachment.name} · {human_size(attachment.size)}", self)
        self.label.setToolTip(
            translate("AttachmentChip", "An image, sent as an image")
            if attachment.kind is Kind.IMAGE
            else translate("AttachmentChip", "Sent as text, under its file name"))
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.kind_icon = QLabel(self)  # a file or a picture, once the window has its icons
        self.kind_icon.hide()
        self.remove = QToolButton(self)
        self.remove.setText("×")  # (shown until the window's icon replaces it)
        self.remove.setAutoRaise(True)
        remove = translate("AttachmentChip", "Remove {name}").format(name=isolated(attachment.name))
        self.remove.setToolTip(tooltip(remove))  # the file name is not markup
        self.remove.setAccessibleName(remove)
        self.remove.clicked.connect(lambda: self.remove_clicked.emit(self))
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 1, 2, 1)
        row.setSpacing(2)
        row.addWidget(self.kind_icon)
        row.addWidget(self.label)
        row.addWidget(self.remove)

    def set_icons(self, icons: ChipIcons) -> None:
        file_icon, image_icon, remove_icon = icons
        kind = image_icon if self.attachment.kind is Kind.IMAGE else file_icon
        side = self.label.fontMetrics().height()
        self.kind_icon.setPixmap(kind.pixmap(QSize(side, side), self.devicePixelRatioF()))
        self.kind_icon.show()
        self.remove.setIcon(remove_icon)


class AttachmentChips(QWidget):
    """The files that go with the draft, until it is sent or they are removed."""

    changed = Signal()
    problem = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentChips")
        self.chips: list[AttachmentChip] = []
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(6)
        self._row.addStretch(1)
        self.icons: ChipIcons | None = None  # the window's, in its theme's colour
        self.hide()

    def set_icons(self, icons: ChipIcons) -> None:
        self.icons = icons
        for chip in self.chips:
            chip.set_icons(icons)

    @property
    def attachments(self) -> tuple[Attachment, ...]:
        return tuple(chip.attachment for chip in self.chips)

    def add(self, attachment: Attachment) -> bool:
        try:
            check_total(self.attachments, attachment)
        except AttachmentError as exc:
            self.problem.emit(shown_error(exc))
            return False
        chip = AttachmentChip(attachment, self)
        if self.icons is not None:
            chip.set_icons(self.icons)
        chip.remove_clicked.connect(self._remove_chip)
        self._row.insertWidget(len(self.chips), chip)
        self.chips.append(chip)
        self.show()
        self.changed.emit()
        return True

    def set_attachments(self, attachments: Iterable[Attachment]) -> None:
        self.clear()
        for attachment in attachments:
            self.add(attachment)

    def remove_at(self, index: int) -> None:
        self._remove_chip(self.chips[index])

    def _remove_chip(self, chip: AttachmentChip) -> None:
        self.chips.remove(chip)
        chip.hide()
        chip.deleteLater()
        self.setVisible(bool(self.chips))
        self.changed.emit()

    def clear(self) -> None:
        for chip in self.chips:
            chip.hide()
            chip.deleteLater()
        self.chips = []
        self.hide()
        self.changed.emit()
