"""Issue 17, layout: at 480 px nothing is cut mid-word, and at 1.5x scaling the first window
is a share of the screen with no clipped text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QToolBar,
    QWidget,
)

from desktopchat.ui.window_geometry import first_window_size
from tests.gui.test_chat_window import final_assistant, reply_pieces, type_and_send
from tests.support.cli_process import REPO, cli_env
from tests.support.layout_checks import clipped_texts, cut_fields
from tests.support.loopback import ScriptedResponse
from tests.support.qt_loop import ChatEnv, QtLoop

LONG_QUESTION = ("How do I read a large CSV file in Python without running out of memory, "
                 "and which of the standard library's modules should I use for it?")


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def test_the_clipping_check_finds_cut_words_and_short_labels(qtbot: Any) -> None:
    page = QWidget()
    qtbot.addWidget(page)
    wrapped = QLabel("Supercalifragilisticexpialidocious words", page)
    wrapped.setWordWrap(True)
    wrapped.setGeometry(0, 0, 60, 200)
    single = QLabel("A label much wider than its room", page)
    single.setGeometry(0, 200, 40, 20)
    elided = QLabel("Shown elided on purpose…", page)
    elided.setGeometry(0, 220, 40, 20)
    button = QPushButton("A long button caption", page)
    button.setGeometry(0, 240, 30, 20)
    page.resize(300, 300)
    page.show()
    problems = clipped_texts(page)
    assert len(problems) == 3
    assert "Supercalifragilisticexpialidocious" in problems[0]
    assert "wider than its room" in problems[1] and "button" in problems[2]


def test_the_cut_field_check_finds_squashed_and_unreachable_fields(qtbot: Any) -> None:
    page = QWidget()
    qtbot.addWidget(page)
    squashed = QLineEdit(page)
    squashed.setObjectName("squashed")
    squashed.setGeometry(0, 0, 100, 8)
    below = QPushButton("Save", page)
    below.setGeometry(0, 290, 80, 30)  # past the page's bottom edge
    scrolled = QScrollArea(page)
    scrolled.setGeometry(0, 100, 200, 60)
    inner = QWidget()
    inner.resize(200, 400)
    QPushButton("Far down", inner).setGeometry(0, 350, 80, 30)  # reached by scrolling
    scrolled.setWidget(inner)
    page.resize(300, 300)
    page.show()
    problems = cut_fields(page)
    assert len(problems) == 2
    assert problems[0].startswith("squashed") and "outside" in problems[1]


def test_the_first_window_is_a_share_of_the_screens_free_area() -> None:
    # 1920x1080 at 1.5x is 1280x720 device-independent pixels.
    assert first_window_size(QSize(1280, 720)) == QSize(960, 612)
    assert first_window_size(QSize(1920, 1050)) == QSize(1400, 892)
    assert first_window_size(QSize(2560, 1400)) == QSize(1400, 1000)
    assert first_window_size(QSize(800, 600)) == QSize(720, 520)
    assert first_window_size(QSize(640, 480)) == QSize(640, 480)  # never past the screen


def test_at_1_5x_scaling_the_first_window_fits_the_screen_with_no_clipped_text(
        tmp_path: Path) -> None:
    screen = tmp_path / "screen.json"
    screen.write_text(json.dumps({"screens": [{
        "name": "1080p", "x": 0, "y": 0, "width": 1920, "height": 1080,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = cli_env(QT_SCALE_FACTOR="1.5", QT_QPA_PLATFORM=f"offscreen:configfile={screen}")
    done = subprocess.run([sys.executable, str(REPO / "tests/support/first_window.py"),
                           str(tmp_path / "base")], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout.strip().splitlines()[-1])
    assert shown["ratio"] == 1.5 and shown["available"] == [1280, 720]
    width, height = shown["window"]
    assert 0.6 <= width / 1280 <= 0.9 and 0.6 <= height / 720 <= 0.9, shown
    assert shown["inside"]
    # The Settings dialog fits the short screen too (its Tools page used to need 815 px).
    assert shown["settings"][1] <= 720 and shown["settings_minimum"][1] <= 720, shown
    assert shown["clipped"] == []


@pytest.mark.parametrize("screen_size", [(1280, 720), (1366, 768)])
def test_on_a_short_screen_settings_fit_with_every_field_reachable(
        tmp_path: Path, screen_size: tuple[int, int]) -> None:
    """Issue 17: the Settings form was cut off below 880 px; each page scrolls instead, and
    Save and Cancel stay in view."""
    width, height = screen_size
    screen = tmp_path / "screen.json"
    screen.write_text(json.dumps({"screens": [{
        "name": "short", "x": 0, "y": 0, "width": width, "height": height,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = cli_env(QT_SCALE_FACTOR="1", QT_QPA_PLATFORM=f"offscreen:configfile={screen}")
    done = subprocess.run([sys.executable, str(REPO / "tests/support/first_window.py"),
                           str(tmp_path / "base")], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout.strip().splitlines()[-1])
    assert shown["available"] == [width, height]
    assert shown["settings_inside"] and shown["settings_save_shown"], shown
    assert shown["settings_cut"] == [], shown["settings_cut"]
    assert shown["clipped"] == []


def toolbar_fits(toolbar: QToolBar) -> bool:
    """Every toolbar item shown lies inside the bar (the rest are in its » menu)."""
    inside = toolbar.rect()
    return all(inside.contains(w.geometry()) for w in toolbar.findChildren(QWidget)
               if w.parent() is toolbar and w.isVisible())


def test_at_480_px_no_text_is_cut_mid_word(chat_window: Any, chat_env: ChatEnv,
                                           qasync_loop: QtLoop, qtbot: Any) -> None:
    chat_window.resize(480, 720)
    settle()
    assert not chat_window.history_panel.isVisible()  # the sidebar stepped aside
    assert chat_window.chat_view.width() >= 440  # the chat keeps the window's width
    assert chat_window.empty_state.isVisible()
    chat_window.composer.show_hint("The profile “local” needs an API key. Add it in Settings "
                                   "(Ctrl+,).", "settings")
    settle()
    assert clipped_texts(chat_window) == []
    assert toolbar_fits(chat_window.toolbar)
    chat_window.composer.clear_hint()

    chat_env.server.enqueue(ScriptedResponse(pieces=reply_pieces(
        "Read it in chunks with the csv module; ", "pandas.read_csv(chunksize=...) works too.")))

    async def scenario() -> None:
        type_and_send(chat_window, qtbot, LONG_QUESTION)
        await final_assistant(chat_window)

    qasync_loop.run(scenario())
    settle()
    assert not chat_window.empty_state.isVisible()
    assert clipped_texts(chat_window) == []
    assert toolbar_fits(chat_window.toolbar)
    # Wider again: the sidebar comes back by itself.
    chat_window.resize(1000, 720)
    settle()
    assert chat_window.history_panel.isVisible() and chat_window.sidebar_action.isChecked()
    assert clipped_texts(chat_window) == []


def test_a_narrow_window_keeps_the_sidebar_the_user_asks_for(chat_window: Any) -> None:
    chat_window.resize(480, 720)
    settle()
    assert not chat_window.sidebar_action.isChecked()
    chat_window.sidebar_action.trigger()  # Ctrl+B
    chat_window.resize(500, 720)
    settle()
    assert chat_window.history_panel.isVisible()
    chat_window.sidebar_action.trigger()  # hidden by the user: widening leaves it hidden
    chat_window.resize(1000, 720)
    settle()
    assert not chat_window.history_panel.isVisible()


def test_the_empty_states_prompts_are_whole_when_its_hint_wraps(chat_window: Any) -> None:
    # The hint wraps to two lines in the prompts' column (it names Ctrl+F too); its second
    # line must not be taken from the prompt buttons below it, at any width of the window.
    assert "Ctrl+F" in chat_window.empty_state.hint.text()
    for width in (700, 900, 1100, 1400):
        chat_window.resize(width, 720)
        settle()
        assert chat_window.empty_state.isVisible()
        assert clipped_texts(chat_window.empty_state) == [], width
