"""What a click on a message's action link does: retry, continue, edit, open an attachment.

The transcript reports `(message_id, action)`; the branch actions (‹ ›, delete) go to
WindowBranches first, and the rest are handled here. Composed into MainWindow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktopchat.ui.image_viewer import ImageViewer
from desktopchat.ui.message_files import OPEN_ATTACHMENT

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from desktopchat.ui.chat_view import ChatView
    from desktopchat.ui.composer import Composer
    from desktopchat.ui.controller import ChatController
    from desktopchat.ui.window_branches import WindowBranches


class WindowMessageActions:
    def __init__(self, controller: ChatController, view: ChatView, composer: Composer,
                 branches: WindowBranches, parent: QWidget) -> None:
        self._controller = controller
        self._view = view
        self._composer = composer
        self._branches = branches
        self._parent = parent
        self.image_viewer: ImageViewer | None = None  # kept alive while it is open

    def handle(self, message_id: int, action: str) -> None:
        if self._branches.action(message_id, action):
            return
        if action in ("retry", "regenerate"):
            self._controller.retry(message_id)
        elif action == "continue":
            self._controller.continue_reply(message_id)
        elif action.startswith(OPEN_ATTACHMENT + "/"):
            self._open_attachment(message_id, action.split("/", 1)[1])
        elif action == "edit":
            item = self._view.item(message_id)
            if item is not None:
                self._composer.start_editing(message_id, item.content,
                                             self._controller.attachments_of(message_id))

    def _open_attachment(self, message_id: int, number: str) -> None:
        item = self._view.item(message_id)
        if item is None or not number.isdigit() or int(number) >= len(item.attachments):
            return
        self.image_viewer = ImageViewer(item.attachments[int(number)], self._parent)
        self.image_viewer.open()

    def regenerate_last(self) -> None:
        for item in reversed(self._view.rows.items):
            if item.role == "assistant":
                self._controller.retry(item.id)
                return
