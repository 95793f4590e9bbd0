"""The spinner's line on a terminal: a label beside the frame, and notes on a clean line.

stdout and stderr are one shared log here, as on a terminal where both are shown, so the
order of what each wrote is what a person would see."""

from __future__ import annotations

import io
import threading

from desktopchat.cli.terminal import SPINNER_FRAMES, Terminal


class SharedScreen:
    def __init__(self) -> None:
        self.log: list[tuple[str, str]] = []
        self.frames = threading.Semaphore(0)  # one release per frame drawn


class Stream(io.StringIO):
    def __init__(self, screen: SharedScreen, name: str) -> None:
        super().__init__()
        self.screen = screen
        self.name_ = name

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.screen.log.append((self.name_, text))
        if self.name_ == "out" and text.startswith("\r") and text[1:2] in SPINNER_FRAMES:
            self.screen.frames.release()
        return len(text)


def on_screen() -> tuple[SharedScreen, Terminal]:
    screen = SharedScreen()
    return screen, Terminal(Stream(screen, "out"), Stream(screen, "err"), colour="never")


def test_a_note_wipes_the_frame_first_and_the_spinner_comes_back_below_it() -> None:
    screen, terminal = on_screen()
    terminal.start_spinner()
    try:
        assert screen.frames.acquire(timeout=10)
        terminal.note("desktopchat: note: something")
        at = screen.log.index(("err", "desktopchat: note: something\n"))
        assert screen.log[at - 1] == ("out", "\r  \r")  # the frame was wiped just before
        assert frame_after(screen, at + 1)  # and the spinner turns on, below the note
    finally:
        terminal.stop_spinner()


def frame_after(screen: SharedScreen, mark: int) -> str:
    """The first frame drawn after the log's first `mark` entries (waiting for it)."""
    while True:
        for name, text in screen.log[mark:]:
            if name == "out" and text.startswith("\r") and text[1:2] in SPINNER_FRAMES:
                return text
        assert screen.frames.acquire(timeout=10), "the spinner stopped turning"


def test_the_label_shows_beside_the_frame_and_is_wiped_whole() -> None:
    screen, terminal = on_screen()
    terminal.start_spinner()
    try:
        terminal.spinner_label("waiting for something")
        frame = frame_after(screen, len(screen.log))
        assert frame[2:] == " waiting for something"
        terminal.spinner_label("")
        frame = frame_after(screen, len(screen.log))
        assert frame == frame[:2] + " " + " " * len("waiting for something")  # padded over
    finally:
        terminal.stop_spinner()
    assert screen.log[-1] == ("out", "\r" + " " * 2 + "\r")
