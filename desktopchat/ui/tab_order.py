"""Tab orders set by hand where Qt's default (the order widgets were made in) is wrong.

A widget made later (a profile's form, a tool's approval card, an example prompt made after
the composer) joins the end of its window's focus chain, wherever it sits on screen. The
helpers here list a region's Tab stops in their chain order (`tab_stops`) and chain regions
in screen order (`chain`). A multi-line field inside a form lets Tab move on
(`tab_leaves_text_fields`) instead of typing a tab character, which would trap a keyboard
user there. TabOrder keeps a window's order right as parts gain children.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QPlainTextEdit,
    QScrollArea,
    QTabWidget,
    QTextEdit,
    QWidget,
)


def tab_stops(root: QWidget) -> list[QWidget]:
    """`root` and its descendants that Tab can reach, in their current focus-chain order.
    A widget with a focus proxy is left out (Tab lands on the proxy, which is listed)."""
    stops: list[QWidget] = []
    widget: QWidget | None = root
    while widget is not None:
        if ((widget is root or root.isAncestorOf(widget)) and widget.focusProxy() is None
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
            stops.append(widget)
        widget = widget.nextInFocusChain()
        if widget is root:
            break
    return stops


def chain(stops: list[QWidget]) -> None:
    for first, second in itertools.pairwise(stops):
        QWidget.setTabOrder(first, second)


def tab_leaves_text_fields(root: QWidget) -> None:
    for plain in root.findChildren(QPlainTextEdit):
        plain.setTabChangesFocus(True)
    for rich in root.findChildren(QTextEdit):
        rich.setTabChangesFocus(True)


class TabOrder(QObject):
    """Applies `stops()` as the Tab order now, and again (once the new child is built) when
    one of `watched()` gains a child."""

    def __init__(self, owner: QWidget, stops: Callable[[], list[QWidget]],
                 watched: Callable[[], list[QWidget]]) -> None:
        super().__init__(owner)
        self._owner = owner
        self._stops = stops
        self._watched = watched
        self._pending = False
        self.apply()

    def apply(self) -> None:
        self._pending = False
        for widget in self._watched():
            widget.installEventFilter(self)  # Qt keeps one entry per filter and object
        tab_leaves_text_fields(self._owner)
        chain(self._stops())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ChildAdded and not self._pending:
            self._pending = True  # the child's own widgets are made after it is added
            QTimer.singleShot(0, self, self.apply)
        return False


def dialog_tab_order(dialog: QWidget, tabs: QTabWidget, buttons: QDialogButtonBox,
                     watched: Callable[[], list[QWidget]]) -> TabOrder:
    """A tabbed dialog: the tab bar, the pages' fields, then the dialog's buttons. A page's
    scroll frame is no stop of its own (its fields are, and Qt scrolls to the focused one)."""

    def stops() -> list[QWidget]:
        for frame in tabs.findChildren(QScrollArea):
            frame.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        found: list[QWidget] = [tabs.tabBar()]
        for page in (tabs.widget(i) for i in range(tabs.count())):
            found += tab_stops(page) if page is not None else []
        return [*found, *tab_stops(buttons)]

    return TabOrder(dialog, stops, watched)
