"""The main window's menu bar (File, Chat, View; each action also a window shortcut) and
its other keys."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu

from desktopchat.storage.export import ExportFormat
from desktopchat.ui.i18n import translate

if TYPE_CHECKING:
    from desktopchat.ui.main_window import MainWindow


def build_menus(window: MainWindow) -> QAction:
    """Fill the window's menu bar; returns the View → Show sidebar action (checkable)."""
    files = window.files

    def action(menu: QMenu, text: str, slot: Callable[[], Any], shortcut: Any = None) -> QAction:
        made = QAction(text, window)
        if shortcut is not None:
            made.setShortcut(QKeySequence(shortcut))
        made.triggered.connect(lambda _checked=False: slot())
        menu.addAction(made)
        window.addAction(made)
        return made

    file_menu = window.menuBar().addMenu(translate("WindowMenus", "&File"))
    action(file_menu, translate("WindowMenus", "New chat"), window.new_chat, "Ctrl+N")
    action(file_menu, translate("WindowMenus", "Import…"), files.import_file)
    file_menu.addSeparator()
    action(file_menu, translate("WindowMenus", "Export conversation as Markdown…"),
           lambda: files.export_conversation(ExportFormat.MARKDOWN))
    action(file_menu, translate("WindowMenus", "Export conversation as JSON…"),
           lambda: files.export_conversation(ExportFormat.JSON))
    action(file_menu, translate("WindowMenus", "Copy conversation as Markdown"),
           files.copy_conversation)
    action(file_menu, translate("WindowMenus", "Export all…"), window.backups.export_all)
    file_menu.addSeparator()
    action(file_menu, translate("WindowMenus", "Settings…"), window.open_settings, "Ctrl+,")
    file_menu.addSeparator()
    action(file_menu, translate("WindowMenus", "Quit"), window.close,
           QKeySequence.StandardKey.Quit)
    chat_menu = window.menuBar().addMenu(translate("WindowMenus", "&Chat"))
    action(chat_menu, translate("WindowMenus", "Search history"),
           window.history_panel.focus_search, "Ctrl+K")
    action(chat_menu, translate("WindowMenus", "Copy last reply"), files.copy_last_reply,
           "Ctrl+Shift+C")
    action(chat_menu, translate("WindowMenus", "Regenerate last reply"),
           window.message_actions.regenerate_last)
    action(chat_menu, translate("WindowMenus", "Stop"), lambda: window.controller.stop())
    if window.controller.tools is not None:
        action(chat_menu, translate("WindowMenus", "Tools for this chat…"),
               window.choose_chat_tools)
    view_menu = window.menuBar().addMenu(translate("WindowMenus", "&View"))
    sidebar = action(view_menu, translate("WindowMenus", "Show sidebar"), window.toggle_sidebar,
                     "Ctrl+B")
    sidebar.setCheckable(True)
    sidebar.setChecked(True)
    return sidebar


def build_shortcuts(window: MainWindow) -> None:
    # Esc stops the reply only from the transcript and composer: elsewhere (the history
    # search box, dialogs) Esc keeps its own meaning, such as clearing the search.
    stop = QShortcut(QKeySequence(Qt.Key.Key_Escape), window.center)
    stop.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    stop.activated.connect(window.escape)
