"""With a large font the sidebar steps aside at a wider window than 640 px: the threshold is
80 average characters of the window's font when that is wider, and a font change (Preferences
→ Font size) fits the window again at once."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction, QFontMetrics
from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget

from desktopchat.ui.narrow_layout import NARROW_WIDTH, NarrowLayout


def window_with_sidebar(qtbot: Any) -> tuple[QWidget, QWidget, QAction]:
    window = QWidget()
    qtbot.addWidget(window)
    sidebar = QWidget(window)
    layout = QHBoxLayout(window)
    layout.addWidget(sidebar)
    layout.addWidget(QWidget(window), 1)
    action = QAction("Show sidebar", window)
    action.setCheckable(True)
    action.setChecked(True)
    window.narrow = NarrowLayout(window, sidebar, action)  # type: ignore[attr-defined]
    window.show()
    return window, sidebar, action


def with_points(window: QWidget, points: int) -> None:
    font = window.font()
    font.setPointSize(points)
    window.setFont(font)
    QApplication.processEvents()


def test_a_700_px_window_keeps_its_sidebar_at_the_usual_font(qtbot: Any) -> None:
    window, sidebar, action = window_with_sidebar(qtbot)
    with_points(window, 11)
    window.resize(700, 600)
    QApplication.processEvents()
    assert QFontMetrics(window.font()).averageCharWidth() * 80 <= 700
    assert sidebar.isVisible() and action.isChecked()
    window.resize(NARROW_WIDTH - 1, 600)
    QApplication.processEvents()
    assert not sidebar.isVisible()  # 640 px stays the least threshold


def test_a_large_font_makes_the_sidebar_step_aside_and_a_smaller_one_brings_it_back(
        qtbot: Any) -> None:
    window, sidebar, action = window_with_sidebar(qtbot)
    with_points(window, 11)
    window.resize(700, 600)
    QApplication.processEvents()
    assert sidebar.isVisible()
    with_points(window, 18)  # the font change alone refits the window
    assert QFontMetrics(window.font()).averageCharWidth() * 80 > 700
    assert not sidebar.isVisible() and not action.isChecked()
    window.resize(1400, 600)
    QApplication.processEvents()
    assert sidebar.isVisible() and action.isChecked()
    window.resize(700, 600)
    QApplication.processEvents()
    assert not sidebar.isVisible()
    with_points(window, 11)
    assert sidebar.isVisible() and action.isChecked()
