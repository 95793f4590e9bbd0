"""The main window's menu bar (File, Chat, View, Help; each action also a window shortcut)
and its other keys. Help → Keyboard shortcuts lists what is registered here (and elsewhere on
the window): give every QShortcut a whatsThis text saying what it does."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QMenu

from desktopchat.storage.export import ExportFormat
from desktopchat.ui.about_dialog import AboutDialog, AboutFacts
from desktopchat.ui.i18n import translate
from desktopchat.ui.shortcuts_dialog import ShortcutsDialog
from desktopchat.ui.window_keyboard import WindowKeyboard

if TYPE_CHECKING:
    from desktopchat.ui.main_window import MainWindow


def build_menus(window: MainWindow) -> QAction:
    """Fill the window's menu bar; returns the View → Show sidebar action (checkable)."""
    files = window.files

    def action(menu: QMenu, text: str, slot: Callable[[], object],
               shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None) -> QAction:
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
    action(chat_menu, translate("WindowMenus", "Find in conversation…"), window.chat_find.open,
           QKeySequence.StandardKey.Find)
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
    help_menu = window.menuBar().addMenu(translate("WindowMenus", "&Help"))
    action(help_menu, translate("WindowMenus", "Keyboard shortcuts"),
           lambda: show_dialog(window, ShortcutsDialog(window)))
    action(help_menu, translate("WindowMenus", "About desktopchat"),
           lambda: show_dialog(window, AboutDialog(about_facts(window), window)))
    return sidebar


def show_dialog(window: MainWindow, dialog: QDialog) -> None:
    """Open `dialog` window-modal and keep it on the window (tests read `help_dialog`)."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.help_dialog = dialog
    dialog.open()


def about_facts(window: MainWindow) -> AboutFacts:
    data_dir = window.store.path.parent
    return AboutFacts(config_dir=window.settings_store.path.parent, data_dir=data_dir,
                      log_dir=data_dir / "logs")


def build_shortcuts(window: MainWindow) -> None:
    # Esc stops the reply only from the transcript and composer: elsewhere (the history
    # search box, dialogs) Esc keeps its own meaning, such as clearing the search.
    stop = QShortcut(QKeySequence(Qt.Key.Key_Escape), window.center)
    stop.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    stop.activated.connect(window.escape)
    stop.setWhatsThis(translate("WindowMenus", "Stop the reply (in the chat or message box)"))
    # Tab order in screen order, and the Menu key / Shift+F10 for the context menus.
    WindowKeyboard(window)  # a child of the window, which keeps it
