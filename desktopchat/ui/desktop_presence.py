"""The app on the desktop outside its window: a tray icon with a menu, and a notification
when a reply finishes while the window is in the background (off unless chosen in
Preferences).

Notifications go through the tray icon (on Linux, the desktop's notification service), so a
desktop with no tray shows none. Their text is a chat's title, which comes from user or
model text: freedesktop notification servers may read `<b>`, `<a>` or `<img>` markup in it,
so markup characters are replaced by look-alikes before it leaves (nothing is fetched).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from desktopchat.errors import StorageError
from desktopchat.settings import Preferences
from desktopchat.storage.models import MessageState
from desktopchat.storage.store import HistoryStore
from desktopchat.ui.chat_events import ChatEvents
from desktopchat.ui.i18n import translate

if TYPE_CHECKING:
    from desktopchat.ui.controller import ChatController
    from desktopchat.ui.main_window import MainWindow

TITLE_LENGTH = 80
NOTIFY_MS = 6000
_INERT = str.maketrans({"<": "‹", ">": "›", "&": "＆"})

Notify = Callable[[str, str], None]  # (heading, body)


def inert(text: str) -> str:
    """`text` on one line, short, with no character a notification server reads as markup."""
    line = " ".join(text.split())
    if len(line) > TITLE_LENGTH:
        line = line[: TITLE_LENGTH - 1] + "…"
    return line.translate(_INERT)


def bring_up(window: QWidget) -> None:
    """Show `window` in front, restored if minimised (the tray, a second launch)."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()


class ReplyNotifier(QObject):
    """Tells the desktop that a reply is done, when the user is looking elsewhere."""

    def __init__(self, window: QWidget, store: HistoryStore, events: ChatEvents,
                 preferences: Callable[[], Preferences], notify: Notify) -> None:
        super().__init__(window)
        self._window = window
        self._store = store
        self._preferences = preferences
        self._notify = notify
        events.streaming_changed.connect(self._streaming_changed)

    def _streaming_changed(self, conversation_id: int, streaming: bool) -> None:
        if streaming or not self._preferences().notify_when_done:
            return
        if self._window.isActiveWindow():
            return
        try:
            title = self._store.get_conversation(conversation_id).title
            path = self._store.current_path(conversation_id, limit=1)
        except StorageError:
            return  # deleted meanwhile: nothing to point at
        state = path[-1].state if path else MessageState.COMPLETE
        if state == MessageState.COMPLETE:
            heading = translate("ReplyNotifier", "Reply finished")
        elif state == MessageState.STOPPED:
            heading = translate("ReplyNotifier", "Reply stopped")
        else:
            heading = translate("ReplyNotifier", "Reply failed")
        self._notify(heading, inert(title))


class DesktopTray(QObject):
    """The tray icon: click to bring the window up; a menu to show it, start a chat, quit."""

    def __init__(self, window: QWidget, new_chat: Callable[[], None]) -> None:
        super().__init__(window)
        self._window = window
        self.icon = QSystemTrayIcon(QGuiApplication.windowIcon(), self)
        self.icon.setToolTip("desktopchat")
        menu = QMenu(window)
        menu.setObjectName("trayMenu")
        self.menu = menu
        self._new_chat = new_chat
        self._add(translate("DesktopTray", "Show desktopchat"), self.raise_window)
        self._add(translate("DesktopTray", "New chat"), self.new_chat)
        menu.addSeparator()
        self._add(translate("DesktopTray", "Quit"), window.close)
        self.icon.setContextMenu(menu)
        self.icon.activated.connect(self._activated)
        self.notifier: ReplyNotifier | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.icon.show()

    @classmethod
    def for_window(cls, window: MainWindow, controller: ChatController) -> DesktopTray:
        """The window's tray icon, with the reply notifier that speaks through it."""
        tray = cls(window, window.new_chat)
        tray.notifier = ReplyNotifier(window, controller.store, controller,
                                      lambda: window.settings.preferences, tray.notify)
        return tray

    def _add(self, text: str, slot: Callable[[], object]) -> QAction:
        action = self.menu.addAction(text)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.raise_window()

    def raise_window(self) -> None:
        bring_up(self._window)

    def new_chat(self) -> None:
        bring_up(self._window)
        self._new_chat()

    def notify(self, heading: str, body: str) -> None:
        self.icon.showMessage(heading, body, QSystemTrayIcon.MessageIcon.Information, NOTIFY_MS)

    def hide(self) -> None:
        self.icon.hide()
