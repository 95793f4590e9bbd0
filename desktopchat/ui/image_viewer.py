"""A simple viewer for an attached image at full size (scrolls when larger than the screen)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from desktopchat.attachments import Attachment, human_size
from desktopchat.ui.i18n import translate
from desktopchat.ui.plain_text import isolated


class ImageViewer(QDialog):
    def __init__(self, attachment: Attachment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("imageViewer")
        image = QImage.fromData(attachment.data)
        self.setWindowTitle(f"{attachment.name} — {image.width()}×{image.height()}, "
                            f"{human_size(attachment.size)}")
        self.image_label = QLabel(self)
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if image.isNull():
            self.image_label.setText(translate("ImageViewer", "{name} could not be shown.")
                                     .format(name=isolated(attachment.name)))
        else:
            self.image_label.setPixmap(QPixmap.fromImage(image))
        scroll = QScrollArea(self)
        scroll.setWidget(self.image_label)
        scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        screen = QGuiApplication.primaryScreen()
        room = screen.availableGeometry().size() * 0.9 if screen else None
        width, height = image.width() + 40, image.height() + 80
        if room is not None:
            width, height = min(width, room.width()), min(height, room.height())
        self.resize(max(320, width), max(240, height))
