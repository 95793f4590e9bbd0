"""The Preferences tab: theme, font size, Enter-to-send, the profile new chats use,
notifications and the daily backup."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QSpinBox, QWidget

from desktopchat.settings import BACKUPS_KEPT_RANGE, FONT_SIZE_RANGE, Preferences, Theme
from desktopchat.ui.i18n import translate
from desktopchat.ui.plain_text import plain_labels

THEMES = (("Follow the system", Theme.SYSTEM), ("Light", Theme.LIGHT), ("Dark", Theme.DARK))


class PreferencesForm(QWidget):
    def __init__(self, preferences: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = QComboBox(self)
        for label, value in THEMES:
            self.theme.addItem(label, value)
        self.theme.setCurrentIndex(max(0, self.theme.findData(preferences.theme)))
        self.font_size = QSpinBox(self)
        self.font_size.setRange(*FONT_SIZE_RANGE)
        self.font_size.setSuffix(" pt")
        self.font_size.setValue(preferences.font_size)
        self.enter_to_send = QCheckBox("Enter sends, Shift+Enter starts a new line", self)
        self.enter_to_send.setChecked(preferences.enter_to_send)
        self.active_profile = QComboBox(self)
        self.notify_when_done = QCheckBox(translate(
            "PreferencesForm", "Notify me when a reply finishes while the window is in the"
            " background"), self)
        self.notify_when_done.setChecked(preferences.notify_when_done)
        self.daily_backup = QCheckBox(translate(
            "PreferencesForm", "Back up the history every day"), self)
        self.daily_backup.setChecked(preferences.daily_backup)
        self.backups_kept = QSpinBox(self)
        self.backups_kept.setRange(*BACKUPS_KEPT_RANGE)
        self.backups_kept.setValue(preferences.backups_kept)
        self.daily_backup.toggled.connect(self.backups_kept.setEnabled)
        self.backups_kept.setEnabled(preferences.daily_backup)
        form = QFormLayout(self)
        form.addRow("Theme", self.theme)
        form.addRow("Font size", self.font_size)
        form.addRow("", self.enter_to_send)
        form.addRow("Default profile", self.active_profile)
        form.addRow("", self.notify_when_done)
        form.addRow(translate("PreferencesForm", "Backups"), self.daily_backup)
        form.addRow(translate("PreferencesForm", "Backups kept"), self.backups_kept)
        plain_labels(self)

    def set_profile_names(self, names: list[str], selected: int) -> None:
        """Refill the profile choice (the dialog tracks which profile is chosen across renames)."""
        self.active_profile.blockSignals(True)
        self.active_profile.clear()
        self.active_profile.addItems(names)
        self.active_profile.setCurrentIndex(selected if 0 <= selected < len(names) else -1)
        self.active_profile.blockSignals(False)

    def preferences(self) -> Preferences:
        return Preferences(
            active_profile=self.active_profile.currentText(),
            theme=str(self.theme.currentData()),
            font_size=self.font_size.value(),
            enter_to_send=self.enter_to_send.isChecked(),
            notify_when_done=self.notify_when_done.isChecked(),
            daily_backup=self.daily_backup.isChecked(),
            backups_kept=self.backups_kept.value(),
        )
