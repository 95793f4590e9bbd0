"""A narrow window gives the chat its whole width: the sidebar steps aside below NARROW_WIDTH
(or NARROW_CHARS of the window's font, when a large font makes that wider) and comes back
when the window is widened again (or the font made smaller).

At 480 px a 260 px sidebar left the transcript and the composer about 200 px, where words
broke mid-way (issue 17). View → Show sidebar (Ctrl+B) still shows it on a narrow window:
that choice is the user's and is not undone until the window is widened past the threshold.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QWidget

NARROW_WIDTH = 640
# 640 px is 80 average characters at the usual 11 pt: at 18 pt a 700 px window left the chat
# about 25 characters a line once the sidebar had its share.
NARROW_CHARS = 80


class NarrowLayout(QObject):
    def __init__(self, window: QWidget, sidebar: QWidget, sidebar_action: QAction) -> None:
        super().__init__(window)
        self._window = window
        self._sidebar = sidebar
        self._action = sidebar_action
        self.stepped_aside = False  # hidden by us, not by the user
        self._user_choice_while_narrow = False
        sidebar_action.triggered.connect(self._user_toggled)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Resize:
            assert isinstance(event, QResizeEvent)
            self.fit(event.size().width())
        elif watched is self._window and event.type() == QEvent.Type.FontChange:
            self.fit(self._window.width())  # Preferences → Font size
        return False

    def threshold(self) -> int:
        chars = NARROW_CHARS * QFontMetrics(self._window.font()).averageCharWidth()
        return max(NARROW_WIDTH, chars)

    def fit(self, width: int) -> None:
        narrow = width < self.threshold()
        if not narrow:
            self._user_choice_while_narrow = False
            if self.stepped_aside:
                self.stepped_aside = False
                self._action.setChecked(True)
                self._sidebar.setVisible(True)
        elif self._action.isChecked() and not self._user_choice_while_narrow:
            self.stepped_aside = True
            self._action.setChecked(False)
            self._sidebar.setVisible(False)

    def _user_toggled(self, _checked: bool = False) -> None:
        self.stepped_aside = False
        self._user_choice_while_narrow = self._window.width() < self.threshold()
