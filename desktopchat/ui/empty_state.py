"""What a new chat shows before its first message: the profile and model that will answer,
how to send, and a few example prompts that fill the composer (they never send by themselves).

It lies over the transcript's viewport while the transcript has no rows, and follows the
controller: a message added hides it, a new or emptied chat shows it, a profile or model
chosen in the toolbar updates it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QKeySequence,
    QPalette,
    QShortcut,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QGridLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktopchat.ui.i18n import translate
from desktopchat.ui.plain_text import isolated, new_label
from desktopchat.ui.theme import Theme

if TYPE_CHECKING:
    from desktopchat.settings import Profile
    from desktopchat.ui.chat_events import ChatEvents
    from desktopchat.ui.composer import Composer

COLUMN_WIDTH = 560  # the block's widest; narrower windows get the viewport's width
TWO_COLUMNS_FROM = 440  # below this the prompts stack in one column


def example_prompts() -> list[str]:
    return [
        translate("EmptyState", "Explain a concept in simple words, with an example"),
        translate("EmptyState", "Summarise the text I paste next in five bullet points"),
        translate("EmptyState", "Write a Python function that removes duplicate lines"),
        translate("EmptyState", "Draft a short, friendly email declining a meeting"),
    ]


def send_hint(enter_to_send: bool, can_find: bool) -> str:
    if enter_to_send:
        hint = translate("EmptyState", "Enter sends, Shift+Enter adds a line, Ctrl+Shift+A "
                                       "attaches files.")
    else:
        hint = translate("EmptyState", "Ctrl+Enter sends, Enter adds a line, Ctrl+Shift+A "
                                       "attaches files.")
    if can_find:
        hint += " " + translate("EmptyState", "Later, Ctrl+F finds text in the chat.")
    return hint


def profile_line(profile: Profile | None) -> str:
    if profile is None:
        return translate("EmptyState", "No profile yet: add one in Settings (Ctrl+,).")
    model = profile.model or translate("EmptyState", "the server's default model")
    return translate("EmptyState", "{profile} · {model}").format(profile=isolated(profile.name),
                                                                 model=model)


class PromptButton(QPushButton):
    """An example prompt; its text wraps at spaces (a QPushButton's own text never wraps)."""

    def __init__(self, text: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.prompt = text
        self.setAccessibleName(text)
        self.setToolTip(translate("EmptyState", "Put this prompt in the message box"))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.label = new_label(text, self)
        self.label.setWordWrap(True)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.label)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        layout = self.layout()
        assert layout is not None
        return layout.totalHeightForWidth(width)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        hint.setHeight(max(hint.height(), self.heightForWidth(hint.width())))
        return hint


class EmptyState(QWidget):
    def __init__(self, view: QAbstractScrollArea, has_rows: Callable[[], bool],
                 composer: Composer) -> None:
        super().__init__(view.viewport())
        self.setObjectName("emptyState")
        self._view = view
        self._has_rows = has_rows
        self._composer = composer
        self.setAutoFillBackground(True)
        self.title = new_label(translate("EmptyState", "New chat"), self)
        self.title.setObjectName("emptyStateTitle")
        self.profile = new_label("", self)
        self.profile.setObjectName("emptyStateProfile")
        self.hint = new_label("", self)
        self.hint.setObjectName("emptyStateHint")
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # the muted text
        self.prompts = [PromptButton(text, self) for text in example_prompts()]
        for button in self.prompts:
            button.clicked.connect(lambda _c=False, b=button: self.fill_composer(b.prompt))
        for label in (self.title, self.profile, self.hint):
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.block = QWidget(self)
        column = QVBoxLayout(self.block)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        column.addWidget(self.title)
        column.addWidget(self.profile)
        column.addWidget(self.hint)
        column.addSpacing(12)
        self.grid = QGridLayout()
        self.grid.setSpacing(8)
        column.addLayout(self.grid)
        self._columns = 0
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 16, 16, 16)
        outer.addStretch(1)
        outer.addWidget(self.block, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        view.viewport().installEventFilter(self)
        self._fit()

    def set_theme(self, theme: Theme) -> None:
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(theme.background))
        self.setPalette(palette)
        title_font = QFont(self.font())
        title_font.setBold(True)
        title_font.setPointSizeF(theme.font_size * 1.6)
        self.title.setFont(title_font)

    def show_profile(self, profile: Profile | None) -> None:
        self.profile.setText(profile_line(profile))
        self._fit()  # the new line may wrap differently

    def set_enter_to_send(self, enter_to_send: bool) -> None:
        self.hint.setText(send_hint(enter_to_send, self._window_has_key("Ctrl+F")))

    def _window_has_key(self, keys: str) -> bool:
        """Only keys the window really has are named (find in chat may not exist)."""
        wanted = QKeySequence(keys)
        window = self._view.window()
        shortcuts = [a.shortcut() for a in window.findChildren(QAction)]
        shortcuts += [s.key() for s in window.findChildren(QShortcut)]
        return any(s.matches(wanted) == QKeySequence.SequenceMatch.ExactMatch
                   for s in shortcuts)

    def apply(self, theme: Theme, enter_to_send: bool, profile: Profile | None) -> None:
        """The window's settings changed (theme, Enter to send, the active profile)."""
        self.set_theme(theme)
        self.set_enter_to_send(enter_to_send)
        self.show_profile(profile)  # and fits the block to the new text and font

    def fill_composer(self, prompt: str) -> None:
        """The prompt goes in the message box to edit or send; it is never sent from here."""
        self._composer.set_text(prompt)
        editor = self._composer.editor
        editor.moveCursor(QTextCursor.MoveOperation.End)
        editor.setFocus()

    def update_shown(self) -> None:
        """Shown while the transcript has no rows (after the view took the change)."""
        self.setVisible(not self._has_rows())
        if self.isVisible():
            self._fit()

    def follow(self, controller: ChatEvents) -> None:
        """Track the controller's chat (connected after the view, so the view has the change)."""
        for signal in (controller.conversation_opened, controller.message_added,
                       controller.messages_removed):
            signal.connect(lambda *_args: self.update_shown())
        controller.profile_shown.connect(self.show_profile)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._fit()
        return False

    def _fit(self) -> None:
        viewport = self._view.viewport()
        self.setGeometry(viewport.rect())
        width = min(COLUMN_WIDTH, max(0, viewport.width() - 32))
        self.block.setFixedWidth(width)
        columns = 2 if width >= TWO_COLUMNS_FROM else 1
        if columns != self._columns:
            self._columns = columns
            for index, button in enumerate(self.prompts):
                self.grid.removeWidget(button)
                self.grid.addWidget(button, index // columns, index % columns)
        # The block's height for its own width: the outer layout would ask its height for
        # the whole viewport's width, where the hint takes one line fewer, and squeeze the
        # prompt buttons by that line.
        column = self.block.layout()
        assert column is not None
        self.block.setFixedHeight(column.totalHeightForWidth(width))
