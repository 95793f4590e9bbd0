"""The icon buttons over the message under the pointer (or chosen with the keyboard).

One bar for the whole transcript, moved to the message it serves: copy, edit (your messages),
continue (a stopped reply), regenerate (replies), ‹ n/m › between versions, delete, and the
message's time as a faint label. Each button has a tooltip naming its key; a copy says
"Copied" for a moment. The bar only emits what was asked (`triggered`); the view runs it
through the same path as a link in the message.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QDateTime, QLocale, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QToolButton, QWidget

from desktopchat.storage.models import MessageState
from desktopchat.ui.i18n import translate
from desktopchat.ui.icons import IconName, IconSet
from desktopchat.ui.message_code import CodeCopyButton, fenced_blocks
from desktopchat.ui.plain_text import new_label
from desktopchat.ui.theme import Theme
from desktopchat.ui.transcript_rows import MessageItem

COPIED_MS = 1500
ICON_SIZE = 16
FAILED = (MessageState.ERROR, MessageState.INTERRUPTED)


def time_label(created_at: float, now: float | None = None) -> tuple[str, str]:
    """("14:05", "Wednesday, 2 December 2026 14:05:33") in the user's locale; a message from
    another day shows its date too."""
    if created_at <= 0:
        return "", ""
    when = QDateTime.fromSecsSinceEpoch(int(created_at))
    locale = QLocale()
    today = QDateTime.fromSecsSinceEpoch(int(now if now is not None else time.time())).date()
    short = locale.toString(when.time(), QLocale.FormatType.ShortFormat)
    if when.date() != today:
        short = locale.toString(when.date(), QLocale.FormatType.ShortFormat) + " " + short
    return short, locale.toString(when, QLocale.FormatType.LongFormat)


class MessageActionBar(QFrame):
    triggered = Signal(int, str)  # message id, action (transcript_input.LinkAction values)
    resized = Signal()  # its width follows the buttons shown: the owner keeps it in place

    def __init__(self, icons: IconSet, theme: Theme, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("messageActions")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAutoFillBackground(True)
        self.icons = icons
        self.theme = theme
        self.message_id = -1
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 2, 4, 2)
        row.setSpacing(2)
        self.time = new_label(self)
        self.time.setObjectName("messageTime")
        self.copied = new_label(translate("MessageActionBar", "Copied"), self)
        self.copied.setObjectName("messageCopied")
        self.copied.hide()
        row.addWidget(self.time)
        row.addWidget(self.copied)
        self.buttons: dict[str, QToolButton] = {}
        self.copy = self._button("copy", IconName.COPY,
                                 translate("MessageActionBar", "Copy the message (C)"))
        self.code = CodeCopyButton(self)  # the code blocks' Copy, in reach of the keyboard
        self.code.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.code.chosen.connect(self._copy_code)
        row.addWidget(self.code)
        self.edit = self._button("edit", IconName.EDIT,
                                 translate("MessageActionBar", "Edit and send again as a new "
                                                               "version (E)"))
        self.resume = self._button("continue", IconName.CONTINUE,
                                   translate("MessageActionBar", "Continue: the model writes "
                                                                 "on where this reply stopped"))
        self.regenerate = self._button("regenerate", IconName.REGENERATE,
                                       translate("MessageActionBar", "Regenerate: a new version "
                                                                     "of this reply; this one "
                                                                     "is kept (R)"))
        self.previous = self._button("previous-version", IconName.PREVIOUS,
                                     translate("MessageActionBar", "Previous version (Alt+Left)"))
        self.versions = new_label(self)
        self.versions.setObjectName("messageVersions")
        row.addWidget(self.versions)
        self.next = self._button("next-version", IconName.NEXT,
                                 translate("MessageActionBar", "Next version (Alt+Right)"))
        self.delete = self._button("delete", IconName.DELETE, "")
        self._copied_timer = QTimer(self)
        self._copied_timer.setSingleShot(True)
        self._copied_timer.setInterval(COPIED_MS)
        self._copied_timer.timeout.connect(self._copy_done)
        self.set_theme(theme)
        self.hide()

    def _button(self, action: str, icon: IconName, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(f"messageAction-{action}")
        button.setAutoRaise(True)
        button.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setProperty("iconName", str(icon))
        button.clicked.connect(lambda _checked=False, a=action: self.trigger(a))
        layout = self.layout()
        assert layout is not None  # set in __init__ before any button
        layout.addWidget(button)
        self.buttons[action] = button
        return button

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        palette = self.palette()
        palette.setColor(self.backgroundRole(), theme.assistant_card)
        palette.setColor(self.foregroundRole(), theme.muted)
        self.setPalette(palette)
        self.setStyleSheet(f"#messageActions {{ border: 1px solid {theme.card_border}; "
                           f"border-radius: 6px; background: {theme.background}; }} "
                           f"QLabel {{ color: {theme.muted}; }}")
        for button in self.buttons.values():
            button.setIcon(self.icons.icon(str(button.property("iconName")), theme.muted))
        self.code.setIcon(self.icons.icon(IconName.COPY_CODE, theme.muted))
        if self.copied.isVisible():
            self.copy.setIcon(self.icons.icon(IconName.COPIED, theme.muted))

    def show_for(self, item: MessageItem) -> None:
        """Fit the buttons to what this message can do (the caller places the bar)."""
        if item.id != self.message_id:
            self._copy_done()
        self.message_id = item.id
        reply = item.role == "assistant"
        done = not item.streaming
        self.copy.setVisible(done)
        self.code.show_blocks(fenced_blocks(item.content) if done else ())
        self.edit.setVisible(item.role == "user" and done)
        self.resume.setVisible(reply and item.state == MessageState.STOPPED)
        # A failed reply's card has Retry, which does the same: one name for one thing.
        self.regenerate.setVisible(reply and done and item.state not in FAILED)
        has_versions = item.versions is not None and done
        position, count = item.versions or (0, 0)
        for widget in (self.previous, self.versions, self.next):
            widget.setVisible(has_versions)
        self.versions.setText(f"{position}/{count}" if has_versions else "")
        self.previous.setEnabled(position > 1)
        self.next.setEnabled(position < count)
        self.delete.setVisible(done)
        self.delete.setToolTip(
            translate("MessageActionBar", "Delete this version (Delete; Undo in the status bar)")
            if item.versions else
            translate("MessageActionBar", "Delete this message and everything below it "
                                          "(Delete; Undo in the status bar)"))
        self.delete.setAccessibleName(self.delete.toolTip())
        short, full = time_label(item.created_at)
        self.time.setText(short)
        self.time.setToolTip(full)
        self.time.setVisible(bool(short))
        self.adjustSize()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()

    def trigger(self, action: str) -> None:
        if self.message_id < 0:
            return
        self.triggered.emit(self.message_id, action)
        if action == "copy":
            self.show_copied()

    def _copy_code(self, number: int) -> None:
        self.trigger(f"copy-code/{number}")
        self.show_copied()

    def show_copied(self) -> None:
        self.copy.setIcon(self.icons.icon(IconName.COPIED, self.theme.muted))
        self.copy.setToolTip(translate("MessageActionBar", "Copied"))
        self.copied.show()
        self.adjustSize()
        self._copied_timer.start()

    def _copy_done(self) -> None:
        self._copied_timer.stop()
        self.copied.hide()
        self.copy.setIcon(self.icons.icon(IconName.COPY, self.theme.muted))
        self.copy.setToolTip(translate("MessageActionBar", "Copy the message (C)"))
        self.adjustSize()
