"""Ctrl+C during a reply lands only where the reply can stop cleanly.

With the request sent synchronously (core.direct), Python's default handler would raise
KeyboardInterrupt between any two bytecodes: halfway through writing a piece of text
(the last line then misses its end) or through a history write. While a reply streams,
`Interrupts` holds a Ctrl+C back and raises it at the next safe point: while waiting for
the network or for the history, or between two pieces of the reply.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType


class Interrupts:
    def __init__(self) -> None:
        self._held = False
        self._waiting = False
        self._previous: Callable[[int, FrameType | None], object] | int | None = None

    def __enter__(self) -> Interrupts:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._on_sigint)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
            self._previous = None

    def _on_sigint(self, signum: int, frame: FrameType | None) -> None:
        if self._waiting:
            raise KeyboardInterrupt
        self._held = True

    def check(self) -> None:
        """A safe point: a Ctrl+C held back is raised now."""
        if self._held:
            self._held = False
            raise KeyboardInterrupt

    @contextlib.contextmanager
    def waiting(self) -> Iterator[None]:
        """Waiting for the network or the history: Ctrl+C is raised at once."""
        self.check()
        self._waiting = True
        try:
            yield
        finally:
            self._waiting = False
