"""The main window: history sidebar, transcript, composer, toolbar, menus, shortcuts.

Every connection between the ChatController and the widgets is made here, in
one place (DESIGN.md §9). The window owns no chat logic: it forwards user intent
to the controller and shows what the controller reports.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktopchat.errors import SettingsError, StorageError
from desktopchat.settings import Settings, SettingsStore, WindowStateStore
from desktopchat.storage.models import Message
from desktopchat.ui.appearance import Appearance
from desktopchat.ui.backup_actions import BackupActions
from desktopchat.ui.chat_tools_dialog import open_chat_tools
from desktopchat.ui.chat_view import ChatView
from desktopchat.ui.close_prompt import ask_stop_and_quit
from desktopchat.ui.composer import Composer
from desktopchat.ui.controller import ChatController
from desktopchat.ui.conversation_changes import connect_history
from desktopchat.ui.desktop_presence import DesktopTray
from desktopchat.ui.empty_state import EmptyState
from desktopchat.ui.history_panel import HistoryPanel
from desktopchat.ui.i18n import translate
from desktopchat.ui.narrow_layout import NarrowLayout
from desktopchat.ui.plain_text import isolated, message_box
from desktopchat.ui.run_key_prompt import ask_run_only_key
from desktopchat.ui.stream_runner import LiveStream, SetupAction, SetupProblem
from desktopchat.ui.tool_approval import ToolApprovalPanel
from desktopchat.ui.toolbar import ChatToolbar
from desktopchat.ui.window_actions import WindowFileActions
from desktopchat.ui.window_branches import WindowBranches
from desktopchat.ui.window_find import WindowFind
from desktopchat.ui.window_geometry import restore_geometry, save_geometry
from desktopchat.ui.window_icons import WindowIcons
from desktopchat.ui.window_menus import build_menus, build_shortcuts
from desktopchat.ui.window_message_actions import WindowMessageActions

log = logging.getLogger(__name__)
Shown = TypeVar("Shown")  # what a controller signal carries beside the conversation id


class MainWindow(QMainWindow):
    def __init__(self, controller: ChatController, *, settings_store: SettingsStore,
                 window_state: WindowStateStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.controller = controller
        self.store = controller.store
        self.secrets = controller.secrets
        self.settings = controller.settings
        self.settings_store = settings_store
        self.window_state = window_state
        self._close_confirmed = False
        self._closed_for_undo = -1  # the open chat that a pending (undoable) delete closed
        self.close_box: QMessageBox | None = None
        self.problem_box: QMessageBox | None = None
        self.settings_problem_box: QMessageBox | None = None  # set at start-up, kept alive
        self.help_dialog: QDialog | None = None  # Help → About or Keyboard shortcuts, when open
        self.settings_dialog: QDialog | None = None  # Settings, while open
        self._tasks: set[asyncio.Future[object]] = set()

        prefs = self.settings.preferences
        self.appearance = Appearance(self, on_system_change=self._apply_theme)
        self.theme = self.appearance.apply(prefs.theme, prefs.font_size)
        self.toolbar = ChatToolbar(self)
        self.addToolBar(self.toolbar)
        self.history_panel = HistoryPanel(self.store, self)
        self.chat_view = ChatView(self.theme, self)
        self.composer = Composer(self)
        self.empty_state = EmptyState(self.chat_view, lambda: bool(self.chat_view.rows.items),
                                      self.composer)
        center = QWidget(self)
        self.center = center
        column = QVBoxLayout(center)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.chat_view, 1)
        self.tool_approval = ToolApprovalPanel(self)
        column.addWidget(self.tool_approval)
        column.addWidget(self.composer)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.history_panel)
        self.splitter.addWidget(center)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 760])
        self.setCentralWidget(self.splitter)
        self.files = WindowFileActions(self, controller, self.store, self.chat_view,
                                       self.history_panel, show_problem=self.show_problem)
        self.branches = WindowBranches(controller, self.chat_view, self.toolbar,
                                       self.statusBar(),
                                       lambda s: self.apply_settings(s, save=True))
        self.message_actions = WindowMessageActions(controller, self.chat_view, self.composer,
                                                    self.branches, self)
        self.backups = BackupActions.for_window(self, settings_store, controller)
        self.tray = DesktopTray.for_window(self, controller)
        self.chat_find = WindowFind(self)  # Ctrl+F: find in this conversation
        self.sidebar_action = build_menus(self)
        self.window_icons = WindowIcons(self, self.chat_view.marks.icons)
        self.narrow_layout = NarrowLayout(self, self.history_panel, self.sidebar_action)
        build_shortcuts(self)
        self._connect()
        self.apply_settings(self.settings, save=False)
        self._restore_state()
        self.update_title()

    # -- wiring -----------------------------------------------------------------------------

    def _connect(self) -> None:
        c = self.controller
        c.conversation_opened.connect(self._opened)
        c.conversation_changed.connect(self._changed)
        c.message_added.connect(self._if_current(self.chat_view.add_message))
        c.message_updated.connect(self._if_current(self.chat_view.finish_message))
        c.messages_removed.connect(self._if_current(self.chat_view.remove_from))
        c.stream_progressed.connect(self._stream_progressed)
        c.streaming_changed.connect(self._streaming_changed)
        c.setup_needed.connect(self._setup_needed)
        c.problem_reported.connect(self.show_problem)
        c.models_loaded.connect(self._models_loaded)
        # After the choice is applied (another slot applies it): list the new profile's models.
        self.toolbar.profile_chosen.connect(lambda _n: QTimer.singleShot(0, self.fill_models))
        if c.tool_loop is not None:
            c.tool_loop.set_approval(self.tool_approval.ask, self.tool_approval.clear)
        self.composer.send_requested.connect(self._send)
        self.composer.edit_submitted.connect(self._edit_submitted)
        self.composer.stop_requested.connect(lambda: c.stop())
        self.composer.hint_action.connect(self._hint_action)
        self.chat_view.action_triggered.connect(self.message_actions.handle)
        self.chat_view.row_geometry.attachment_source = self.controller.attachments_of
        self.chat_view.older_requested.connect(self._load_older)
        self.history_panel.conversation_selected.connect(
            lambda cid, mid: self.open_conversation(
                cid, mid, self.history_panel.results.terms_for(mid)
            )
        )
        self.history_panel.new_chat_requested.connect(self.new_chat)
        connect_history(self.history_panel, c.conversations)
        self.history_panel.conversation_deleted.connect(self._deleted)
        self.history_panel.conversation_hidden.connect(self._hidden)
        self.history_panel.conversation_restored.connect(self._restored)
        self.branches.connect_signals()
        self.toolbar.models_requested.connect(
            lambda: self._spawn(self.controller.fetch_models()))
        self.empty_state.follow(c)  # after the view's connections: it reads the view

    def _if_current(self, slot: Callable[[Shown], None]) -> Callable[[int, Shown], None]:
        def forward(conversation_id: int, value: Shown) -> None:
            if conversation_id == self.controller.current_id:
                slot(value)
        return forward

    def choose_chat_tools(self) -> None:
        """A chat's own choice of tools (the dialog is kept on the window for tests)."""
        dialog = open_chat_tools(self.controller, self)
        if dialog is None and self.controller.current_id < 0:
            self.statusBar().showMessage(
                translate("MainWindow", "Send a message first: a new chat has no tools of "
                                         "its own yet."), 6000)
        self.chat_tools_dialog = dialog

    def toggle_sidebar(self) -> None:
        """Ctrl+B: more room for the chat; the sidebar comes back at its old width."""
        self.history_panel.setVisible(self.sidebar_action.isChecked())

    def apply_settings(self, settings: Settings, *, save: bool = False) -> None:
        if save:
            try:
                self.settings_store.save(settings)
            except SettingsError as exc:
                self.statusBar().showMessage(
                    translate("MainWindow", "Settings not saved: {problem}")
                    .format(problem=exc.message), 8000)
        self.settings = settings
        self.controller.set_settings(settings)
        self.toolbar.set_settings(settings)
        self.toolbar.show_chat_profile(self.controller.profile())
        self.composer.set_enter_to_send(settings.preferences.enter_to_send)
        self._apply_theme()
        problem = self.controller.check_setup()
        if problem is None:
            self.composer.clear_hint()
        else:
            self.composer.show_hint(problem.message, problem.action)

    def _apply_theme(self) -> None:
        prefs = self.settings.preferences
        self.appearance = Appearance(self, on_system_change=self._apply_theme)
        self.theme = self.appearance.apply(prefs.theme, prefs.font_size)
        self.chat_view.set_theme(self.theme)
        self.window_icons.apply(self.theme)
        self.empty_state.apply(self.theme, prefs.enter_to_send, self.controller.profile())

    def open_settings(self) -> None:
        from desktopchat.ui.settings_dialog import SettingsDialog
        from desktopchat.ui.settings_tools_page import ToolsContext

        tools = self.controller.tools
        context = (ToolsContext(tools.settings, tools.store, tools.host)
                   if tools is not None else None)
        dialog = SettingsDialog(self.settings, self.settings_store, self.secrets, self,
                                tools=context)
        dialog.tool_settings_saved.connect(self.controller.set_tool_settings)
        dialog.settings_saved.connect(lambda s: self.apply_settings(s, save=False))
        dialog.models_fetched.connect(self._models_loaded)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.settings_dialog = dialog
        dialog.open()

    # -- conversations ----------------------------------------------------------------------

    def new_chat(self) -> None:
        self.controller.new_chat()
        self.composer.editor.setFocus()

    def open_conversation(
        self, conversation_id: int, message_id: int = -1, terms: list[str] | None = None
    ) -> None:
        """Open a conversation; at a message, scrolled to `terms` in it (a search hit)."""
        if not self.controller.open_conversation(conversation_id):
            return
        if message_id >= 0:
            for _ in range(50):  # an old hit: page back until the message is loaded
                if self.chat_view.item(message_id) is not None or not self.chat_view.has_older:
                    break
                self._load_older()
            self.chat_view.scroll_to_message(message_id, terms=terms)

    def _opened(self, conversation_id: int, messages: list[Message], has_older: bool) -> None:
        self.chat_view.set_busy(self.controller.is_streaming(conversation_id))
        self.chat_view.set_messages(messages, has_older=has_older)
        self.composer.set_streaming(self.controller.is_streaming(conversation_id))
        if self.composer._editing_id >= 0:
            self.composer.cancel_editing()
        # A new chat (-1) is not listed yet: the old one must not stay highlighted.
        self.history_panel.select_conversation(conversation_id)
        self.update_title()

    def _load_older(self) -> None:
        cid = self.controller.current_id
        ids = self.chat_view.message_ids()
        if cid < 0 or not ids:
            self.chat_view.prepend_messages([], has_older=False)
            return
        page, more = self.controller.older_messages(cid, ids[0])
        self.chat_view.prepend_messages(page, has_older=more)

    def fill_models(self) -> None:
        """The toolbar lists the profile's models: the last fetched list at once, and a
        fetch in the background (a failure leaves the list as it is; typing still works)."""
        profile = self.controller.profile()
        if profile is None:
            return
        self.toolbar.show_known_models(profile.name)
        self._spawn(self.controller.fetch_models())

    def _models_loaded(self, profile_name: str, models: list[str]) -> None:
        active = self.controller.profile()
        self.toolbar.models_loaded(profile_name, models, active.name if active else None)

    def _hidden(self, conversation_id: int) -> None:
        """A chat offered for undo leaves the pane now; Undo brings it back."""
        self._closed_for_undo = -1
        if conversation_id == self.controller.current_id:
            self._closed_for_undo = conversation_id
            self.new_chat()

    def _restored(self, conversation_id: int) -> None:
        if conversation_id == self._closed_for_undo and self.controller.current_id < 0:
            self.open_conversation(conversation_id)
        self._closed_for_undo = -1

    def _deleted(self, conversation_id: int) -> None:
        if conversation_id == self.controller.current_id:
            self.new_chat()

    def _changed(self, conversation_id: int) -> None:
        self.history_panel.conversation_changed(conversation_id)
        if conversation_id == self.controller.current_id:
            self.update_title()

    def update_title(self) -> None:
        title = ""
        if self.controller.current_id >= 0:
            try:
                title = self.store.get_conversation(self.controller.current_id).title
            except StorageError:
                title = ""
        self.setWindowTitle(translate("MainWindow", "{title} — desktopchat").format(
            title=isolated(title)) if title else "desktopchat")

    # -- sending ----------------------------------------------------------------------------

    def _send(self, text: str) -> None:
        if self.controller.send(text, self.composer.attachments):
            self.composer.accepted()
            self.chat_view.scroll_to_bottom()  # the user wants to see the answer arrive

    def _edit_submitted(self, message_id: int, text: str) -> None:
        if self.controller.edit_and_resend(message_id, text, self.composer.attachments):
            self.composer.accepted()
            self.chat_view.scroll_to_bottom()

    def _stream_progressed(self, cid: int, mid: int, live: LiveStream) -> None:
        if cid == self.controller.current_id:
            self.chat_view.stream_from(mid, live)

    def _streaming_changed(self, conversation_id: int, streaming: bool) -> None:
        if conversation_id == self.controller.current_id:
            self.composer.set_streaming(streaming)
            self.chat_view.set_busy(streaming)

    def _setup_needed(self, problem: SetupProblem) -> None:
        self.composer.show_hint(problem.message, problem.action)

    def _hint_action(self, kind: str) -> None:
        if kind == SetupAction.SETTINGS:
            self.open_settings()
        elif kind == SetupAction.RUN_KEY:
            self.ask_run_only_key()

    def ask_run_only_key(self) -> None:
        profile = self.controller.profile()
        if profile is None:
            return
        kept, problem = ask_run_only_key(self, profile.name, self.secrets)
        if problem:
            self.show_problem(problem)
        elif kept:
            self.composer.clear_hint()

    def escape(self) -> None:
        if self.controller.is_streaming(self.controller.current_id):
            self.controller.stop()
        elif self.composer._editing_id >= 0:
            self.composer.cancel_editing()  # the draft comes back

    # -- closing ----------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.controller.is_streaming() and not self._close_confirmed:
            event.ignore()
            self._ask_close()
            return
        self.history_panel.commit_pending_deletes()
        self.files.stop_import()
        self.backups.stop()
        self.tray.hide()
        self.save_state()
        super().closeEvent(event)

    def _ask_close(self) -> None:
        if self.close_box is None or not self.close_box.isVisible():
            self.close_box = ask_stop_and_quit(self, self._close_answered)

    def _close_answered(self, result: int) -> None:
        if int(result) == QMessageBox.StandardButton.Yes.value:
            self._spawn(self._stop_then_close())

    def _spawn(self, coro: Awaitable[object]) -> None:
        # Keep a reference: asyncio holds tasks weakly and could collect a running one.
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _stop_then_close(self) -> None:
        await self.controller.stop_all()
        self._close_confirmed = True
        self.close()

    def show_problem(self, message: str) -> None:
        """One message box at a time: a burst of failures must not bury the window."""
        if self.problem_box is not None and self.problem_box.isVisible():
            return
        box = message_box(QMessageBox.Icon.Warning, "desktopchat", message, parent=self)
        self.problem_box = box
        box.open()

    def save_state(self) -> None:
        save_geometry(self, self.splitter, self.window_state)

    def _restore_state(self) -> None:
        restore_geometry(self, self.splitter, self.window_state)
