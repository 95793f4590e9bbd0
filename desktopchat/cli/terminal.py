"""What the command line writes, and how: plain text unless a terminal can take more.

- stdout carries the answer (or the JSON) and nothing else, so it can be piped;
- stderr carries errors (one line each), notes and, with --reasoning, the reasoning;
- colour only with --color always, or on a terminal when NO_COLOR is unset and TERM is not
  "dumb" (https://no-color.org);
- a spinner only when stdout is a terminal, and only until the first token. It turns on a
  thread of its own whatever the main thread waits for (the server, a locked history), and
  its line can say what is being waited for (`spinner_label`); a note erases it first, so
  the note starts at column 0 when stdout and stderr share the terminal.
"""

from __future__ import annotations

import os
import threading
from typing import TextIO

SPINNER_FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
SPINNER_INTERVAL_S = 0.1
_RED, _DIM, _BOLD, _RESET = "\x1b[31m", "\x1b[2m", "\x1b[1m", "\x1b[0m"


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or odd stream is not a terminal
        return False


def colour_wanted(choice: str, stream: TextIO) -> bool:
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return _isatty(stream)


class Terminal:
    """stdout and stderr with the decisions above taken once."""

    def __init__(self, out: TextIO, err: TextIO, *, colour: str = "auto") -> None:
        self.out = out
        self.err = err
        self.out_is_tty = _isatty(out)
        self._colour_out = colour_wanted(colour, out)
        self._colour_err = colour_wanted(colour, err)
        self._spinner: tuple[threading.Thread, threading.Event] | None = None
        self._spinner_shown = 0  # the width of the frame on screen (0: none)
        self._spinner_text = ""
        self._frame_lock = threading.Lock()  # the spinner's thread and a note never interleave
        self._ends_with_newline = True
        self._reasoning_open = False  # reasoning was shown and the answer has not begun

    # -- stdout ---------------------------------------------------------------------------

    def write(self, text: str) -> None:
        """Answer text, as it arrives: flushed at once so a pipe or terminal sees it now."""
        if not text:
            return
        self.stop_spinner()
        if self._reasoning_open:
            self._reasoning_open = False
            self.err.write("\n")  # on one terminal, the answer starts below the reasoning
            self.err.flush()
        self.out.write(text)
        self.out.flush()
        self._ends_with_newline = text.endswith("\n")

    def end_answer(self) -> None:
        """Finish the answer's last line, so the shell prompt starts on a line of its own."""
        self.stop_spinner()
        if not self._ends_with_newline:
            self.write("\n")

    def line(self, text: str = "") -> None:
        self.out.write(text + "\n")

    def bold(self, text: str) -> str:
        return f"{_BOLD}{text}{_RESET}" if self._colour_out else text

    def dim(self, text: str) -> str:
        return f"{_DIM}{text}{_RESET}" if self._colour_out else text

    # -- stderr ---------------------------------------------------------------------------

    def reasoning(self, text: str) -> None:
        if not text:
            return
        self.stop_spinner()
        self.err.write(f"{_DIM}{text}{_RESET}" if self._colour_err else text)
        self.err.flush()
        self._reasoning_open = True

    def note(self, text: str) -> None:
        with self._frame_lock:
            self._erase_frame()  # it comes back on the next turn, below the note
            self.err.write(text + "\n")
            self.err.flush()

    def error(self, text: str) -> None:
        """One readable line: 'desktopchat: error: ...'."""
        self.stop_spinner()
        flat = " ".join(text.split())
        label = f"{_RED}error:{_RESET}" if self._colour_err else "error:"
        self.err.write(f"desktopchat: {label} {flat}\n")
        self.err.flush()

    # -- spinner --------------------------------------------------------------------------

    def start_spinner(self) -> None:
        """Until the first token (or the end): a terminal only, never in a pipe or a file.
        It turns on a thread of its own, so waiting for the server needs no event loop."""
        if self.out_is_tty and self._spinner is None:
            stop = threading.Event()
            thread = threading.Thread(target=self._spin, args=(stop,), name="spinner",
                                      daemon=True)
            self._spinner = (thread, stop)
            thread.start()

    def spinner_label(self, text: str) -> None:
        """What the spinner's line says beside the frame ("" for nothing); from any thread."""
        with self._frame_lock:
            self._spinner_text = text

    def _spin(self, stop: threading.Event) -> None:
        frame = 0
        while not stop.is_set():
            with self._frame_lock:
                label = self._spinner_text
                shown = SPINNER_FRAMES[frame % len(SPINNER_FRAMES)] + " " + label
                shown = shown[: max(2, self._width() - 1)]  # never wraps onto a second line
                # Padded over a longer frame before it (a label that went away).
                self.out.write("\r" + shown.ljust(self._spinner_shown))
                self.out.flush()
                self._spinner_shown = max(len(shown), 2)
            frame += 1
            stop.wait(SPINNER_INTERVAL_S)

    def _width(self) -> int:
        try:
            return os.get_terminal_size(self.out.fileno()).columns or 80
        except (AttributeError, ValueError, OSError):
            return 80

    def _erase_frame(self) -> None:
        if self._spinner_shown:
            self.out.write("\r" + " " * self._spinner_shown + "\r")  # the answer starts at column 0
            self.out.flush()
            self._spinner_shown = 0

    def stop_spinner(self) -> None:
        if self._spinner is None:
            return
        thread, stop = self._spinner
        self._spinner = None
        stop.set()
        thread.join()  # its last frame is written before the answer begins
        with self._frame_lock:
            self._erase_frame()
            self._spinner_text = ""
