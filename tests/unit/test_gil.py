"""The app shortens the GIL switch interval, so the UI thread waits less behind threads."""

from __future__ import annotations

import sys

from desktopchat.ui.gil import UI_SWITCH_INTERVAL_S, favour_the_ui_thread


def test_the_switch_interval_is_shorter_than_cpythons_default() -> None:
    before = sys.getswitchinterval()
    try:
        favour_the_ui_thread()
        assert sys.getswitchinterval() == UI_SWITCH_INTERVAL_S < 0.005
    finally:
        sys.setswitchinterval(before)
