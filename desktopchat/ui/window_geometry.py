"""The main window's size, place and sidebar width, kept in window-state.json (apart from
the user's settings): saved on close, restored at start, a default when unreadable."""

from __future__ import annotations

import base64
import logging

from PySide6.QtCore import QByteArray, QRect, QSize
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget

from desktopchat.errors import SettingsError
from desktopchat.settings import WindowStateStore

log = logging.getLogger(__name__)
# The first window: a share of the screen's free area (in device-independent pixels, so at
# 1.5x scaling too), within a comfortable reading size. A fixed 1100x760 was larger than a
# 1280x720 (1920x1080 at 1.5x) screen and came up squeezed to 931x464 with clipped text.
SCREEN_SHARE = (0.75, 0.85)
COMFORTABLE = QSize(1400, 1000)
SMALLEST = QSize(720, 520)


def first_window_size(available: QSize) -> QSize:
    """The size of a window with no saved geometry, on a screen with `available` free."""
    def side(free: int, share: float, low: int, high: int) -> int:
        return min(free, max(min(low, free), min(high, round(free * share))))
    return QSize(side(available.width(), SCREEN_SHARE[0], SMALLEST.width(), COMFORTABLE.width()),
                 side(available.height(), SCREEN_SHARE[1], SMALLEST.height(),
                      COMFORTABLE.height()))


def fit_to_screen(widget: QWidget, wanted: QSize) -> None:
    """Resize a dialog to `wanted`, or to what its screen has free (a 1.5x screen is short)."""
    screen = widget.screen()
    if screen is None:
        widget.resize(wanted)
        return
    free = screen.availableGeometry().size()
    widget.resize(min(wanted.width(), round(free.width() * 0.95)),
                  min(wanted.height(), round(free.height() * 0.9)))


def place_first_window(window: QMainWindow) -> None:
    """Size the window for its screen and centre it there."""
    screen = window.screen()
    available = screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)
    size = first_window_size(available.size())
    window.resize(size)
    frame = QRect(0, 0, size.width(), size.height())
    frame.moveCenter(available.center())
    window.move(frame.topLeft())


def save_geometry(window: QMainWindow, splitter: QSplitter, store: WindowStateStore) -> None:
    state = {
        "geometry": base64.b64encode(bytes(window.saveGeometry().data())).decode("ascii"),
        "splitter": base64.b64encode(bytes(splitter.saveState().data())).decode("ascii"),
    }
    try:
        store.save(state)
    except SettingsError as exc:
        log.warning("window state not saved: %s", exc.message)


def restore_geometry(window: QMainWindow, splitter: QSplitter, store: WindowStateStore) -> None:
    state = store.load()
    try:
        geometry, splitter_state = state.get("geometry"), state.get("splitter")
        if isinstance(geometry, str):
            window.restoreGeometry(QByteArray(base64.b64decode(geometry)))
        else:
            place_first_window(window)
        if isinstance(splitter_state, str):
            splitter.restoreState(QByteArray(base64.b64decode(splitter_state)))
    except (ValueError, TypeError):
        place_first_window(window)
