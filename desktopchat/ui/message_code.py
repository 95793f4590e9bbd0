"""The action bar's "Copy code": the code blocks of a message, one button to copy them.

A code block's own Copy sits in its header, which a pointer reaches but the keyboard does
not (issue 17). The action bar, reached by Tab and Enter like the other message actions,
offers the same copy: one block copies at once; several open a menu naming each block by
its language and length, so the arrow keys choose one.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from markdown_it import MarkdownIt
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from desktopchat.ui.i18n import translate

TITLE_CHARS = 48


@dataclass(frozen=True)
class CodeInfo:
    lang: str
    code: str


@functools.lru_cache(maxsize=64)
def fenced_blocks(text: str) -> tuple[CodeInfo, ...]:
    """The message's code blocks in order, as the transcript numbers them (dc:copy-code/n)."""
    if "```" not in text and "~~~" not in text and "    " not in text:
        return ()  # no fence and no indented line: nothing to parse
    tokens = MarkdownIt("commonmark").parse(text)
    return tuple(CodeInfo((t.info or "").strip().split(" ")[0] if t.type == "fence" else "",
                          t.content)
                 for t in tokens if t.type in ("fence", "code_block"))


def message_codes(content: str) -> list[str]:
    return [block.code for block in fenced_blocks(content)]


def block_title(block: CodeInfo) -> str:
    """"python: print(1)": the language and the block's first line, as a menu names it
    (plain text; a "&" is doubled, or Qt would take it for a shortcut mark)."""
    first = next((line.strip() for line in block.code.splitlines() if line.strip()), "")
    if len(first) > TITLE_CHARS:
        first = first[:TITLE_CHARS - 1] + "…"
    lang = block.lang or translate("MessageCode", "code")
    return f"{lang}: {first}".replace("&", "&&")


class CodeCopyButton(QToolButton):
    chosen = Signal(int)  # the block's number in its message

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("messageAction-copy-code")
        self.setAutoRaise(True)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.menu_of_blocks = QMenu(self)
        self.count = 0
        self.clicked.connect(self._clicked)

    def show_blocks(self, blocks: tuple[CodeInfo, ...]) -> None:
        self.count = len(blocks)
        self.setVisible(bool(blocks))
        several = len(blocks) > 1
        tip = (translate("MessageCode", "Copy one of this message's code blocks") if several
               else translate("MessageCode", "Copy this message's code block"))
        self.setToolTip(tip)
        self.setAccessibleName(tip)
        self.menu_of_blocks.clear()
        for number, block in enumerate(blocks if several else ()):
            action = self.menu_of_blocks.addAction(block_title(block))
            action.triggered.connect(functools.partial(self._choose, number))
        if several:
            self.setMenu(self.menu_of_blocks)
        else:
            self.setMenu(None)  # type: ignore[arg-type]  # Qt takes None: no menu, one click
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup if several
                          else QToolButton.ToolButtonPopupMode.DelayedPopup)

    def _choose(self, number: int, _checked: bool = False) -> None:
        self.chosen.emit(number)

    def _clicked(self) -> None:
        if self.count == 1:
            self.chosen.emit(0)
