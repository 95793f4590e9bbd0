"""Help → Keyboard shortcuts opens wide enough that no action's words are cut short."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication

from tests.gui.test_help_dialogs import help_action


def test_no_action_is_cut_short(chat_window: Any) -> None:
    help_action(chat_window, "Keyboard shortcuts").trigger()
    dialog = chat_window.help_dialog
    QApplication.processEvents()
    table = dialog.table
    metrics = table.fontMetrics()
    longest = max((table.item(n, 0).text() for n in range(table.rowCount())
                   if table.columnSpan(n, 0) == 1), key=metrics.horizontalAdvance)
    assert len(longest) > 40  # such as "Code block: go to the start or the end of its lines"
    room = table.columnWidth(0) - 2 * table.style().pixelMetric(
        table.style().PixelMetric.PM_FocusFrameHMargin, None, table) - 2
    assert metrics.horizontalAdvance(longest) <= room, (longest, table.columnWidth(0))
    assert dialog.width() <= dialog.screen().availableGeometry().width()
