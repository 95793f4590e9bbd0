"""Settings made as small as it goes, at the usual font and a large one: no field of a
profile is cut at the right (the form scrolls up and down only, so a field past its right
edge could never be reached), and no text is cut."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from desktopchat.secrets import SecretStore
from desktopchat.settings import SettingsStore, first_run_settings
from desktopchat.ui.settings_dialog import SettingsDialog
from tests.support.layout_checks import clipped_texts, cut_fields


@pytest.mark.parametrize("points", [11, 18])
def test_settings_at_its_smallest_cuts_no_profile_field(
        qtbot: Any, tmp_path: Path, secret_store: SecretStore, points: int) -> None:
    dialog = SettingsDialog(first_run_settings(), SettingsStore(tmp_path / "settings.json"),
                            secret_store)
    qtbot.addWidget(dialog)
    font = dialog.font()
    font.setPointSize(points)
    dialog.setFont(font)
    dialog.show()
    dialog.resize(200, 200)  # Qt keeps it at its minimum size: as small as a user can drag it
    QApplication.processEvents()
    assert dialog.width() == dialog.minimumSizeHint().width()  # the narrowest it goes
    for row in range(dialog.profile_list.count()):
        dialog.profile_list.setCurrentRow(row)
        QApplication.processEvents()
        form = dialog.current_form()
        assert form is not None and form.fetch_models.isVisible()
        assert cut_fields(dialog) == [], dialog.profile_list.item(row).text()
        assert clipped_texts(dialog) == [], dialog.profile_list.item(row).text()
