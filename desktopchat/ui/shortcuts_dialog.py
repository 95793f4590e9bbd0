"""Help → Keyboard shortcuts: every key the window answers to, read from the window itself.

The list is built from the QActions and QShortcuts registered on the window (menus,
window_menus.build_shortcuts, and any other part that adds one), so it cannot drift from
what the keys really do. A QShortcut says what it does in its whatsThis text. The keys
the conversation itself answers to (a chosen message, its code blocks) follow under their
own heading (transcript_keys).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QMargins, Qt
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
from desktopchat.ui.transcript_keys import transcript_keys


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


MIN_WIDTH = 480


class ShortcutsDialog(QDialog):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(translate("ShortcutsDialog", "Keyboard shortcuts"))
        self.rows = registered_shortcuts(window)
        self.conversation_rows = [ShortcutRow(text, keys) for text, keys in transcript_keys()]
        self.table = QTableWidget(0, 2, self)
        self.table.setHorizontalHeaderLabels([translate("ShortcutsDialog", "Action"),
                                              translate("ShortcutsDialog", "Keys")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._add_rows(self.rows)
        self._add_heading(translate("ShortcutsDialog", "In the conversation"))
        self._add_rows(self.conversation_rows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(self._width_for_rows(), 420)

    def _width_for_rows(self) -> int:
        """Wide enough for every action's words ("Stop the reply (in the chat or message
        box)" was cut to "Stop the reply (in the chat or …" at a fixed 480 px), within the
        screen."""
        table = self.table
        header = table.horizontalHeader()
        columns = sum(max(table.sizeHintForColumn(n), header.sectionSizeHint(n))
                      for n in range(table.columnCount()))
        layout = self.layout()
        margins = layout.contentsMargins() if layout is not None else QMargins()
        needed = (columns + table.verticalScrollBar().sizeHint().width()
                  + 2 * table.frameWidth() + margins.left() + margins.right())
        screen = self.screen().availableGeometry().width()
        return max(MIN_WIDTH, min(needed, int(screen * 0.9)))

    def _add_rows(self, rows: list[ShortcutRow]) -> None:
        for row in rows:
            number = self.table.rowCount()
            self.table.insertRow(number)
            self.table.setItem(number, 0, QTableWidgetItem(row.description))
            self.table.setItem(number, 1, QTableWidgetItem(row.shown_keys()))

    def _add_heading(self, text: str) -> None:
        number = self.table.rowCount()
        self.table.insertRow(number)
        heading = QTableWidgetItem(text)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.table.setItem(number, 0, heading)
        self.table.setSpan(number, 0, 1, 2)

    def shown(self) -> list[tuple[str, str]]:
        """(action, keys) as the table shows them (what a test reads)."""
        cells = []
        for number in range(self.table.rowCount()):
            action, keys = self.table.item(number, 0), self.table.item(number, 1)
            cells.append((action.text() if action else "", keys.text() if keys else ""))
        return cells
