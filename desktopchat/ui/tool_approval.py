"""The tool calls waiting for the user: one card per call, above the composer.

A card shows the tool, its server and the arguments exactly as the model wrote them (plain
text: arguments are model output), and asks: Run, Always allow this tool, or Deny. A tool
that has no server (defined in the profile's JSON) gets a box for the user to type its
result instead. `ask(plan)` shows a card and returns the user's decision; the calls of one
reply are shown together and each is answered on its own. Stop cancels what is waiting.
"""

from __future__ import annotations

import asyncio
import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktopchat.tools.calls import PlannedCall
from desktopchat.tools.round import Decision
from desktopchat.ui.composer import SIDE_MARGIN
from desktopchat.ui.i18n import translate
from desktopchat.ui.link_guard import visible_form
from desktopchat.ui.plain_text import new_label

ARGUMENTS_SHOWN_MAX = 4000  # characters of arguments shown on a card; the rest is elided


def shown_arguments(plan: PlannedCall) -> str:
    """The arguments as readable JSON when they parse, else as sent; bounded."""
    text = json.dumps(plan.arguments, indent=2, ensure_ascii=False) if plan.arguments else (
        plan.arguments_text or translate("ToolCallCard", "(no arguments)"))
    if len(text) > ARGUMENTS_SHOWN_MAX:
        more = translate("ToolCallCard", "… ({count} more)").format(
            count=f"{len(text) - ARGUMENTS_SHOWN_MAX:,}")
        text = text[:ARGUMENTS_SHOWN_MAX] + "\n" + more
    return text


class ToolCallCard(QFrame):
    """One call and its question. `decided` resolves with the user's answer."""

    def __init__(
        self, plan: PlannedCall, decided: asyncio.Future[Decision], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("toolCallCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.plan = plan
        self.decided = decided
        where = (f" · {plan.tool.server}" if plan.tool
                 else " · " + translate("ToolCallCard", "answered by you"))
        # Hidden characters (bidi controls, zero-width spaces) written out: what the user
        # approves is what runs, not what a reversed or hidden run makes it look like.
        self.title = new_label(visible_form(f"{plan.function_name}{where}"), self)
        self.title.setObjectName("toolCallTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.arguments = QPlainTextEdit(visible_form(shown_arguments(plan)), self)
        self.arguments.setReadOnly(True)
        self.arguments.setMaximumHeight(90)
        self.answer = QPlainTextEdit(self)
        self.answer.setPlaceholderText(translate("ToolCallCard", "Type the tool's result here"))
        self.answer.setMaximumHeight(70)
        self.answer.setVisible(plan.by_hand)
        self.run_button = QPushButton(translate("ToolCallCard", "Send result") if plan.by_hand
                                      else translate("ToolCallCard", "Run"), self)
        self.run_button.setDefault(True)
        self.always_button = QPushButton(translate("ToolCallCard", "Always allow this tool"), self)
        self.always_button.setVisible(not plan.by_hand)
        self.deny_button = QPushButton(translate("ToolCallCard", "Deny"), self)
        self.status = new_label("", self)
        self.status.setObjectName("toolCallStatus")
        self.run_button.clicked.connect(self._run)
        self.always_button.clicked.connect(lambda: self._decide(Decision("always")))
        self.deny_button.clicked.connect(lambda: self._decide(Decision("deny")))
        buttons = QHBoxLayout()
        for button in (self.run_button, self.always_button, self.deny_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.arguments)
        layout.addWidget(self.answer)
        layout.addLayout(buttons)

    def _run(self) -> None:
        if self.plan.by_hand:
            self._decide(Decision("answer", self.answer.toPlainText()))
        else:
            self._decide(Decision("run"))

    def _decide(self, decision: Decision) -> None:
        if self.decided.done():
            return
        for button in (self.run_button, self.always_button, self.deny_button):
            button.setEnabled(False)
        self.answer.setReadOnly(True)
        words = {"run": translate("ToolCallCard", "Running…"),
                 "always": translate("ToolCallCard", "Running… (always allowed from now on)"),
                 "deny": translate("ToolCallCard", "Denied"),
                 "answer": translate("ToolCallCard", "Result sent")}
        self.status.setText(words[decision.kind])
        self.decided.set_result(decision)

    def show_done(self, text: str) -> None:
        self.status.setText(text)


class ToolApprovalPanel(QWidget):
    """The cards of the round in progress. Hidden when nothing is waiting or running."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toolApprovalPanel")
        self.heading = new_label(translate("ToolApprovalPanel", "The model wants to use tools:"),
                                 self)
        self._cards: list[ToolCallCard] = []
        self._layout = QVBoxLayout(self)
        # The heading and cards line up with the message box below them.
        self._layout.setContentsMargins(SIDE_MARGIN, 6, SIDE_MARGIN, 0)
        self._layout.addWidget(self.heading)
        self.hide()

    def cards(self) -> list[ToolCallCard]:
        return list(self._cards)

    def card_for(self, call_id: str) -> ToolCallCard | None:
        return next((c for c in self._cards if c.plan.call_id == call_id), None)

    async def ask(self, plan: PlannedCall) -> Decision:
        card = ToolCallCard(plan, asyncio.get_running_loop().create_future(), self)
        self._cards.append(card)
        self._layout.addWidget(card)
        self.show()
        if len(self._cards) == 1:
            card.run_button.setFocus(Qt.FocusReason.OtherFocusReason)
        return await card.decided

    def show_result(self, call_id: str, text: str) -> None:
        card = self.card_for(call_id)
        if card is not None:
            card.show_done(text)

    def clear(self) -> None:
        """The round is over (or stopped): cards waiting for an answer are cancelled."""
        for card in self._cards:
            if not card.decided.done():
                card.decided.cancel()
            card.deleteLater()
        self._cards.clear()
        self.hide()
