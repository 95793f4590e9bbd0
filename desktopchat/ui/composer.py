"""The message box under the transcript: type, send, stop; says what to set up first.

Enter sends and Shift+Enter adds a line (or the other way round when
Preferences.enter_to_send is off, where Ctrl+Enter sends). While a reply
streams the Send button is a Stop button. Files dropped, pasted or picked (the paperclip,
Ctrl+Shift+A) become chips that stay with the draft until it is sent.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QImage,
    QKeyEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktopchat.attachments import Attachment
from desktopchat.errors import AttachmentError
from desktopchat.ui.attachment_chips import AttachmentChips, AttachmentLoader
from desktopchat.ui.error_text import shown_error
from desktopchat.ui.i18n import translate
from desktopchat.ui.image_scaling import pasted_image
from desktopchat.ui.plain_text import new_label

ATTACH_SHORTCUT = "Ctrl+Shift+A"
SIDE_MARGIN = 12  # px left and right of the message box (the tool approval panel lines up)


def local_files(mime: QMimeData) -> list[Path]:
    """The local files a drop or paste carries (remote URLs are never fetched)."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class MessageEdit(QPlainTextEdit):
    submit = Signal()
    files_pasted = Signal(object)  # list[Path]
    image_pasted = Signal(object)  # QImage

    font_changed = Signal()  # (its height counts lines of its font)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.enter_to_send = True
        self.setTabChangesFocus(True)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # Preferences → Font size
            self.font_changed.emit()

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

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return bool(local_files(source)) or source.hasImage() or super().canInsertFromMimeData(
            source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        """Pasted files and images become attachments; text is pasted as text."""
        files = local_files(source)
        if files:
            self.files_pasted.emit(files)
        elif source.hasImage() and not source.hasText():
            self.image_pasted.emit(source.imageData())
        else:
            super().insertFromMimeData(source)


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
        self._draft_attachments: tuple[Attachment, ...] = ()
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

        self.edit_label = new_label(translate(
            "Composer", "Editing your last message — Send replaces it and asks again."), self)
        self.cancel_edit = QPushButton(translate("Composer", "Cancel edit"), self)
        self.cancel_edit.clicked.connect(self.cancel_editing)
        edit_row = QHBoxLayout()
        edit_row.addWidget(self.edit_label, 1)
        edit_row.addWidget(self.cancel_edit)
        self.edit_box = QWidget(self)
        self.edit_box.setLayout(edit_row)
        self.edit_box.hide()

        self.editor = MessageEdit(self)
        self.editor.setObjectName("messageEdit")
        self.editor.setPlaceholderText(
            translate("Composer", "Message — Enter to send, Shift+Enter for a new line"))
        self.editor.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.editor.submit.connect(self.submit)
        self.editor.textChanged.connect(self._fit_height)
        self.editor.font_changed.connect(self._fit_height)
        self.chips = AttachmentChips(self)
        self.chips.problem.connect(self.show_hint)
        self.loader = AttachmentLoader(self)
        self.loader.loaded.connect(self._loaded)
        self.loader.failed.connect(self._load_failed)
        self.editor.files_pasted.connect(self.attach_files)
        self.editor.image_pasted.connect(self._attach_image)
        self.attach_button = QPushButton(translate("Composer", "Attach…"), self)
        self.attach_button.setObjectName("attachButton")
        self.attach_button.setToolTip(
            translate("Composer", "Attach files ({shortcut})").format(shortcut=ATTACH_SHORTCUT))
        self.attach_button.setAccessibleName(translate("Composer", "Attach files"))
        self.attach_button.clicked.connect(self.pick_files)
        self.attach_shortcut = QShortcut(QKeySequence(ATTACH_SHORTCUT), self)
        self.attach_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.attach_shortcut.setWhatsThis(translate("Composer", "Attach files"))  # Help → keys
        self.attach_shortcut.activated.connect(self.pick_files)
        self.setAcceptDrops(True)
        self.editor.setAcceptDrops(False)  # the composer takes drops: files, or text
        self.button = QPushButton(translate("Composer", "Send"), self)
        self.send_icons: tuple[QIcon, QIcon] | None = None
        self.button.setObjectName("sendButton")
        self.button.setDefault(False)
        self.button.clicked.connect(self._clicked)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.attach_button, 0, Qt.AlignmentFlag.AlignBottom)
        row.addWidget(self.editor, 1)
        row.addWidget(self.button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SIDE_MARGIN, 6, SIDE_MARGIN, 12)
        layout.setSpacing(6)
        layout.addWidget(self.hint_box)
        layout.addWidget(self.edit_box)
        layout.addWidget(self.chips)
        layout.addLayout(row)
        self._fit_height()

    # -- state --------------------------------------------------------------------------

    def set_enter_to_send(self, enabled: bool) -> None:
        self.editor.enter_to_send = enabled
        self.editor.setPlaceholderText(
            translate("Composer", "Message — Enter to send, Shift+Enter for a new line")
            if enabled
            else translate("Composer", "Message — Ctrl+Enter to send, Enter for a new line"))

    def set_streaming(self, streaming: bool) -> None:
        self._streaming = streaming
        self.button.setText(translate("Composer", "Stop") if streaming
                            else translate("Composer", "Send"))
        if self.send_icons is not None:  # (send, stop), set by the window's WindowIcons
            self.button.setIcon(self.send_icons[1 if streaming else 0])
        self.button.setToolTip(translate("Composer", "Stop the reply (Esc)") if streaming
                               else translate("Composer", "Send (Enter)"))

    @property
    def streaming(self) -> bool:
        return self._streaming

    def show_hint(self, message: str, action: str = "") -> None:
        """Say what must be set up before sending (no profile, no key, no keyring...)."""
        self._hint_kind = action
        self.hint.setText(message)
        labels = {"settings": translate("Composer", "Open Settings"),
                  "run-key": translate("Composer", "Use a key for this run…")}
        self.hint_button.setVisible(action in labels)
        self.hint_button.setText(labels.get(action, ""))
        self.hint_box.show()

    def clear_hint(self) -> None:
        self.hint_box.hide()
        self._hint_kind = ""

    @property
    def hint_text(self) -> str:
        return self.hint.text() if self.hint_box.isVisibleTo(self) else ""

    def start_editing(self, message_id: int, text: str,
                      attachments: tuple[Attachment, ...] = ()) -> None:
        if self._editing_id < 0:
            # given back when the edit ends
            self._draft = self.editor.toPlainText()
            self._draft_attachments = self.chips.attachments
        self._editing_id = message_id
        self.editor.setPlainText(text)
        self.chips.set_attachments(attachments)
        self.edit_box.show()
        self.editor.setFocus()

    def cancel_editing(self) -> None:
        self._editing_id = -1
        self.edit_box.hide()
        self.editor.setPlainText(self._draft)
        self.chips.set_attachments(self._draft_attachments)
        self._draft = ""
        self._draft_attachments = ()

    @property
    def text(self) -> str:
        return self.editor.toPlainText()

    @property
    def attachments(self) -> tuple[Attachment, ...]:
        return self.chips.attachments

    # -- attachments --------------------------------------------------------------------

    def pick_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, translate("Composer", "Attach files"))
        self.attach_files([Path(name) for name in names])

    def attach_files(self, paths: list[Path]) -> None:
        self.loader.load(paths)

    def _attach_image(self, image: QImage) -> None:
        try:
            self.chips.add(pasted_image(image))
        except AttachmentError as exc:
            self.show_hint(shown_error(exc))

    def _loaded(self, attachment: Attachment) -> None:
        self.loader.pending -= 1
        self.chips.add(attachment)

    def _load_failed(self, message: str) -> None:
        self.loader.pending -= 1
        self.show_hint(message)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if local_files(mime) or mime.hasImage() or mime.hasText():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        files = local_files(mime)
        if files:
            self.attach_files(files)
        elif mime.hasImage():
            self._attach_image(mime.imageData())
        elif mime.hasText():
            self.editor.insertPlainText(mime.text())
        event.acceptProposedAction()

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
        if not text.strip() and not self.chips.chips:
            return
        if self._editing_id >= 0:
            self.edit_submitted.emit(self._editing_id, text)
        else:
            self.send_requested.emit(text)

    def accepted(self) -> None:
        """The controller took the text: clear the box (after an edit: the draft is back)."""
        editing = self._editing_id >= 0
        self.editor.setPlainText(self._draft if editing else "")
        self.chips.set_attachments(self._draft_attachments if editing else ())
        self._draft = ""
        self._draft_attachments = ()
        self._editing_id = -1
        self.edit_box.hide()
        self.clear_hint()

    def _fit_height(self, *_: object) -> None:
        metrics = self.editor.fontMetrics()
        lines = max(2, min(8, self.editor.document().blockCount()))
        margins = self.editor.contentsMargins()
        height = lines * metrics.lineSpacing() + 2 * int(self.editor.document().documentMargin())
        self.editor.setFixedHeight(height + margins.top() + margins.bottom() + 4)
