"""Settings' numbers and choices are as wide as they need on every page (Font size, Backups
kept and Tool steps per message were stretched across the whole dialog on Preferences and
Tools, unlike the Profiles page's Temperature), and no text is cut."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox

from desktopchat.secrets import SecretStore
from desktopchat.settings import SettingsStore, first_run_settings
from desktopchat.ui.settings_dialog import SettingsDialog
from tests.support.layout_checks import clipped_texts


def test_preferences_fields_keep_their_own_width(qtbot: Any, tmp_path: Path,
                                                 secret_store: SecretStore) -> None:
    dialog = SettingsDialog(first_run_settings(), SettingsStore(tmp_path / "s.json"),
                            secret_store)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.resize(1000, 680)
    dialog.tabs.setCurrentWidget(dialog.preferences)
    QApplication.processEvents()
    page = dialog.preferences
    spins = page.findChildren(QAbstractSpinBox)
    combos = page.findChildren(QComboBox)
    assert spins and combos
    for field in [*spins, *combos]:
        assert field.width() <= max(field.sizeHint().width(), field.minimumWidth()), (
            type(field).__name__, field.width(), field.sizeHint().width())
        assert field.width() < page.width() / 2
    note = page.language_note
    assert note.width() > page.width() / 2  # the note spans the row: one line, not a column
    assert clipped_texts(dialog) == []
