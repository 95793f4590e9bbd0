"""A chat transcript above a text field, with the keyboard brought into the transcript."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from desktopchat.ui.chat_view import ChatView
from desktopchat.ui.theme import theme_named


def transcript_over_field(qtbot: Any,  # Any: pytest-qt's fixture
                          messages: list[Any],  # Any: the tests' message rows
                          *, settle: bool) -> tuple[QWidget, ChatView, QLineEdit]:
    """The transcript above a text field (the next Tab stop), focused by Shift+Tab from the
    field. `settle`: wait for every part to be rendered first (False keeps parts waiting)."""
    window = QWidget()
    qtbot.addWidget(window)
    view = ChatView(theme_named("light"))
    after = QLineEdit()
    layout = QVBoxLayout(window)
    layout.addWidget(view)
    layout.addWidget(after)
    window.resize(660, 560)
    window.show()
    view.set_messages(messages)
    if settle:
        qtbot.waitUntil(lambda: not view.row_geometry.pump.busy)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    after.setFocus()
    qtbot.waitUntil(after.hasFocus)
    qtbot.keyClick(after, Qt.Key.Key_Backtab)  # Shift+Tab into the transcript
    assert QApplication.focusWidget() is view
    return window, view, after
