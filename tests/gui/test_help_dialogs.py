"""Help → Keyboard shortcuts lists every key the window registers; Help → About shows the
version, the folders this run uses and the licences."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction, QKeySequence, QShortcut

from desktopchat import __version__
from desktopchat.ui.about_dialog import COMPONENTS, AboutDialog
from desktopchat.ui.shortcuts_dialog import ShortcutsDialog


def help_action(window: Any, text: str) -> QAction:
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    assert "&Help" in menus
    return next(a for a in menus["&Help"].actions() if a.text() == text)


def native(keys: QKeySequence) -> str:
    return keys.toString(QKeySequence.SequenceFormat.NativeText)


def test_every_registered_shortcut_is_listed_with_what_it_does(chat_window, qtbot) -> None:
    help_action(chat_window, "Keyboard shortcuts").trigger()
    dialog = chat_window.help_dialog
    assert isinstance(dialog, ShortcutsDialog) and dialog.isVisible()
    shown = dialog.shown()
    listed_keys = {keys for _, keys in shown}
    registered = [
        *((a.text(), native(k)) for a in chat_window.findChildren(QAction)
          for k in a.shortcuts() if not k.isEmpty()),
        *((s.whatsThis(), native(s.key())) for s in chat_window.findChildren(QShortcut)
          if not s.key().isEmpty()),
    ]
    assert len(registered) >= 7  # the menus, Esc and the composer's attach key
    for what, keys in registered:
        assert any(keys in listed.split(", ") for listed in listed_keys), (what, keys)
    assert all(action.strip() for action, _ in shown), "a shortcut without a description"
    rows = dict(shown)
    assert rows["New chat"] == native(QKeySequence("Ctrl+N"))
    assert rows["Show sidebar"] == native(QKeySequence("Ctrl+B"))
    assert rows["Stop the reply (in the chat or message box)"] == native(QKeySequence("Esc"))
    assert rows["Attach files"] == native(QKeySequence("Ctrl+Shift+A"))


def test_about_shows_version_folders_and_licences(chat_window, chat_env, qtbot) -> None:
    help_action(chat_window, "About desktopchat").trigger()
    dialog = chat_window.help_dialog
    assert isinstance(dialog, AboutDialog) and dialog.isVisible()
    texts = [label.text() for label in dialog.findChildren(type(dialog.folders["data"]))]
    assert f"desktopchat {__version__}" in texts
    assert any("MIT licence" in text for text in texts)
    assert dialog.folders["data"].text() == str(chat_env.store.path.parent)
    assert dialog.folders["config"].text() == str(chat_env.settings_store.path.parent)
    assert dialog.folders["logs"].text() == str(chat_env.store.path.parent / "logs")
    table = dialog.components
    rows = [[table.item(r, c).text() for c in range(3)] for r in range(table.rowCount())]
    assert [row[0] for row in rows] == [name for name, _ in COMPONENTS]
    assert all(row[2] for row in rows)
    pyside = next(row for row in rows if row[0] == "PySide6-Essentials")
    assert pyside[1][0].isdigit() and pyside[2].startswith("LGPL")
    # The emoji font the app may load is a file it ships: its licence is listed too.
    assert ["Noto Emoji", "bundled font", "OFL-1.1"] in rows


def test_the_conversations_own_keys_are_listed_too(chat_window, qtbot) -> None:
    # Message and code-block keys are handled by the transcript, not registered on the
    # window: they follow under their own heading, each message key from message_actions.
    from PySide6.QtCore import QKeyCombination, Qt

    from desktopchat.ui.message_actions import KEYS

    help_action(chat_window, "Keyboard shortcuts").trigger()
    shown = chat_window.help_dialog.shown()
    heading = shown.index(("In the conversation", ""))
    below = shown[heading + 1:]
    listed = {key for _, keys in below for key in keys.split(", ")}
    for (key, alt), action in KEYS.items():
        modifier = Qt.KeyboardModifier.AltModifier if alt else Qt.KeyboardModifier.NoModifier
        assert native(QKeySequence(QKeyCombination(modifier, Qt.Key(key)))) in listed, action
    for key in ("Up", "Down", "Tab", "Home", "End", "W"):
        assert key in listed, key
    assert all(text.strip() and keys.strip() for text, keys in below)
