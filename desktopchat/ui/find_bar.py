"""The find bar under the transcript: a field, "3 of 17", previous / next, close.

Enter and F3 go to the next match, Shift+Enter and Shift+F3 to the previous one; Esc
closes the bar. The window's Esc stops a streaming reply from anywhere in the chat column,
which holds this bar: the field claims Esc first (ShortcutOverride), so Esc here only
closes the bar, as Esc in the history search only clears the search. F3 works while the
bar is open, wherever the focus is in the window (a hidden widget's shortcuts are off).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from desktopchat.ui.i18n import translate

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class FindBar(QFrame):
    query_changed = Signal(str)
    next_requested = Signal()
    previous_requested = Signal()
    close_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        self.field = QLineEdit(self)
        self.field.setObjectName("findField")
        self.field.setPlaceholderText(translate("FindBar", "Find in conversation"))
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(self.query_changed.emit)
        self.field.installEventFilter(self)
        self.count = QLabel(self)
        self.count.setObjectName("findCount")
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self.previous_button = self._button(
            "↑", translate("FindBar", "Previous match (Shift+Enter, Shift+F3)"),
            self.previous_requested.emit)
        self.next_button = self._button(
            "↓", translate("FindBar", "Next match (Enter, F3)"), self.next_requested.emit)
        self.close_button = self._button("✕", translate("FindBar", "Close (Esc)"),
                                         self.close_requested.emit)
        row.addWidget(self.field, 1)
        row.addWidget(self.count)
        row.addWidget(self.previous_button)
        row.addWidget(self.next_button)
        row.addWidget(self.close_button)
        for keys, slot, what in (
            (QKeySequence(Qt.Key.Key_F3), self.next_requested.emit,
             translate("FindBar", "Next match in the conversation")),
            (QKeySequence("Shift+F3"), self.previous_requested.emit,
             translate("FindBar", "Previous match in the conversation")),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.setWhatsThis(what)  # Help → Keyboard shortcuts lists it by this
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)

    def _button(self, text: str, tip: str, slot: object) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        return button

    def show_count(self, current: int, total: int, *, searching: bool, query: str) -> None:
        """current is 0-based (-1: none yet)."""
        if not query:
            text = ""
        elif total == 0:
            text = (translate("FindBar", "Searching…") if searching
                    else translate("FindBar", "No matches"))
        else:
            text = translate("FindBar", "{0} of {1}").format(max(0, current) + 1, total)
            if searching:
                text += "…"
        self.count.setText(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and isinstance(event, QKeyEvent):
            if event.type() == QEvent.Type.ShortcutOverride and event.key() in (
                    Qt.Key.Key_Escape, *_ENTER_KEYS):
                event.accept()  # ours, not the window's Esc (Stop)
                return True
            if event.type() == QEvent.Type.KeyPress:
                if event.key() == Qt.Key.Key_Escape:
                    self.close_requested.emit()
                    return True
                if event.key() in _ENTER_KEYS:
                    shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                    (self.previous_requested if shift else self.next_requested).emit()
                    return True
        return super().eventFilter(watched, event)
