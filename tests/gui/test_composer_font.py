"""The message box is as tall as two lines (up to eight as one types) of the font it has
now: after Preferences → Font size grows the font, its placeholder and lines are not cut."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication

from desktopchat.ui.composer import Composer


def lines_shown(composer: Composer) -> float:
    editor = composer.editor
    margin = 2 * editor.document().documentMargin()
    return (editor.viewport().height() - margin) / editor.fontMetrics().lineSpacing()


def test_the_message_box_grows_with_the_font(qtbot: Any) -> None:
    composer = Composer()
    qtbot.addWidget(composer)
    composer.resize(700, 120)
    composer.show()
    assert lines_shown(composer) >= 2
    before = composer.editor.height()
    font = composer.font()
    font.setPointSize(font.pointSize() * 2)  # what the app font's change reaches it as
    composer.setFont(font)
    QApplication.processEvents()
    assert composer.editor.height() > before
    assert lines_shown(composer) >= 2  # the two-line placeholder is whole
    composer.editor.setPlainText("one\ntwo\nthree")
    assert lines_shown(composer) >= 3
