"""Settings dialog: profiles, API keys, preferences."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from desktopchat.secrets import SecretStore
    from desktopchat.settings import Settings, SettingsStore


class SettingsDialog(QDialog):
    """Minimal first version: OK saves the settings unchanged; the full form comes next."""

    settings_saved = Signal(object)

    def __init__(
        self,
        settings: Settings,
        settings_store: SettingsStore,
        secrets: SecretStore,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self._settings = settings
        self._settings_store = settings_store
        self._secrets = secrets
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Settings", self))
        layout.addWidget(buttons)

    def accept(self) -> None:
        self._settings_store.save(self._settings)
        self.settings_saved.emit(self._settings)
        super().accept()
