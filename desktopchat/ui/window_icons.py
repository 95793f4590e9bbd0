"""The window's chrome in the same icon set as the transcript: the sidebar toggle and Settings
at the ends of the toolbar, New chat, Attach, and Send/Stop; re-tinted when the theme changes.

Composed into MainWindow (one `apply(theme)` after every theme change); the widgets keep their
words and tooltips, the icons make them quicker to find.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QPushButton, QToolBar

from desktopchat.ui.i18n import translate
from desktopchat.ui.icons import IconName, IconSet
from desktopchat.ui.theme import Theme

if TYPE_CHECKING:
    from desktopchat.ui.main_window import MainWindow

TOOLBAR_ICON = 18


class WindowIcons:
    def __init__(self, window: MainWindow, icons: IconSet) -> None:
        self._window = window
        self.icons = icons
        toolbar: QToolBar = window.toolbar
        toolbar.setIconSize(QSize(TOOLBAR_ICON, TOOLBAR_ICON))
        first = toolbar.actions()[0] if toolbar.actions() else None
        # The View menu's own checkable action: the button shows whether the sidebar is out.
        self.sidebar = window.sidebar_action
        self.sidebar.setToolTip(translate("WindowIcons", "Show or hide the sidebar (Ctrl+B)"))
        toolbar.insertAction(first, self.sidebar)  # type: ignore[arg-type]
        if first is not None:
            toolbar.insertSeparator(first)
        self.settings = QAction(translate("WindowIcons", "Settings"), toolbar)
        self.settings.setObjectName("settingsAction")
        self.settings.setToolTip(translate("WindowIcons", "Settings (Ctrl+,)"))
        self.settings.triggered.connect(lambda _checked=False: window.open_settings())
        toolbar.addSeparator()
        toolbar.addAction(self.settings)
        self.theme: Theme | None = None

    def apply(self, theme: Theme) -> None:
        if theme == self.theme:
            return
        self.theme = theme
        w = self._window
        color = theme.text
        self.sidebar.setIcon(self.icons.icon(IconName.SIDEBAR, color))
        self.settings.setIcon(self.icons.icon(IconName.SETTINGS, color))
        w.toolbar.set_icons(self.icons, color)
        new_chat = w.history_panel.findChild(QPushButton, "newChatButton")
        if new_chat is not None:
            new_chat.setIcon(self.icons.icon(IconName.NEW_CHAT, color))
        new_folder = w.history_panel.findChild(QPushButton, "newFolderButton")
        if new_folder is not None:
            new_folder.setIcon(self.icons.icon(IconName.NEW_FOLDER, color))
        composer = w.composer
        composer.attach_button.setIcon(self.icons.icon(IconName.ATTACH, color))
        composer.chips.set_icons((self.icons.icon(IconName.FILE, color),
                                  self.icons.icon(IconName.IMAGE, color),
                                  self.icons.icon(IconName.REMOVE, color)))
        composer.send_icons = (self.icons.icon(IconName.SEND, color),
                               self.icons.icon(IconName.STOP, color))
        composer.set_streaming(composer.streaming)  # shows the icon for the current state
