"""Help → Keyboard shortcuts: every key the window answers to, read from the window itself.

The list is built from the QActions and QShortcuts registered on the window (menus,
window_menus.build_shortcuts, and any other part that adds one), so it cannot drift from
what the keys really do. A QShortcut says what it does in its whatsThis text.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktopchat.ui.i18n import translate


@dataclass(frozen=True)
class ShortcutRow:
    description: str
    keys: tuple[QKeySequence, ...]

    def shown_keys(self) -> str:
        return ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in self.keys)


def _described(action: QAction) -> str:
    # "&Import…" in a menu reads "Import" in a list of keys.
    return action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…")


def registered_shortcuts(window: QWidget) -> list[ShortcutRow]:
    """The window's actions with keys and its QShortcuts, in the order they were made."""
    rows: list[ShortcutRow] = []
    seen: set[int] = set()
    for action in window.findChildren(QAction):
        keys = tuple(k for k in action.shortcuts() if not k.isEmpty())
        if keys and id(action) not in seen:
            seen.add(id(action))
            rows.append(ShortcutRow(_described(action), keys))
    for shortcut in window.findChildren(QShortcut):
        keys = tuple(k for k in (shortcut.key(),) if not k.isEmpty())
        if keys:
            rows.append(ShortcutRow(shortcut.whatsThis() or shortcut.objectName(), keys))
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(translate("ShortcutsDialog", "Keyboard shortcuts"))
        self.rows = registered_shortcuts(window)
        self.table = QTableWidget(len(self.rows), 2, self)
        self.table.setHorizontalHeaderLabels([translate("ShortcutsDialog", "Action"),
                                              translate("ShortcutsDialog", "Keys")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for number, row in enumerate(self.rows):
            self.table.setItem(number, 0, QTableWidgetItem(row.description))
            self.table.setItem(number, 1, QTableWidgetItem(row.shown_keys()))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(480, 420)

    def shown(self) -> list[tuple[str, str]]:
        """(action, keys) as the table shows them (what a test reads)."""
        cells = []
        for number in range(self.table.rowCount()):
            action, keys = self.table.item(number, 0), self.table.item(number, 1)
            cells.append((action.text() if action else "", keys.text() if keys else ""))
        return cells
