"""The buttons under Settings' profile list are alike: Add (with its menu of providers)
is a push button as tall as Duplicate, Rename and Remove, its arrow clear of its word, and
the keyboard opens its menu."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from desktopchat.secrets import SecretStore
from desktopchat.settings import SettingsStore, first_run_settings
from desktopchat.ui.settings_dialog import SettingsDialog


# The offscreen platform cannot raise a popup or grab the keyboard for it, and says so.
@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")
def test_add_is_a_button_like_its_neighbours(qtbot: Any, tmp_path: Path,
                                             secret_store: SecretStore) -> None:
    dialog = SettingsDialog(first_run_settings(), SettingsStore(tmp_path / "s.json"),
                            secret_store)
    qtbot.addWidget(dialog)
    dialog.show()
    QApplication.processEvents()
    row = [dialog.add_button, dialog.duplicate_button, dialog.rename_button,
           dialog.remove_button]
    assert len({type(button) for button in row}) == 1
    assert len({button.height() for button in row}) == 1
    add = dialog.add_button
    words = add.fontMetrics().horizontalAdvance(add.text())
    assert add.width() >= add.sizeHint().width() > words + 16  # room for the arrow too
    assert add.menu() is dialog.add_menu and dialog.add_menu.actions()
    shown: list[bool] = []

    def close_menu() -> None:  # runs in the menu's own loop once it is open
        shown.append(dialog.add_menu.isVisible())
        dialog.add_menu.hide()

    add.setFocus()
    QTimer.singleShot(0, close_menu)
    qtbot.keyClick(add, Qt.Key.Key_Space)
    QApplication.processEvents()
    assert shown == [True]
