"""The keys the transcript answers to once it has the focus, for Help → Keyboard shortcuts.

They are handled in keyPressEvent (message_actions, code_block_keys), not registered as
QActions, so the shortcuts dialog cannot find them on the window. The message keys are
read from message_actions.KEYS, so a key added there is listed; each action needs a
description here (a test checks that every one has one).
"""

from __future__ import annotations

from PySide6.QtCore import QKeyCombination, Qt
from PySide6.QtGui import QKeySequence

from desktopchat.ui.i18n import translate
from desktopchat.ui.message_actions import KEYS


def _action_text(action: str) -> str:
    texts = {
        "copy": translate("TranscriptKeys", "Copy the chosen message"),
        "edit": translate("TranscriptKeys", "Edit the chosen message"),
        "regenerate": translate("TranscriptKeys", "Regenerate the chosen reply"),
        "delete": translate("TranscriptKeys", "Delete the chosen message"),
        "previous-version": translate("TranscriptKeys", "Previous version"),
        "next-version": translate("TranscriptKeys", "Next version"),
    }
    return texts[action]


def _keys(*combos: QKeyCombination | Qt.Key) -> tuple[QKeySequence, ...]:
    return tuple(QKeySequence(c) for c in combos)


def transcript_keys() -> list[tuple[str, tuple[QKeySequence, ...]]]:
    """(what it does, keys) for the conversation, in the order a user meets them."""
    alt, shift = Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ShiftModifier
    rows = [(translate("TranscriptKeys", "Choose a message"), _keys(Qt.Key.Key_Up,
                                                                    Qt.Key.Key_Down)),
            (translate("TranscriptKeys", "Move into the chosen message's buttons"),
             _keys(Qt.Key.Key_Return))]
    by_action: dict[str, list[QKeyCombination]] = {}
    for (key, with_alt), action in KEYS.items():
        by_action.setdefault(action, []).append(
            QKeyCombination(alt if with_alt else Qt.KeyboardModifier.NoModifier, Qt.Key(key)))
    rows += [(_action_text(action), _keys(*combos)) for action, combos in by_action.items()]
    rows += [
        (translate("TranscriptKeys", "Go to the chosen message's code blocks"),
         _keys(Qt.Key.Key_Tab)),
        (translate("TranscriptKeys", "Code block: scroll sideways"),
         _keys(Qt.Key.Key_Left, Qt.Key.Key_Right)),
        (translate("TranscriptKeys", "Code block: scroll by most of its width"),
         _keys(QKeyCombination(shift, Qt.Key.Key_Left), QKeyCombination(shift, Qt.Key.Key_Right))),
        (translate("TranscriptKeys", "Code block: go to the start or the end of its lines"),
         _keys(Qt.Key.Key_Home, Qt.Key.Key_End)),
        (translate("TranscriptKeys", "Code block: wrap or unwrap"), _keys(Qt.Key.Key_W)),
        (translate("TranscriptKeys", "Code block: copy its code"), _keys(Qt.Key.Key_C)),
    ]
    return rows
