"""The message box under the transcript: type, send, stop; says what to set up first.

Enter sends and Shift+Enter adds a line (or the other way round when
Preferences.enter_to_send is off, where Ctrl+Enter sends). While a reply
streams the Send button is a Stop button.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktopchat.ui.plain_text import new_label


class MessageEdit(QPlainTextEdit):
    submit = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.enter_to_send = True
        self.setTabChangesFocus(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            mods = event.modifiers()
            shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
            ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
            sends = (not shift and not ctrl) if self.enter_to_send else ctrl
            if sends:
                self.submit.emit()
                return
            if shift or ctrl or not self.enter_to_send:
                self.insertPlainText("\n")
                return
        super().keyPressEvent(event)


class Composer(QWidget):
    send_requested = Signal(str)
    edit_submitted = Signal(int, str)  # user message id, new text
    stop_requested = Signal()
    hint_action = Signal(str)  # "settings" | "run-key"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self._streaming = False
        self._editing_id = -1
        self._draft = ""  # the unsent text put aside while a message is being edited
        self._hint_kind = ""

        self.hint = new_label(self)
        self.hint.setObjectName("composerHint")
        self.hint.setWordWrap(True)
        self.hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint_button = QPushButton(self)
        self.hint_button.clicked.connect(lambda: self.hint_action.emit(self._hint_kind))
        hint_row = QHBoxLayout()
        hint_row.addWidget(self.hint, 1)
        hint_row.addWidget(self.hint_button)
        self.hint_box = QWidget(self)
        self.hint_box.setObjectName("composerHintBox")
        self.hint_box.setLayout(hint_row)
        self.hint_box.hide()

        self.edit_label = new_label("Editing your last message — Send replaces it and asks again.",
                                 self)
        self.cancel_edit = QPushButton("Cancel edit", self)
        self.cancel_edit.clicked.connect(self.cancel_editing)
        edit_row = QHBoxLayout()
        edit_row.addWidget(self.edit_label, 1)
        edit_row.addWidget(self.cancel_edit)
        self.edit_box = QWidget(self)
        self.edit_box.setLayout(edit_row)
        self.edit_box.hide()

        self.editor = MessageEdit(self)
        self.editor.setObjectName("messageEdit")
        self.editor.setPlaceholderText("Message — Enter to send, Shift+Enter for a new line")
        self.editor.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.editor.submit.connect(self.submit)
        self.editor.textChanged.connect(self._fit_height)
        self.button = QPushButton("Send", self)
        self.button.setObjectName("sendButton")
        self.button.setDefault(False)
        self.button.clicked.connect(self._clicked)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.editor, 1)
        row.addWidget(self.button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 12)
        layout.setSpacing(6)
        layout.addWidget(self.hint_box)
        layout.addWidget(self.edit_box)
        layout.addLayout(row)
        self._fit_height()

    # -- state --------------------------------------------------------------------------

    def set_enter_to_send(self, enabled: bool) -> None:
        self.editor.enter_to_send = enabled
        self.editor.setPlaceholderText(
            "Message — Enter to send, Shift+Enter for a new line" if enabled
            else "Message — Ctrl+Enter to send, Enter for a new line")

    def set_streaming(self, streaming: bool) -> None:
        self._streaming = streaming
        self.button.setText("Stop" if streaming else "Send")
        self.button.setToolTip("Stop the reply (Esc)" if streaming else "Send (Enter)")

    @property
    def streaming(self) -> bool:
        return self._streaming

    def show_hint(self, message: str, action: str = "") -> None:
        """Say what must be set up before sending (no profile, no key, no keyring...)."""
        self._hint_kind = action
        self.hint.setText(message)
        labels = {"settings": "Open Settings", "run-key": "Use a key for this run…"}
        self.hint_button.setVisible(action in labels)
        self.hint_button.setText(labels.get(action, ""))
        self.hint_box.show()

    def clear_hint(self) -> None:
        self.hint_box.hide()
        self._hint_kind = ""

    @property
    def hint_text(self) -> str:
        return self.hint.text() if self.hint_box.isVisibleTo(self) else ""

    def start_editing(self, message_id: int, text: str) -> None:
        if self._editing_id < 0:
            self._draft = self.editor.toPlainText()  # given back when the edit ends
        self._editing_id = message_id
        self.editor.setPlainText(text)
        self.edit_box.show()
        self.editor.setFocus()

    def cancel_editing(self) -> None:
        self._editing_id = -1
        self.edit_box.hide()
        self.editor.setPlainText(self._draft)
        self._draft = ""

    @property
    def text(self) -> str:
        return self.editor.toPlainText()

    def set_text(self, text: str) -> None:
        self.editor.setPlainText(text)

    # -- actions ------------------------------------------------------------------------

    def _clicked(self) -> None:
        if self._streaming:
            self.stop_requested.emit()
        else:
            self.submit()

    def submit(self) -> None:
        if self._streaming:
            return
        text = self.editor.toPlainText()
        if not text.strip():
            return
        if self._editing_id >= 0:
            self.edit_submitted.emit(self._editing_id, text)
        else:
            self.send_requested.emit(text)

    def accepted(self) -> None:
        """The controller took the text: clear the box (after an edit: the draft is back)."""
        self.editor.setPlainText(self._draft if self._editing_id >= 0 else "")
        self._draft = ""
        self._editing_id = -1
        self.edit_box.hide()
        self.clear_hint()

    def _fit_height(self, *_: Any) -> None:
        metrics = self.editor.fontMetrics()
        lines = max(2, min(8, self.editor.document().blockCount()))
        margins = self.editor.contentsMargins()
        height = lines * metrics.lineSpacing() + 2 * int(self.editor.document().documentMargin())
        self.editor.setFixedHeight(height + margins.top() + margins.bottom() + 4)
