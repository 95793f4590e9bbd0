"""The main window's size, place and sidebar width, kept in window-state.json (apart from
the user's settings): saved on close, restored at start, a default when unreadable."""

from __future__ import annotations

import base64
import logging

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QMainWindow, QSplitter

from desktopchat.errors import SettingsError
from desktopchat.settings import WindowStateStore

log = logging.getLogger(__name__)
DEFAULT_SIZE = (1100, 760)


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
        if isinstance(state.get("geometry"), str):
            window.restoreGeometry(QByteArray(base64.b64decode(state["geometry"])))
        else:
            window.resize(*DEFAULT_SIZE)
        if isinstance(state.get("splitter"), str):
            splitter.restoreState(QByteArray(base64.b64decode(state["splitter"])))
    except (ValueError, TypeError):
        window.resize(*DEFAULT_SIZE)
