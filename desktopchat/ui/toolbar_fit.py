"""The chat toolbar keeps every control on screen as the window narrows (issue 17).

At 1100 px the toolbar's words ("Profile", "Temperature", "Web search: unavailable", "Use
for new chats") needed more than the width, and Qt pushed the last controls into its »
menu. Instead the toolbar says less, in steps, the first that fits the width it has:

0. everything spelled out;
1. "Use for new chats" becomes an icon button (its tooltip keeps the words), and the
   profile and model boxes show a few characters less;
2. the word labels go (each control keeps its tooltip and accessible name), and
   Temperature becomes a thermometer icon;
3. the profile and model boxes narrow further, and the web search state is said by the
   check box alone (its tooltip and accessible description carry the words).

Only below that (a window near its minimum width) does Qt's » menu take the rest, where
they stay reachable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QComboBox

QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's "no maximum" for a widget's size

if TYPE_CHECKING:
    from desktopchat.ui.toolbar import ChatToolbar

LEVELS = 4
# Characters the profile and model boxes show, by level (a longer name is elided).
CONTENTS = ((12, 18), (10, 14), (10, 14), (6, 10))


class ToolbarFit(QObject):
    def __init__(self, toolbar: ChatToolbar) -> None:
        super().__init__(toolbar)
        self._toolbar = toolbar
        self.level = -1
        self._fitting = False
        # Sized by those character counts, not by the longest name in the list (a profile
        # box took 200 px for "OpenAI"); a longer name is elided, and shown whole in the list.
        policy = QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        toolbar.profile_combo.setSizeAdjustPolicy(policy)
        toolbar.model_combo.setSizeAdjustPolicy(policy)
        toolbar.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._toolbar and event.type() in (
                QEvent.Type.Resize, QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.refit()
        return False

    def refit(self) -> None:
        """The most detailed level whose controls fit the toolbar's width."""
        # A late profile update can reach a toolbar whose children Qt is already deleting
        # (the window closing): then there is nothing left to fit.
        bar = self._toolbar
        parts = (bar.profile_label, bar.model_label, bar.temperature_label,
                 bar.temperature_icon_action, bar.web_label_action, bar.default_button,
                 bar.profile_combo, bar.model_combo)
        if self._fitting or not all(shiboken6.isValid(part) for part in parts):
            return
        self._fitting = True
        try:
            width = self._toolbar.width()
            for level in range(LEVELS):
                self.apply(level)
                if self.needed_width() <= width:
                    break
        finally:
            self._fitting = False

    def needed_width(self) -> int:
        layout = self._toolbar.layout()
        assert layout is not None  # a QToolBar always has its own layout
        layout.invalidate()
        return self._toolbar.sizeHint().width()

    def apply(self, level: int) -> None:
        self.level = level
        bar = self._toolbar
        bar.default_button.setToolButtonStyle(
            Qt.ToolButtonStyle.ToolButtonTextBesideIcon if level == 0
            else Qt.ToolButtonStyle.ToolButtonIconOnly)
        for combo, length in zip((bar.profile_combo, bar.model_combo), CONTENTS[level],
                                 strict=True):
            combo.setMinimumContentsLength(length)
            # QComboBox keeps its first minimumSizeHint, and the toolbar never lays an item
            # out narrower than that: a fixed width is what lets the box narrow.
            combo.setMinimumWidth(0)
            combo.setMaximumWidth(QWIDGETSIZE_MAX)
            combo.setFixedWidth(combo.sizeHint().width())
        wordy = level < 2
        for action in (bar.profile_label, bar.model_label, bar.temperature_label):
            action.setVisible(wordy)
        bar.temperature_icon_action.setVisible(not wordy)
        bar.web_label_action.setVisible(level < 3)
