"""Help → About: the version, where this run keeps its files, and the licences of the app
and the main libraries it ships (versions read from the installed packages)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktopchat import __version__
from desktopchat.ui.i18n import translate
from desktopchat.ui.plain_text import new_label

APP_LICENCE = "MIT"
# (distribution, licence): what the app is built on. Licences as each project states them.
COMPONENTS: tuple[tuple[str, str], ...] = (
    ("PySide6-Essentials", "LGPL-3.0-only"),  # Qt for Python; Qt itself is LGPLv3 here
    ("qasync", "BSD-2-Clause"),
    ("httpx", "BSD-3-Clause"),
    ("httpx-sse", "MIT"),
    ("keyring", "MIT"),
    ("markdown-it-py", "MIT"),
    ("ziamath", "MIT"),
    ("Pygments", "BSD-2-Clause"),
    ("platformdirs", "MIT"),
    ("mcp", "MIT"),
    ("pypdf", "BSD-3-Clause"),
    ("Noto Emoji", "OFL-1.1"),  # resources/fonts: drawn only where no colour emoji font is
)
BUNDLED_FILES = frozenset({"Noto Emoji"})  # shipped as files, not Python distributions


@dataclass(frozen=True)
class AboutFacts:
    config_dir: Path
    data_dir: Path
    log_dir: Path


def installed_version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "—"  # a frozen bundle may carry the code without its metadata


class AboutDialog(QDialog):
    def __init__(self, facts: AboutFacts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(translate("AboutDialog", "About desktopchat"))
        heading = new_label(translate("AboutDialog", "desktopchat {version}").format(
            version=__version__), self)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        summary = new_label(translate(
            "AboutDialog", "A desktop chat client for OpenAI-compatible streaming endpoints. "
            "Licensed under the {licence} licence.").format(licence=APP_LICENCE), self)
        summary.setWordWrap(True)
        folders = QFormLayout()
        self.folders: dict[str, QLabel] = {}
        for key, label, path in (
                ("config", translate("AboutDialog", "Settings folder"), facts.config_dir),
                ("data", translate("AboutDialog", "Data folder (history)"), facts.data_dir),
                ("logs", translate("AboutDialog", "Log folder"), facts.log_dir)):
            shown = new_label(str(path), self)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.folders[key] = shown
            opener = QPushButton(translate("AboutDialog", "Open"), self)
            opener.clicked.connect(
                lambda _c=False, p=path: QDesktopServices.openUrl(QUrl.fromLocalFile(str(p))))
            row = QHBoxLayout()
            row.addWidget(shown, 1)
            row.addWidget(opener)
            folders.addRow(label, row)
        self.components = QTableWidget(len(COMPONENTS), 3, self)
        self.components.setHorizontalHeaderLabels([translate("AboutDialog", "Component"),
                                                   translate("AboutDialog", "Version"),
                                                   translate("AboutDialog", "Licence")])
        self.components.verticalHeader().hide()
        self.components.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for number, (name, licence) in enumerate(COMPONENTS):
            version = (translate("AboutDialog", "bundled font") if name in BUNDLED_FILES
                       else installed_version(name))
            for column, text in enumerate((name, version, licence)):
                self.components.setItem(number, column, QTableWidgetItem(text))
        self.components.resizeColumnsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(summary)
        layout.addLayout(folders)
        layout.addWidget(new_label(translate("AboutDialog", "Built with"), self))
        layout.addWidget(self.components)
        layout.addWidget(buttons)
        self.resize(560, 520)
