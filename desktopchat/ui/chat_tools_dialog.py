"""Chat → Tools for this chat…: a chat's own choice of the tools it offers, over the choice
of its profile (Settings → Tools)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from desktopchat.settings.tool_settings import ToolSettings
from desktopchat.ui.i18n import translate
from desktopchat.ui.plain_text import isolated
from desktopchat.ui.tool_offers import ToolOffers

if TYPE_CHECKING:
    from desktopchat.ui.controller import ChatController



def open_chat_tools(controller: ChatController, parent: QWidget) -> ChatToolsDialog | None:
    """Open the dialog for the current chat (None: no tools, or no chat yet); OK stores the
    chat's choice in tools.json."""
    tools, loop, profile = controller.tools, controller.tool_loop, controller.profile()
    if tools is None or loop is None or profile is None or controller.current_id < 0:
        return None
    chat = loop.conversation_key(controller.current_id)
    dialog = ChatToolsDialog(tools.settings, chat, profile.name,
                             lambda name: tools.host.status(name).tool_names, parent)

    def chosen() -> None:
        settings = tools.settings.with_conversation_offers(chat, dialog.chosen())
        controller.set_tool_settings(settings, save=True)

    dialog.accepted.connect(chosen)
    dialog.open()
    return dialog


class ChatToolsDialog(QDialog):
    def __init__(self, settings: ToolSettings, conversation: str, profile: str,
                 tool_names: Callable[[str], tuple[str, ...]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("ChatToolsDialog", "Tools for this chat"))
        own = settings.conversation_offers.get(conversation)
        start = own if own is not None else settings.profile_offers.get(profile)
        self.use_profile = QCheckBox(
            translate("ChatToolsDialog", "Use the choice of the profile “{profile}”")
            .format(profile=isolated(profile)), self)
        self.use_profile.setChecked(own is None)
        enabled = [s for s in settings.servers if s.enabled]
        self._this_chat = translate("ChatToolsDialog", "This chat")  # the tree's one row
        self.offers = ToolOffers([self._this_chat],
                                 {self._this_chat: start} if start is not None else {},
                                 lambda: enabled, tool_names, self)
        self.offers.setEnabled(own is not None)
        self.use_profile.toggled.connect(lambda on: self.offers.setEnabled(not on))
        self._all = tuple(s.name for s in enabled)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.use_profile)
        layout.addWidget(self.offers)
        layout.addWidget(buttons)

    def chosen(self) -> tuple[str, ...] | None:
        """The chat's own selectors, or None to follow its profile."""
        if self.use_profile.isChecked():
            return None
        return self.offers.offers().get(self._this_chat, self._all)
