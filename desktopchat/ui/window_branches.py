"""The window's side of the message tree and of per-chat profiles.

‹ › and Delete on a message, Undo after a delete, the chat's token total in the status bar,
and the toolbar showing (and changing) the profile and model of the chat on screen. Composed
into MainWindow, wired to the controller's signals in one place (`connect`).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel, QPushButton, QStatusBar

from desktopchat.errors import StorageError
from desktopchat.ui.i18n import translate

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktopchat.settings import Profile, Settings
    from desktopchat.ui.chat_view import ChatView
    from desktopchat.ui.controller import ChatController
    from desktopchat.ui.toolbar import ChatToolbar

UNDO_SECONDS = 15


class WindowBranches(QObject):
    def __init__(self, controller: ChatController, view: ChatView, toolbar: ChatToolbar,
                 status: QStatusBar, save_settings: Callable[[Settings], None]) -> None:
        super().__init__(status)
        self._controller = controller
        self._view = view
        self._toolbar = toolbar
        self._status = status
        self._save_settings = save_settings  # (Settings) -> None: only when the user asks
        self.tokens = QLabel("", status)
        self.tokens.setObjectName("chatTokens")
        self.tokens.setTextFormat(Qt.TextFormat.PlainText)  # counts only, but the rule is kept
        status.addPermanentWidget(self.tokens)
        self.undo = QPushButton(translate("WindowBranches", "Undo delete"), status)
        self.undo.setObjectName("undoDelete")
        self.undo.hide()
        self.undo.clicked.connect(self.undo_delete)
        status.addPermanentWidget(self.undo)
        self._undo_timer = QTimer(self)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.setInterval(UNDO_SECONDS * 1000)
        self._undo_timer.timeout.connect(self.undo.hide)

    def connect_signals(self) -> None:
        c = self._controller
        c.versions_changed.connect(self._versions_changed)
        c.branch_removed.connect(self._removed)
        c.version_failed.connect(
            lambda _cid, why: self._status.showMessage(
                translate("WindowBranches", "The new version failed ({problem}). The earlier "
                          "reply is shown; ‹ › shows the failed one.")
                .format(problem=" ".join(why.split())), 20000))
        c.profile_shown.connect(self._toolbar.show_chat_profile)
        c.conversation_opened.connect(lambda cid, _m, _o: self.update_tokens(cid))
        c.message_updated.connect(lambda cid, _m: self.update_tokens(cid))
        self._toolbar.profile_chosen.connect(self._profile_chosen)
        self._toolbar.profile_edited.connect(c.choose_profile)
        self._toolbar.default_requested.connect(self._use_for_new_chats)

    # -- messages -------------------------------------------------------------------------

    def action(self, message_id: int, action: str) -> bool:
        """A ‹ ›/Delete link on a message; False when it is not one of these."""
        c = self._controller
        if action in ("previous-version", "next-version"):
            shown = c.branches.switch(message_id, -1 if action == "previous-version" else 1)
            if shown >= 0:
                self._view.scroll_to_message(shown, highlight=False)
            return True
        if action == "delete":
            if not c.is_streaming(c.current_id):
                c.branches.remove(message_id)
            return True
        return False

    def _versions_changed(self, conversation_id: int,
                          positions: dict[int, tuple[int, int]]) -> None:
        if conversation_id == self._controller.current_id:
            self._view.set_versions(positions)

    def _removed(self, _conversation_id: int, count: int) -> None:
        text = (translate("WindowBranches", "Deleted 1 message.") if count == 1 else
                translate("WindowBranches", "Deleted {count} messages.").format(count=count))
        self._status.showMessage(text, UNDO_SECONDS * 1000)
        self.undo.show()
        self._undo_timer.start()

    def undo_delete(self) -> None:
        self.undo.hide()
        self._status.clearMessage()
        self._controller.branches.undo_remove()

    def update_tokens(self, conversation_id: int) -> None:
        if conversation_id != self._controller.current_id:
            return
        totals = (0, 0)
        if conversation_id >= 0:
            try:
                totals = self._controller.store.token_totals(conversation_id)
            except StorageError:
                totals = (0, 0)
        prompt, completion = totals
        self.tokens.setText(
            translate("WindowBranches", "This chat: {prompt} in / {completion} out tokens")
            .format(prompt=prompt, completion=completion) if prompt or completion else "")

    # -- profiles ---------------------------------------------------------------------------

    def _profile_chosen(self, name: str) -> None:
        profile = self._controller.settings.profile(name)
        if profile is not None:
            self._controller.choose_profile(profile)

    def _use_for_new_chats(self) -> None:
        """The user asked: the chat's profile and model become the default (saved)."""
        chosen: Profile | None = self._controller.profile()
        if chosen is None:
            return
        settings: Settings = self._controller.settings
        profiles = [chosen if p.name == chosen.name else p for p in settings.profiles]
        prefs = dataclasses.replace(settings.preferences, active_profile=chosen.name)
        self._save_settings(dataclasses.replace(settings, profiles=profiles, preferences=prefs))
