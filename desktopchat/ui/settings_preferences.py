"""The Preferences tab: theme, font size, Enter-to-send, the profile new chats use,
notifications, the daily backup and the UI language."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from desktopchat.settings import (
    BACKUPS_KEPT_RANGE,
    FONT_SIZE_RANGE,
    Language,
    Preferences,
    Theme,
)
from desktopchat.ui.i18n import translate
from desktopchat.ui.plain_text import plain_labels


def themes() -> tuple[tuple[str, Theme], ...]:
    return ((translate("PreferencesForm", "Follow the system"), Theme.SYSTEM),
            (translate("PreferencesForm", "Light"), Theme.LIGHT),
            (translate("PreferencesForm", "Dark"), Theme.DARK))


def languages() -> tuple[tuple[str, Language], ...]:
    # Each language is named in itself, so a user who cannot read the current one finds theirs.
    return ((translate("PreferencesForm", "System"), Language.SYSTEM),
            ("English", Language.ENGLISH),
            ("简体中文", Language.CHINESE_SIMPLIFIED))


class PreferencesForm(QWidget):
    def __init__(self, preferences: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = QComboBox(self)
        for label, value in themes():
            self.theme.addItem(label, value)
        self.theme.setCurrentIndex(max(0, self.theme.findData(preferences.theme)))
        self.font_size = QSpinBox(self)
        self.font_size.setRange(*FONT_SIZE_RANGE)
        self.font_size.setSuffix(translate("PreferencesForm", " pt"))
        self.font_size.setValue(preferences.font_size)
        self.enter_to_send = QCheckBox(
            translate("PreferencesForm", "Enter sends, Shift+Enter starts a new line"), self)
        self.enter_to_send.setChecked(preferences.enter_to_send)
        self.active_profile = QComboBox(self)
        # Short: a check box's words never wrap, and the longest one sets Settings' width.
        self.notify_when_done = QCheckBox(translate(
            "PreferencesForm", "Notify me when a reply finishes in the background"), self)
        self.notify_when_done.setChecked(preferences.notify_when_done)
        self.daily_backup = QCheckBox(translate(
            "PreferencesForm", "Back up the history every day"), self)
        self.daily_backup.setChecked(preferences.daily_backup)
        self.backups_kept = QSpinBox(self)
        self.backups_kept.setRange(*BACKUPS_KEPT_RANGE)
        self.backups_kept.setValue(preferences.backups_kept)
        self.daily_backup.toggled.connect(self.backups_kept.setEnabled)
        self.backups_kept.setEnabled(preferences.daily_backup)
        self.language = QComboBox(self)
        for name, language in languages():
            self.language.addItem(name, language)
        self.language.setCurrentIndex(max(0, self.language.findData(preferences.language)))
        self.language_note = QLabel(
            translate("PreferencesForm", "A new language applies when desktopchat next starts."),
            self)
        self.language_note.setWordWrap(True)
        # The note takes the row's width (the fields beside it keep theirs).
        self.language_note.setSizePolicy(QSizePolicy.Policy.Expanding,
                                         QSizePolicy.Policy.Preferred)
        form = QFormLayout(self)
        # Numbers and choices as wide as they need, as on the Profiles page (the style's
        # default stretched a two-digit spin box across the whole dialog).
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(translate("PreferencesForm", "Theme"), self.theme)
        form.addRow(translate("PreferencesForm", "Font size"), self.font_size)
        form.addRow("", self.enter_to_send)
        form.addRow(translate("PreferencesForm", "Default profile"), self.active_profile)
        form.addRow("", self.notify_when_done)
        form.addRow(translate("PreferencesForm", "Backups"), self.daily_backup)
        form.addRow(translate("PreferencesForm", "Backups kept"), self.backups_kept)
        form.addRow(translate("PreferencesForm", "Language"), self.language)
        form.addRow("", self.language_note)
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
            language=str(self.language.currentData()),
        )
