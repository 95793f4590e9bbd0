"""Settings made as narrow as it goes fits a small screen: at the usual font within 720 px,
at an 18 pt font within a 1280 px screen. Long notes wrap instead of setting the width, and
each still shows all its lines; no field is cut on any page, and the profile names show whole."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from desktopchat.secrets import SecretStore
from desktopchat.settings import SettingsStore, first_run_settings
from desktopchat.settings.tool_settings import ToolSettings, ToolSettingsStore
from desktopchat.tools import ToolHost
from desktopchat.ui.settings_dialog import SettingsDialog
from desktopchat.ui.settings_tools_page import ToolsContext
from tests.support.layout_checks import cut_fields
from tests.support.tool_servers import stdio_spec

SCREEN_WIDTH = 1280  # px: a small laptop screen
USUAL_WIDTH = 720  # px: at the usual font, comfortable beside other windows


@pytest.fixture
def host() -> Iterator[ToolHost]:
    tool_host = ToolHost(connect_timeout=60.0)
    yield tool_host
    tool_host.shutdown()


def notes_cut_short(root: QWidget) -> list[str]:
    """Shown word-wrapping labels less tall than the lines their text needs at their width."""
    problems = []
    for label in root.findChildren(QLabel):
        if not (label.wordWrap() and label.text().strip() and label.isVisible()
                and label.width() > 0):
            continue
        needed = label.heightForWidth(label.width())
        if label.height() < needed:
            problems.append(f"{label.objectName() or label.text()!r}: {label.height()} px "
                            f"tall at {label.width()} px wide, its lines need {needed}")
    return problems


@pytest.mark.parametrize(("points", "widest"), [(11, USUAL_WIDTH), (18, SCREEN_WIDTH)])
def test_settings_at_its_narrowest_fits_the_screen_and_shows_every_note_whole(
        qtbot: Any, tmp_path: Path, secret_store: SecretStore, host: ToolHost,
        points: int, widest: int) -> None:
    tools = ToolsContext(ToolSettings(servers=(stdio_spec("testtools"),)),
                         ToolSettingsStore(tmp_path / "tools.json"), host)
    dialog = SettingsDialog(first_run_settings(), SettingsStore(tmp_path / "settings.json"),
                            secret_store, tools=tools)
    qtbot.addWidget(dialog)
    font = dialog.font()
    font.setPointSize(points)
    dialog.setFont(font)
    dialog.show()
    dialog.resize(200, 200)  # Qt keeps it at its minimum size
    QApplication.processEvents()
    assert dialog.minimumSizeHint().width() <= widest <= SCREEN_WIDTH
    assert dialog.width() == dialog.minimumSizeHint().width()
    # Every profile's name shows whole, with no sideways scroll bar under the list.
    assert not dialog.profile_list.horizontalScrollBar().isVisible()

    wrapped_web_notes = 0
    for row in range(dialog.profile_list.count()):
        dialog.profile_list.setCurrentRow(row)
        QApplication.processEvents()
        form = dialog.current_form()
        assert form is not None
        name = dialog.profile_list.item(row).text()
        note = form.web_note
        if note.isVisible():  # this provider has no web search: the note says so
            # Longer than the room it has, so it wraps (it no longer sets the dialog's width).
            assert note.fontMetrics().horizontalAdvance(note.text()) > note.width(), name
            wrapped_web_notes += 1
        assert notes_cut_short(dialog) == [], name
        assert cut_fields(dialog) == [], name
    assert wrapped_web_notes > 0  # the long note was seen wrapped, and whole

    for page in (dialog.preferences, dialog.tools_page):
        assert page is not None
        dialog.tabs.setCurrentWidget(page)
        QApplication.processEvents()
        assert notes_cut_short(dialog) == [], dialog.tabs.tabText(dialog.tabs.currentIndex())
        assert cut_fields(dialog) == [], dialog.tabs.tabText(dialog.tabs.currentIndex())
